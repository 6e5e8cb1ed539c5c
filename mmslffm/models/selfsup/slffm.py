"""SLFFM: sparse masked image modeling of a ConvNeXt with a low-frequency filtered target.

An mmpretrain self-supervisor, so mmpretrain's data preprocessor, LAMB, schedulers and hooks
work unchanged. Reused from mmpretrain: the light UNet decoder (``SparKLightDecoder``) and the
masked-patch MSE head (``SparKPretrainHead`` + ``PixelReconstructionLoss``). Ours: the explicit
mask (no global), the sparse encoder path, densify, and the low-frequency target.

Reference: Dong et al., "Generative ConvNet Foundation Model With Sparse Modeling and
Low-Frequency Reconstruction for Remote Sensing Image Interpretation", IEEE TGRS 2024. It keeps
SparK's masking (32-px patches, 60% hidden), sparse encoder and decoder (Tian et al.,
"Designing BERT for Convolutional Networks: Sparse and Hierarchical Masked Modeling", ICLR
2023) and replaces SparK's raw-pixel target by a low-pass filtered one.
"""

from typing import Dict, List, Optional, Union

import torch
from mmpretrain.models.selfsup import BaseSelfSupervisor
from mmpretrain.structures import DataSample

from mmslffm.registry import MODELS
from ..utils import ActiveSites, random_active_mask
from .densify import SparseDensify


@MODELS.register_module()
class SLFFM(BaseSelfSupervisor):
    """Sparse Low-Frequency Filtered Masked modeling.

    Args:
        backbone: a :class:`SparseConvNeXt` config (its ``forward(x, active)``
            gives the 4 masked stage maps).
        neck: the decoder, e.g. ``mmpretrain.SparKLightDecoder``.
        head: the loss head, e.g. ``mmpretrain.SparKPretrainHead`` with
            ``norm_pix=False`` (the target is already normalized per patch).
        target_generator: :class:`LowFreqFilteredTarget`.
        densify: :class:`SparseDensify` config without channels (filled in
            from the backbone and the decoder width).
        mask_ratio: fraction of patches hidden per sample (0.6).
        patch_size: mask patch side = the encoder's total stride (32).
        channels_last_decoder: keep densify's and the decoder's weights and
            maps channels-last. The decoder costs more than the sparse
            encoder (about 20 GFLOPs per 224-px image at width 768, most of
            it in wide maps of few channels), and oneDNN's channels-last
            convolutions are faster there: 1.37 -> 1.18 s for its forward +
            backward at batch 4 on 2 CPU cores. Not bit-identical to
            channels-first: sums run in another order (see the tests for
            the measured difference).

    Shapes:
        inputs (B, 3, H, W) normalized, H and W multiples of ``patch_size``.
    """

    def __init__(
        self,
        backbone: dict,
        neck: dict,
        head: dict,
        target_generator: dict,
        densify: Optional[dict] = None,
        mask_ratio: float = 0.6,
        patch_size: int = 32,
        channels_last_decoder: bool = True,
        data_preprocessor: Optional[dict] = None,
        init_cfg: Optional[dict] = None,
    ):
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            target_generator=target_generator,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg,
        )
        if not 0 <= mask_ratio < 1:
            raise ValueError(f'mask_ratio must be in [0, 1), got {mask_ratio}')
        if getattr(self.target_generator, 'mean', 0) is None:
            preprocessor = self.data_preprocessor
            if not getattr(preprocessor, '_enable_normalize', False):
                raise ValueError(
                    'SLFFM: give the data preprocessor (or the '
                    'target generator) a mean and std'
                )
            self.target_generator.set_normalization(
                preprocessor.mean.flatten(), preprocessor.std.flatten()
            )
        self.mask_ratio = mask_ratio
        self.patch_size = patch_size
        encoder_widths = list(self.backbone.channels)[::-1]
        decoder_widths = [
            self.neck.feature_dim // 2**i for i in range(len(encoder_widths))
        ]
        self.densify = SparseDensify(
            in_channels=encoder_widths,
            out_channels=decoder_widths,
            **(densify or {}),
        )
        self.decoder_memory_format = (
            torch.channels_last
            if channels_last_decoder
            else torch.contiguous_format
        )
        self.densify.to(memory_format=self.decoder_memory_format)
        self.neck.to(memory_format=self.decoder_memory_format)

    def draw_mask(self, images: torch.Tensor) -> torch.Tensor:
        """Bool (B, 1, H/p, W/p): a fresh random active-patch mask per sample."""
        batch, _, height, width = images.shape
        return random_active_mask(
            batch,
            (height // self.patch_size, width // self.patch_size),
            self.mask_ratio,
            device=images.device,
        )

    def reconstruct(
        self, images: torch.Tensor, active: torch.Tensor
    ) -> torch.Tensor:
        """Decoder output (B, 3, H, W) for the visible patches ``active``."""
        sites = ActiveSites(active, images.shape[-2:])
        maps = [
            stage_map.contiguous(memory_format=self.decoder_memory_format)
            for stage_map in self.backbone(images, active)
        ]
        return self.neck(self.densify(maps[::-1], sites))

    def loss(
        self,
        inputs: Union[torch.Tensor, List[torch.Tensor]],
        data_samples: List[DataSample],
        **kwargs,
    ) -> Dict[str, torch.Tensor]:
        images = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        active = self.draw_mask(images)
        prediction = self.reconstruct(images, active)
        target = self.target_generator(images)
        return dict(loss=self.head(prediction, target, active))
