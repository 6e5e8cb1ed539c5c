"""Moving backbone weights between pretraining, the reference code and downstream models."""
from .keys import convert_to_convnext_layout, infer_convnext_arch
from .loading import (CheckpointMismatchError, LoadReport, adapt_stem_weight,
                      load_backbone_weights, read_state_dict)

__all__ = [
    'CheckpointMismatchError', 'LoadReport', 'adapt_stem_weight',
    'convert_to_convnext_layout', 'infer_convnext_arch',
    'load_backbone_weights', 'read_state_dict'
]
