"""Write a backbone-only checkpoint in mmpretrain's ConvNeXt layout from any ConvNeXt checkpoint.

Serves both ``tools/extract_backbone.py`` (our pretraining checkpoints, backbone under
``backbone.``) and ``tools/convert_official.py`` (the reference's SLFFM/SparK/FB/timm files).
"""

import os
import os.path as osp
from typing import Dict, Optional

import torch

import mmslffm
from mmslffm.checkpoint import (
    LoadReport,
    convert_to_convnext_layout,
    infer_convnext_arch,
    load_backbone_weights,
    read_state_dict,
)
from mmslffm.models.backbones import SparseConvNeXt
from mmslffm.utils.atomic_output import written_atomically


def _arch_name(depths, channels) -> Optional[str]:
    for name, setting in SparseConvNeXt.arch_settings.items():
        if setting == dict(depths=depths, channels=channels):
            return name
    return None


def export_backbone(
    src: str,
    dst: str,
    prefix: Optional[str] = None,
    method: str = 'SLFFM',
    min_matched: float = 0.95,
    state_dict: Optional[Dict[str, torch.Tensor]] = None,
) -> LoadReport:
    """Convert ``src`` and save its backbone to ``dst``.

    The arch is read off the weights. Output norms (``norm0``-``norm3``) that
    the source lacks (SLFFM pretrains none) are written as identity
    (weight 1, bias 0), exactly what a fresh LayerNorm holds, so that a
    ConvNeXt with ``out_indices=(0, 1, 2, 3)`` loads the file with no missing
    key. Anything else is written only if it was loaded from ``src``.

    Args:
        state_dict: the weights of ``src`` when the caller has read them.

    Returns:
        The load report (raises CheckpointMismatchError below ``min_matched``).
    """
    if state_dict is None:
        state_dict = read_state_dict(src)
    outside_prefix = []
    if prefix:
        outside_prefix = [k for k in state_dict if not k.startswith(prefix)]
        state_dict = {
            k[len(prefix) :]: v
            for k, v in state_dict.items()
            if k.startswith(prefix)
        }
    converted, dropped = convert_to_convnext_layout(state_dict)
    if not converted:
        raise ValueError(
            f'{src}: no ConvNeXt backbone weights found'
            + (f" under prefix '{prefix}'" if prefix else '')
        )
    arch = infer_convnext_arch(converted)
    model = SparseConvNeXt(
        arch=dict(depths=arch['depths'], channels=arch['channels']),
        in_channels=arch['in_channels'],
    )
    report = load_backbone_weights(
        model, converted, min_matched=min_matched, source=src
    )
    report.dropped = outside_prefix + dropped  # e.g. the decoder, mask tokens
    weights = model.state_dict()
    backbone = {key: weights[key] for key in report.matched}
    for key in report.missing:
        if key.startswith('norm'):
            backbone[key] = (
                torch.ones_like(weights[key])
                if key.endswith('weight')
                else torch.zeros_like(weights[key])
            )
    meta = dict(
        method=method,
        arch=_arch_name(arch['depths'], arch['channels']),
        depths=arch['depths'],
        channels=arch['channels'],
        in_channels=arch['in_channels'],
        source=osp.basename(src),
        layout='mmpretrain.ConvNeXt',
        mmslffm_version=mmslffm.__version__,
    )
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    with written_atomically(dst) as partial:  # never half a file at dst
        torch.save(dict(state_dict=backbone, meta=meta), partial)
    return report
