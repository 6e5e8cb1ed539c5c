from .bit_head import BITHead

__all__ = ['BITHead']
