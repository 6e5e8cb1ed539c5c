"""Densify sparse encoder maps for the decoder: norm, fill masked sites with mask tokens, project.

SparK's densify step. mmpretrain's ``SparK`` has one, but it reads the mask from a class-global
(``SparseHelper._cur_active``); this one takes the mask as an argument.

Reference: Tian et al., "Designing BERT for Convolutional Networks: Sparse and Hierarchical
Masked Modeling" (SparK), ICLR 2023, as used by SLFFM (Dong et al., IEEE TGRS 2024).
"""

from typing import List, Sequence

import torch
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_
from mmpretrain.models.utils import build_norm_layer
from mmpretrain.registry import MODELS as MMPRETRAIN_MODELS
from torch import nn

from mmslffm.registry import MODELS
from ..utils import ActiveSites


@MODELS.register_module()
class SparseDensify(BaseModule):
    """Per level, deepest first: LayerNorm, mask tokens, projection conv.

    Args:
        in_channels: encoder widths, deepest first (B: [1024, 512, 256, 128]).
        out_channels: decoder widths, same order (B: [768, 384, 192, 96]).
        norm_cfg: the per-position norm (over channels, so masked sites never
            affect active ones).

    Shapes:
        forward: maps deepest first, (B, C_i, H_i, W_i), zero at masked sites
        -> list of (B, out_i, H_i, W_i), dense.
    """

    def __init__(
        self,
        in_channels: Sequence[int],
        out_channels: Sequence[int],
        norm_cfg: dict = None,
        init_cfg=None,
    ):
        if norm_cfg is None:
            norm_cfg = dict(type='LN2d', eps=1e-06)
        super().__init__(init_cfg=init_cfg)
        if len(in_channels) != len(out_channels):
            raise ValueError(
                'in_channels and out_channels need one entry per '
                f'level, got {in_channels} and {out_channels}'
            )
        with MMPRETRAIN_MODELS.switch_scope_and_registry('mmpretrain'):
            self.norms = nn.ModuleList(
                build_norm_layer(norm_cfg, c) for c in in_channels
            )
        self.mask_tokens = nn.ParameterList()
        self.projections = nn.ModuleList()
        for level, (c_in, c_out) in enumerate(zip(in_channels, out_channels)):
            token = nn.Parameter(torch.zeros(1, c_in, 1, 1))
            trunc_normal_(token, std=0.02, a=-0.02, b=0.02)
            self.mask_tokens.append(token)
            kernel = 1 if level == 0 else 3
            self.projections.append(
                nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2)
            )

    def forward(
        self, maps: List[torch.Tensor], sites: ActiveSites
    ) -> List[torch.Tensor]:
        dense = []
        for x, norm, token, projection in zip(
            maps, self.norms, self.mask_tokens, self.projections
        ):
            active = sites.mask(x.shape[-2:])
            x = torch.where(active, norm(x), token.to(x.dtype))
            dense.append(projection(x))
        return dense
