"""BIT head: the bitemporal image transformer of Chen et al. (TGRS 2022) as an mmseg decode head.

"Remote Sensing Image Change Detection with Transformers" (H. Chen, Z. Qi, Z. Shi) describes a
head that turns each image's feature map into a few semantic tokens, models the context of
both dates in token space, projects the tokens back to pixels and classifies the feature
difference. No maintained OpenMMLab package ships it (open-cd does, but is not installable here
and its BIT follows non-commercial code), so it is written here from the paper.

Paper choices kept:
    * a point-wise conv reduces the backbone feature to C = ``channels`` = 32;
    * semantic tokenizer: a point-wise conv gives L = ``token_len`` = 4 spatial attention maps,
      softmax over the pixels, tokens are the attention-weighted sums of the features;
    * the 2L tokens of both dates are concatenated, a learned positional embedding is added,
      and a transformer encoder (``enc_depth`` = 1 layer of multi-head self-attention + MLP,
      pre-LayerNorm) models their context;
    * a Siamese transformer decoder (``dec_depth`` = 8 layers of multi-head cross-attention,
      pixels as queries and that date's tokens as keys/values, + MLP, pre-LayerNorm, no
      self-attention among pixels) refines each date's pixel features; 8 heads;
    * the absolute feature difference |A - B| is upsampled (bilinear, x``upsample_factor``) and
      classified by a shallow FCN: conv3x3-BN-ReLU then conv3x3 to ``num_classes`` (2).
Chosen here (where we did not find the paper explicit): 64 channels per
head (``head_dim``), MLP width 2C with GELU, no dropout; the feature comes from any backbone
(the SLFFM reference feeds ConvNeXt stage 0, stride 4, so ``upsample_factor=4`` restores the
input size) instead of the paper's modified ResNet-18; an optional learned positional
embedding for the decoder's pixel queries (``dec_with_pos``, off by default).
"""

from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmcv.cnn.bricks.transformer import FFN
from mmengine.model.weight_init import trunc_normal_
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from torch import nn

from mmslffm.registry import MODELS

__all__ = ['BITHead', 'TokenAttention', 'PreNormTransformerLayer']


class TokenAttention(nn.Module):
    """Multi-head (self- or cross-) attention whose head width is free of the model width.

    ``nn.MultiheadAttention`` and mmcv's wrapper fix the head width to
    ``dim / num_heads``; BIT uses 8 heads of 64 channels over C = 32.

    Shapes:
        query (B, N, C), context (B, M, C) -> (B, N, C).
    """

    def __init__(
        self, dim: int, num_heads: int, head_dim: int, dropout: float = 0.0
    ) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = head_dim
        inner = num_heads * head_dim
        self.to_query = nn.Linear(dim, inner, bias=False)
        self.to_key_value = nn.Linear(dim, 2 * inner, bias=False)
        self.proj = nn.Linear(inner, dim)
        self.dropout = dropout
        self.proj_drop = nn.Dropout(dropout)

    def _split_heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape
        return x.view(batch, length, self.num_heads, self.head_dim).transpose(
            1, 2
        )

    def forward(
        self, query: torch.Tensor, context: torch.Tensor
    ) -> torch.Tensor:
        q = self._split_heads(self.to_query(query))
        k, v = map(
            self._split_heads, self.to_key_value(context).chunk(2, dim=-1)
        )
        out = F.scaled_dot_product_attention(
            q, k, v, dropout_p=self.dropout if self.training else 0.0
        )
        out = out.transpose(1, 2).flatten(2)
        return self.proj_drop(self.proj(out))


class PreNormTransformerLayer(nn.Module):
    """x = x + Attn(LN(x), LN(context)); x = x + MLP(LN(x)).

    Self-attention when ``forward`` gets no context (encoder), cross-attention
    otherwise (decoder; the context has its own LayerNorm).

    Shapes:
        x (B, N, C), context (B, M, C) or None -> (B, N, C).
    """

    def __init__(
        self,
        dim: int,
        num_heads: int,
        head_dim: int,
        mlp_ratio: float,
        dropout: float,
        cross: bool,
    ) -> None:
        super().__init__()
        self.norm_query = nn.LayerNorm(dim)
        self.norm_context = nn.LayerNorm(dim) if cross else None
        self.attention = TokenAttention(dim, num_heads, head_dim, dropout)
        self.norm_mlp = nn.LayerNorm(dim)
        self.mlp = FFN(
            embed_dims=dim,
            feedforward_channels=int(dim * mlp_ratio),
            act_cfg=dict(type='GELU'),
            ffn_drop=dropout,
            add_identity=True,
        )

    def forward(
        self, x: torch.Tensor, context: Optional[torch.Tensor] = None
    ) -> torch.Tensor:
        query = self.norm_query(x)
        if self.norm_context is None:
            context = query
        else:
            context = self.norm_context(context)
        x = x + self.attention(query, context)
        return self.mlp(self.norm_mlp(x), identity=x)


@MODELS.register_module()
class BITHead(BaseDecodeHead):
    """Bitemporal image transformer head (see the module docstring).

    Args:
        in_channels: channels of the selected backbone level (``in_index``).
        channels: token / pixel feature width C (paper: 32).
        token_len: semantic tokens per image L (paper: 4).
        enc_depth: transformer encoder layers (paper: 1).
        dec_depth: transformer decoder layers (paper: 8).
        num_heads: attention heads (paper: 8).
        head_dim: channels per head (64).
        mlp_ratio: MLP width / C (2).
        enc_with_pos: learned positional embedding on the 2L tokens.
        dec_with_pos: learned positional embedding on the decoder's pixel
            queries, stored at ``dec_pos_size`` and resized to the feature.
        upsample_factor: bilinear upsampling of |A - B| before the classifier.
        transformer_dropout: dropout in attention and MLPs.
        in_index: the backbone level the head reads (0: stride 4).
        **kwargs: :class:`mmseg BaseDecodeHead` arguments (``num_classes``,
            ``in_index``, ``norm_cfg``, ``loss_decode``, ``align_corners`` ...).

    Shapes:
        forward((feats_a, feats_b)) with feats_x[in_index] (B, in_channels, h, w)
        -> logits (B, num_classes, h * upsample_factor, w * upsample_factor).
    """

    def __init__(
        self,
        in_channels: int,
        channels: int = 32,
        token_len: int = 4,
        enc_depth: int = 1,
        dec_depth: int = 8,
        num_heads: int = 8,
        head_dim: int = 64,
        mlp_ratio: float = 2.0,
        enc_with_pos: bool = True,
        dec_with_pos: bool = False,
        dec_pos_size: int = 64,
        upsample_factor: int = 4,
        transformer_dropout: float = 0.0,
        in_index: int = 0,
        dropout_ratio: float = 0.0,
        norm_cfg: Optional[dict] = None,
        **kwargs,
    ) -> None:
        if norm_cfg is None:
            norm_cfg = dict(type='BN')
        super().__init__(
            in_channels,
            channels,
            in_index=in_index,
            dropout_ratio=dropout_ratio,
            norm_cfg=norm_cfg,
            **kwargs,
        )
        if isinstance(self.in_channels, (list, tuple)):
            raise ValueError(
                'BITHead takes one feature level: set in_index '
                'to an int and in_channels to its width'
            )
        self.token_len = token_len
        self.upsample_factor = upsample_factor
        self.reduce = nn.Conv2d(self.in_channels, channels, kernel_size=1)
        self.token_attention = nn.Conv2d(channels, token_len, kernel_size=1)
        self.token_pos = (
            nn.Parameter(torch.zeros(1, 2 * token_len, channels))
            if enc_with_pos
            else None
        )
        self.pixel_pos = (
            nn.Parameter(torch.zeros(1, channels, dec_pos_size, dec_pos_size))
            if dec_with_pos
            else None
        )
        layer_args = dict(
            dim=channels,
            num_heads=num_heads,
            head_dim=head_dim,
            mlp_ratio=mlp_ratio,
            dropout=transformer_dropout,
        )
        self.encoder = nn.ModuleList(
            [
                PreNormTransformerLayer(cross=False, **layer_args)
                for _ in range(enc_depth)
            ]
        )
        self.decoder = nn.ModuleList(
            [
                PreNormTransformerLayer(cross=True, **layer_args)
                for _ in range(dec_depth)
            ]
        )
        self.classifier = ConvModule(
            channels,
            channels,
            kernel_size=3,
            padding=1,
            norm_cfg=self.norm_cfg,
            act_cfg=self.act_cfg,
        )
        # The paper's classifier ends with a 3x3 conv, mmseg's with a 1x1.
        self.conv_seg = nn.Conv2d(
            channels, self.out_channels, kernel_size=3, padding=1
        )

    def init_weights(self) -> None:
        super().init_weights()
        for pos in (self.token_pos, self.pixel_pos):
            if pos is not None:
                trunc_normal_(pos, std=0.02)

    def tokenize(self, x: torch.Tensor) -> torch.Tensor:
        """Semantic tokens: (B, C, H, W) -> (B, L, C)."""
        attention = self.token_attention(x).flatten(2).softmax(dim=-1)
        return torch.einsum('blp,bcp->blc', attention, x.flatten(2))

    def encode_tokens(
        self, tokens_a: torch.Tensor, tokens_b: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Context of both dates: (B, L, C) x 2 -> (B, L, C) x 2."""
        tokens = torch.cat([tokens_a, tokens_b], dim=1)
        if self.token_pos is not None:
            tokens = tokens + self.token_pos
        for layer in self.encoder:
            tokens = layer(tokens)
        return tokens.split(self.token_len, dim=1)

    def decode_pixels(
        self, x: torch.Tensor, tokens: torch.Tensor
    ) -> torch.Tensor:
        """Project tokens back to pixels: (B, C, H, W), (B, L, C) -> (B, C, H, W)."""
        batch, channels, height, width = x.shape
        if self.pixel_pos is not None:
            x = x + resize(
                self.pixel_pos,
                size=(height, width),
                mode='bilinear',
                align_corners=False,
            )
        queries = x.flatten(2).transpose(1, 2)
        for layer in self.decoder:
            queries = layer(queries, tokens)
        return queries.transpose(1, 2).reshape(batch, channels, height, width)

    def forward(
        self, inputs: Tuple[Tuple[torch.Tensor, ...], Tuple[torch.Tensor, ...]]
    ) -> torch.Tensor:
        """(feats_a, feats_b) -> change logits (B, num_classes, H', W')."""
        feats_a, feats_b = inputs
        x_a = self.reduce(self._transform_inputs(feats_a))
        x_b = self.reduce(self._transform_inputs(feats_b))
        tokens_a, tokens_b = self.encode_tokens(
            self.tokenize(x_a), self.tokenize(x_b)
        )
        # Both dates through the shared decoder in one batch.
        decoded = self.decode_pixels(
            torch.cat([x_a, x_b]), torch.cat([tokens_a, tokens_b])
        )
        decoded_a, decoded_b = decoded.chunk(2, dim=0)
        difference = (decoded_a - decoded_b).abs()
        if self.upsample_factor != 1:
            difference = resize(
                difference,
                scale_factor=self.upsample_factor,
                mode='bilinear',
                align_corners=self.align_corners,
            )
        return self.cls_seg(self.classifier(difference))
