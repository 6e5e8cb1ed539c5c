"""Moving weights between pretraining, the reference code and downstream models, safely."""

from .keys import convert_to_convnext_layout, infer_convnext_arch
from .loading import (
    CheckpointMismatchError,
    LoadReport,
    adapt_stem_weight,
    load_backbone_weights,
    read_state_dict,
)
from .model_weights import load_model_weights, state_dict_of
from .safe_load import (
    CheckpointError,
    UnsafeCheckpointError,
    checkpoint_safe_globals,
    load_checkpoint_file,
    mmengine_loads_safely,
    trusting_checkpoints,
)

__all__ = [
    'CheckpointError',
    'CheckpointMismatchError',
    'LoadReport',
    'UnsafeCheckpointError',
    'adapt_stem_weight',
    'checkpoint_safe_globals',
    'convert_to_convnext_layout',
    'infer_convnext_arch',
    'load_backbone_weights',
    'load_checkpoint_file',
    'load_model_weights',
    'mmengine_loads_safely',
    'read_state_dict',
    'state_dict_of',
    'trusting_checkpoints',
]
