"""Optimizer wrapper constructors: layer-wise lr decay for any backbone, and one-line logs.

* mmpretrain's ``LearningRateDecayOptimWrapperConstructor`` asks the *whole model* for
  ``get_layer_depth``, which only its classifiers have; detectors, segmentors and change
  detectors do not. :class:`BackboneLayerDecayOptimWrapperConstructor` asks the backbone
  (mmpretrain's ConvNeXt grouping: 12 layers for ConvNeXt-S/B/L, 6 for T) and gives every
  parameter outside it (neck, heads) the full rate.
* mmengine's ``DefaultOptimWrapperConstructor`` logs one INFO line per parameter and option
  (``paramwise_options -- ...``, over a hundred lines per run).
  :class:`ParamwiseSummaryOptimWrapperConstructor` builds the same optimizer, demotes those
  lines to DEBUG (``log_level='DEBUG'`` shows them) and logs one summary line instead.

Layer-wise lr decay is BEiT's (Bao et al., "BEiT: BERT Pre-Training of Image Transformers",
ICLR 2022); SLFFM fine-tunes every task with a rate of 0.9 (Dong et al., IEEE TGRS 2024).
"""

import logging
from typing import Callable, List, Optional

from mmengine.logging import MMLogger, print_log
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapper
from mmpretrain.engine.optimizers import (
    LearningRateDecayOptimWrapperConstructor,
)
from torch import nn

from mmslffm.registry import OPTIM_WRAPPER_CONSTRUCTORS

PER_PARAMETER_LOG = 'paramwise_options -- '


class _DemoteToDebug(logging.Filter):
    """Turn INFO records that start with ``prefix`` into DEBUG records."""

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith(self.prefix):
            record.levelno, record.levelname = logging.DEBUG, 'DEBUG'
        return True


def summarize_param_groups(wrapper: OptimWrapper) -> str:
    """One line: tensors, groups, distinct lr values, tensors without decay."""
    groups = wrapper.optimizer.param_groups
    tensors = sum(len(group['params']) for group in groups)
    no_decay = sum(
        len(group['params'])
        for group in groups
        if group.get('weight_decay', 0) == 0
    )
    rates = sorted({group['lr'] for group in groups})
    lr = (
        f'lr {rates[0]:.3g}'
        if len(rates) == 1
        else f'lr {rates[0]:.3g} .. {rates[-1]:.3g} ({len(rates)} values)'
    )
    return (
        f'optimizer {type(wrapper.optimizer).__name__}: {tensors} '
        f'parameter tensors in {len(groups)} groups, {lr}, {no_decay} '
        'without weight decay (per parameter with log_level=DEBUG)'
    )


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class ParamwiseSummaryOptimWrapperConstructor(DefaultOptimWrapperConstructor):
    """mmengine's default constructor that logs one summary line, not one per parameter."""

    def __call__(self, model: nn.Module) -> OptimWrapper:
        logger = MMLogger.get_current_instance()
        demote = _DemoteToDebug(PER_PARAMETER_LOG)
        logger.addFilter(demote)
        try:
            wrapper = super().__call__(model)
        finally:
            logger.removeFilter(demote)
        print_log(summarize_param_groups(wrapper), logger='current')
        return wrapper


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class BackboneLayerDecayOptimWrapperConstructor(
    LearningRateDecayOptimWrapperConstructor
):
    """``paramwise_cfg=dict(layer_decay_rate=0.9, ...)`` for detectors and segmentors.

    The model must have a ``backbone`` with ``get_layer_depth(name, prefix)``
    (:class:`~mmslffm.models.SparseConvNeXt` and mmpretrain's ConvNeXt do).
    """

    def add_params(
        self,
        params: List[dict],
        module: nn.Module,
        prefix: str = '',
        get_layer_depth: Optional[Callable] = None,
        **kwargs,
    ) -> None:
        # mmpretrain recurses into the children with get_layer_depth set, so
        # only the top-level call (the whole model) looks for the backbone.
        if get_layer_depth is None:
            backbone = getattr(module, 'backbone', None)
            if backbone is None or not hasattr(backbone, 'get_layer_depth'):
                raise ValueError(
                    f'{type(module).__name__} has no backbone with '
                    'get_layer_depth(); layer-wise lr decay needs one (use '
                    "SparseConvNeXt, or the 'DefaultOptimWrapperConstructor')"
                )

            def get_layer_depth(name: str):
                return backbone.get_layer_depth(name, prefix='backbone.')

        super().add_params(
            params,
            module,
            prefix=prefix,
            get_layer_depth=get_layer_depth,
            **kwargs,
        )

    def __call__(self, model: nn.Module) -> OptimWrapper:
        wrapper = super().__call__(model)
        rate = self.paramwise_cfg.get('layer_decay_rate', 1.0)
        print_log(
            f'layer-wise lr decay {rate}; ' + summarize_param_groups(wrapper),
            logger='current',
        )
        return wrapper
