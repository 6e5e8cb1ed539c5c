"""Layer-wise learning-rate decay for any model whose backbone knows its layer depths.

mmpretrain's ``LearningRateDecayOptimWrapperConstructor`` asks the *whole model* for
``get_layer_depth``, which only its classifiers have; detectors, segmentors and change
detectors do not. This constructor asks the backbone (mmpretrain's ConvNeXt grouping: 12 layers
for ConvNeXt-S/B/L, 6 for T) and gives every parameter outside it (neck, heads) the full rate.

Layer-wise lr decay is BEiT's (Bao et al., "BEiT: BERT Pre-Training of Image Transformers",
ICLR 2022); SLFFM fine-tunes every task with a rate of 0.9 (Zhang et al., IEEE TGRS 2024).
"""
from typing import Callable, List, Optional

from mmpretrain.engine.optimizers import \
    LearningRateDecayOptimWrapperConstructor
from torch import nn

from mmslffm.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class BackboneLayerDecayOptimWrapperConstructor(
        LearningRateDecayOptimWrapperConstructor):
    """``paramwise_cfg=dict(layer_decay_rate=0.9, ...)`` for detectors and segmentors.

    The model must have a ``backbone`` with ``get_layer_depth(name, prefix)``
    (:class:`~mmslffm.models.SparseConvNeXt` and mmpretrain's ConvNeXt do).
    """

    def add_params(self,
                   params: List[dict],
                   module: nn.Module,
                   prefix: str = '',
                   get_layer_depth: Optional[Callable] = None,
                   **kwargs) -> None:
        # mmpretrain recurses into the children with get_layer_depth set, so
        # only the top-level call (the whole model) looks for the backbone.
        if get_layer_depth is None:
            backbone = getattr(module, 'backbone', None)
            if backbone is None or not hasattr(backbone, 'get_layer_depth'):
                raise ValueError(
                    f'{type(module).__name__} has no backbone with '
                    'get_layer_depth(); layer-wise lr decay needs one (use '
                    "SparseConvNeXt, or the 'DefaultOptimWrapperConstructor')")

            def get_layer_depth(name: str):
                return backbone.get_layer_depth(name, prefix='backbone.')

        super().add_params(params, module, prefix=prefix,
                           get_layer_depth=get_layer_depth, **kwargs)
