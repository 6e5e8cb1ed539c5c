"""Shrink any mmslffm model config to a tiny backbone, keeping necks and heads consistent.

The configs write the backbone's per-stage widths into the necks and heads that read them
(FPN and UperNet ``in_channels``, the BIT head's stage-0 width). :func:`width_dependent_settings`
derives those values from the backbone's ``arch`` and ``out_indices``, so the configuration
tests can check the real configs against it and :func:`tiny_model_overrides` can rewrite all
of them for a small arch in one step. The SparK light decoder's width (``feature_dim``) does
not follow the encoder (768 for ConvNeXt-B and -L, as in the SLFFM release); only
:func:`tiny_model_overrides` shrinks it, to keep tiny models fast.
"""

from typing import Any, Dict, List, Sequence, Union

from mmslffm.models.backbones import SparseConvNeXt

__all__ = [
    'backbone_widths',
    'width_dependent_settings',
    'tiny_model_overrides',
    'as_cfg_options',
]

TINY_ARCH = 'test'  # SparseConvNeXt: depths (1, 1, 2, 1), widths 8, 16, 32, 64
NECKS_AND_HEADS = ('neck', 'decode_head', 'auxiliary_head')


def backbone_widths(backbone: dict) -> List[int]:
    """Per-stage channels of a ``SparseConvNeXt`` config (arch name or dict)."""
    arch = backbone.get('arch', 'tiny')
    settings = (
        SparseConvNeXt.arch_settings[arch] if isinstance(arch, str) else arch
    )
    return list(settings['channels'])


def _pick(widths: Sequence[int], index: Union[int, Sequence[int]]):
    if isinstance(index, int):
        return widths[index]
    return [widths[i] for i in index]


def width_dependent_settings(model: dict) -> Dict[str, Any]:
    """What every neck/head setting that reads backbone features must be.

    Args:
        model: a model config with ``backbone`` (a ``SparseConvNeXt``) and
            any of ``neck``, ``decode_head``, ``auxiliary_head``.

    Returns:
        ``{'decode_head.in_channels': [128, 256, 512, 1024], ...}`` (keys
        relative to ``model``): a head with ``in_index`` reads those stages;
        a neck without it (FPN) reads every ``out_indices`` stage; the SparK
        light decoder (``feature_dim``) is free.
    """
    widths = backbone_widths(model['backbone'])
    out_indices = model['backbone'].get('out_indices', (0, 1, 2, 3))
    settings = {}
    for name in NECKS_AND_HEADS:
        part = model.get(name)
        if not part:
            continue
        if 'feature_dim' in part:
            continue
        if 'in_index' in part:
            settings[f'{name}.in_channels'] = _pick(widths, part['in_index'])
        elif 'in_channels' in part:
            settings[f'{name}.in_channels'] = _pick(widths, out_indices)
    return settings


def tiny_model_overrides(
    model: dict, arch: str = TINY_ARCH, prefix: str = 'model.'
) -> Dict[str, Any]:
    """Overrides that rebuild ``model`` on a tiny random backbone.

    Args:
        model: the config's ``model``.
        arch: the small ``SparseConvNeXt`` arch to use.
        prefix: prepended to every key (``'model.'`` for a whole config).

    Returns:
        Dotted keys for ``Config.merge_from_dict`` (or, through
        :func:`as_cfg_options`, for ``--cfg-options``): the backbone arch,
        no pretrained weights, every width-dependent neck/head setting and
        a small SparK decoder.
    """
    shrunk = dict(model, backbone=dict(model['backbone'], arch=arch))
    overrides = {
        'backbone.arch': arch,
        'backbone.init_cfg': None,
        **width_dependent_settings(shrunk),
    }
    if 'feature_dim' in (model.get('neck') or {}):
        # a decoder 3/4 as wide as the tiny encoder's last stage
        overrides['neck.feature_dim'] = (
            backbone_widths(shrunk['backbone'])[-1] * 3 // 4
        )
    return {prefix + key: value for key, value in overrides.items()}


def as_cfg_options(overrides: Dict[str, Any]) -> List[str]:
    """``{'a.b': [1, 2], 'c': None}`` -> ``['a.b=[1,2]', 'c=None']``."""

    def text(value):
        if isinstance(value, (list, tuple)):
            return '[' + ','.join(map(str, value)) + ']'
        return str(value)

    return [f'{key}={text(value)}' for key, value in overrides.items()]
