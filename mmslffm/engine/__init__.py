"""Runner pieces of SLFFM: hooks and optimizer helpers that mmengine/mmpretrain lack."""
from .optim_constructors import BackboneLayerDecayOptimWrapperConstructor

__all__ = ['BackboneLayerDecayOptimWrapperConstructor']
