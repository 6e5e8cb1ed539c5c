"""Runner pieces of SLFFM: hooks, optimizer helpers and the runner that mmengine/mmpretrain lack."""

from .amp import CPUAutocastOptimWrapper, amp_dtype, enable_amp
from .epoch_position_hook import EpochPositionHook
from .knn_monitor_hook import KNNMonitorHook
from .non_finite_loss_hook import NonFiniteLossHook, TrainingDivergedError
from .optim_constructors import (
    BackboneLayerDecayOptimWrapperConstructor,
    ParamwiseSummaryOptimWrapperConstructor,
)
from .optimizers import FusedLamb
from .random_state_hook import RandomStateHook
from .reconstruction_preview_hook import ReconstructionPreviewHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .safe_checkpoint_runner import (
    SafeCheckpointRunner,
    check_optimizer_state,
    find_resumable_checkpoint,
)

__all__ = [
    'BackboneLayerDecayOptimWrapperConstructor',
    'CPUAutocastOptimWrapper',
    'FusedLamb',
    'EpochPositionHook',
    'KNNMonitorHook',
    'NonFiniteLossHook',
    'ParamwiseSummaryOptimWrapperConstructor',
    'RandomStateHook',
    'ReconstructionPreviewHook',
    'SafeCheckpointHook',
    'SafeCheckpointRunner',
    'TrainingDivergedError',
    'amp_dtype',
    'check_optimizer_state',
    'enable_amp',
    'find_resumable_checkpoint',
]
