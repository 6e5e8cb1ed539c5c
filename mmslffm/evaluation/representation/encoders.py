"""Build a frozen encoder from any backbone checkpoint: ConvNeXt or ViT, ours or mmpretrain's.

Accepted files (the architecture is read off the weights):

* backbone files of ``tools/extract_backbone.py`` / ``tools/convert_official.py`` and
  mmpretrain's ConvNeXt classifiers (``backbone.`` prefix, head dropped);
* full pretraining checkpoints of ``tools/train.py`` (SLFFM, SparK, MAE: the encoder under
  ``backbone.`` is kept, decoder and mask tokens dropped);
* mmpretrain ViT / MAEViT weights (``patch_embed.projection``, ``layers.N``, ``ln1``). The head
  count is not stored in weights: it defaults to ``embed_dims // 64`` (ViT-T/S/B/L, MAE's
  encoders) and is set with ``vit_num_heads`` otherwise.
"""

import re
from typing import Dict, Optional, Tuple

import torch
from mmpretrain.models import VisionTransformer
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS
from torch import nn

from mmslffm.checkpoint import (
    convert_to_convnext_layout,
    infer_convnext_arch,
    load_backbone_weights,
    read_state_dict,
)
from mmslffm.models.backbones import SparseConvNeXt

VIT_KEYS = ('patch_embed.projection.weight', 'pos_embed')


def _under_backbone(
    state_dict: Dict[str, torch.Tensor],
) -> Dict[str, torch.Tensor]:
    """The ``backbone.`` part of a full model checkpoint, else the input."""
    backbone = {
        k[len('backbone.') :]: v
        for k, v in state_dict.items()
        if k.startswith('backbone.')
    }
    return backbone or state_dict


def build_vit(
    state_dict: Dict[str, torch.Tensor], num_heads: Optional[int] = None
) -> nn.Module:
    """A ``VisionTransformer(out_type='raw')`` shaped like ``state_dict``."""
    layers = {
        int(m[1])
        for k in state_dict
        if (m := re.match(r'^layers\.(\d+)\.', k))
    }
    patch = state_dict['patch_embed.projection.weight']
    embed_dims, in_channels, patch_size = patch.shape[:3]
    cls_token = 'cls_token' in state_dict
    grid = int(
        round((state_dict['pos_embed'].shape[1] - int(cls_token)) ** 0.5)
    )
    arch = dict(
        embed_dims=embed_dims,
        num_layers=len(layers),
        num_heads=num_heads or max(embed_dims // 64, 1),
        feedforward_channels=state_dict[
            'layers.0.ffn.layers.0.0.weight'
        ].shape[0],
    )
    with MMPRETRAIN_MODELS.switch_scope_and_registry('mmpretrain'):
        return VisionTransformer(
            arch=arch,
            img_size=grid * patch_size,
            patch_size=patch_size,
            in_channels=in_channels,
            out_type='raw',
            with_cls_token=cls_token,
            final_norm='ln1.weight' in state_dict,
        )


def build_encoder(
    checkpoint: str, vit_num_heads: Optional[int] = None
) -> Tuple[nn.Module, str]:
    """Load ``checkpoint`` into a frozen encoder in eval mode.

    Returns:
        (encoder, description such as ``'ConvNeXt depths [2, 2, 6, 2] ...'``).

    Raises:
        ValueError naming the file when it holds neither a ConvNeXt nor a ViT.
    """
    state_dict = _under_backbone(read_state_dict(checkpoint))
    if all(k in state_dict for k in VIT_KEYS):
        encoder = build_vit(state_dict, vit_num_heads)
        missing, unexpected = encoder.load_state_dict(state_dict, strict=False)
        missing = [k for k in missing if not k.startswith('ln2')]
        if missing:
            raise ValueError(
                f'{checkpoint}: ViT weights missing {missing[:3]} (set '
                '--vit-num-heads if the head count is not embed_dims/64)'
            )
        description = (
            f'ViT {encoder.embed_dims}d x {encoder.num_layers} '
            f'layers, patch {encoder.patch_embed.projection.kernel_size[0]}'
        )
    else:
        converted, _ = convert_to_convnext_layout(state_dict)
        if not converted:
            raise ValueError(
                f'{checkpoint}: neither a ConvNeXt nor a ViT backbone (keys '
                f'start with {sorted({k.split(".")[0] for k in state_dict})[:5]}'
                '); give a file of tools/train.py, tools/extract_backbone.py '
                'or an mmpretrain ConvNeXt/ViT checkpoint'
            )
        arch = infer_convnext_arch(converted)
        encoder = SparseConvNeXt(
            arch=dict(depths=arch['depths'], channels=arch['channels']),
            in_channels=arch['in_channels'],
            out_indices=(3,),
            gap_before_final_norm=True,
        )
        load_backbone_weights(encoder, converted, source=checkpoint)
        description = (
            f'ConvNeXt depths {arch["depths"]} channels {arch["channels"]}'
        )
    encoder.eval()
    for parameter in encoder.parameters():
        parameter.requires_grad_(False)
    return encoder, description
