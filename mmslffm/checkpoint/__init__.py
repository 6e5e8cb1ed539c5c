"""Moving weights between pretraining, the reference code and downstream models, safely."""

from .downloads import download_checkpoint
from .errors import CheckpointError, UnsafeCheckpointError
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
    checkpoint_safe_globals,
    load_checkpoint_file,
    mmengine_loads_safely,
    trusting_checkpoints,
)
from .validation import allowing_nonfinite_weights, check_checkpoint_parts

__all__ = [
    'CheckpointError',
    'CheckpointMismatchError',
    'LoadReport',
    'UnsafeCheckpointError',
    'adapt_stem_weight',
    'allowing_nonfinite_weights',
    'check_checkpoint_parts',
    'checkpoint_safe_globals',
    'convert_to_convnext_layout',
    'download_checkpoint',
    'infer_convnext_arch',
    'load_backbone_weights',
    'load_checkpoint_file',
    'load_model_weights',
    'mmengine_loads_safely',
    'read_state_dict',
    'state_dict_of',
    'trusting_checkpoints',
]
