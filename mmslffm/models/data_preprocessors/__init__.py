from .data_preprocessor import PairedSegDataPreProcessor

__all__ = ['PairedSegDataPreProcessor']
