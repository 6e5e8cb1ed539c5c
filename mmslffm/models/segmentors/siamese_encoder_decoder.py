"""Siamese encoder-decoder: mmseg's ``EncoderDecoder`` for a pair of co-registered images.

mmseg has no change-detection segmentor and open-cd (which has one) is not installable on the
current OpenMMLab generation, so this class adds the one thing a change detector needs on top
of mmseg: ``inputs`` carry the two images stacked on channels, (B, 2C, H, W) with A's bands
first, and ``extract_feat`` runs the *shared* backbone (and optional neck) on A and on B and
returns the two feature sets as a pair. Everything else (``loss``, ``predict``, whole and
``slide`` inference, auxiliary heads) is mmseg's, so ``predict`` returns ``SegDataSample`` with
``pred_sem_seg`` in {0, 1} for a 2-class head.

The shared (weight-tied) backbone for both dates is BIT's design (Chen et al., "Remote Sensing
Image Change Detection with Transformers", IEEE TGRS 2022), kept by SLFFM's change-detection
protocol (Dong et al., IEEE TGRS 2024).
"""

from typing import Tuple

import torch
from mmseg.models.segmentors import EncoderDecoder

from mmslffm.registry import MODELS

FeaturePair = Tuple[Tuple[torch.Tensor, ...], Tuple[torch.Tensor, ...]]

__all__ = ['SiameseEncoderDecoder', 'FeaturePair']


@MODELS.register_module()
class SiameseEncoderDecoder(EncoderDecoder):
    """Shared-weight backbone on both images, a head that takes both feature sets.

    Takes mmseg ``EncoderDecoder``'s arguments. The decode head (and any
    auxiliary head) receives ``(feats_a, feats_b)``, each the tuple the
    backbone/neck returns for one image (e.g. :class:`~mmslffm.models.decode_heads.BITHead`).

    Shapes:
        inputs: (B, 2C, H, W), image A's C bands then image B's.
        extract_feat -> (feats_a, feats_b), feats_x[i]: (B, C_i, H_i, W_i).
    """

    def extract_feat(self, inputs: torch.Tensor) -> FeaturePair:
        """Run the shared backbone on A and B in one batch, split the result."""
        if inputs.dim() != 4 or inputs.size(1) % 2:
            raise ValueError(
                'SiameseEncoderDecoder expects inputs (B, 2C, H, W): image A '
                'and image B concatenated on channels, got shape '
                f'{tuple(inputs.shape)}'
            )
        batch = inputs.size(0)
        image_a, image_b = inputs.chunk(2, dim=1)
        feats = self.backbone(torch.cat([image_a, image_b], dim=0))
        if self.with_neck:
            feats = self.neck(feats)
        feats_a = tuple(feat[:batch] for feat in feats)
        feats_b = tuple(feat[batch:] for feat in feats)
        return feats_a, feats_b
