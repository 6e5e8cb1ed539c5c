"""Runner pieces of SLFFM: hooks and optimizer helpers that mmengine/mmpretrain lack."""
from .knn_monitor_hook import KNNMonitorHook
from .optim_constructors import BackboneLayerDecayOptimWrapperConstructor
from .random_state_hook import RandomStateHook
from .reconstruction_preview_hook import ReconstructionPreviewHook

__all__ = [
    'BackboneLayerDecayOptimWrapperConstructor', 'KNNMonitorHook', 'RandomStateHook',
    'ReconstructionPreviewHook'
]
