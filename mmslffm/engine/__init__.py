"""Runner pieces of SLFFM: hooks and optimizer helpers that mmengine/mmpretrain lack."""
from .optim_constructors import (BackboneLayerDecayOptimWrapperConstructor,
                                 ParamwiseSummaryOptimWrapperConstructor)
from .random_state_hook import RandomStateHook
from .reconstruction_preview_hook import ReconstructionPreviewHook

__all__ = [
    'BackboneLayerDecayOptimWrapperConstructor',
    'ParamwiseSummaryOptimWrapperConstructor', 'RandomStateHook',
    'ReconstructionPreviewHook'
]
