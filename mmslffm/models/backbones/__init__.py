from .sparse_convnext import SPARSE_BACKENDS, SparseConvNeXt

__all__ = ['SPARSE_BACKENDS', 'SparseConvNeXt']
