"""Runner pieces of SLFFM: hooks, optimizer helpers and the runner that mmengine/mmpretrain lack."""
from .epoch_position_hook import EpochPositionHook
from .optim_constructors import (BackboneLayerDecayOptimWrapperConstructor,
                                 ParamwiseSummaryOptimWrapperConstructor)
from .random_state_hook import RandomStateHook
from .reconstruction_preview_hook import ReconstructionPreviewHook
from .safe_checkpoint_hook import SafeCheckpointHook
from .safe_checkpoint_runner import (SafeCheckpointRunner,
                                     find_resumable_checkpoint)

__all__ = [
    'BackboneLayerDecayOptimWrapperConstructor', 'EpochPositionHook',
    'ParamwiseSummaryOptimWrapperConstructor', 'RandomStateHook',
    'ReconstructionPreviewHook', 'SafeCheckpointHook', 'SafeCheckpointRunner',
    'find_resumable_checkpoint'
]
