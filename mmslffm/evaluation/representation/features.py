"""Global image embeddings of a frozen encoder, and their extraction over a list of images.

The embedding is the usual frozen-encoder feature (DINO's and RemoteCLIP's kNN / linear probe):
the last stage's map, globally average-pooled, through the backbone's final norm.

* ConvNeXt (mmpretrain's, or ours): exactly mmpretrain's ``ConvNeXt(out_indices=(3,),
  gap_before_final_norm=True)``; a backbone without ``norm3`` (SLFFM/SparK pretraining trains
  none) uses an affine-free LayerNorm, which is what the identity ``norm3`` written by
  ``tools/extract_backbone.py`` computes.
* ViT (mmpretrain's ``VisionTransformer`` / ``MAEViT``): the patch tokens after the final norm
  ``ln1``, averaged (MAE pretrains ``ln1`` but no pooled-feature norm).
"""

import inspect
from typing import Callable, List, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.utils import ProgressBar
from PIL import Image
from torch import nn

from mmslffm.datasets.image_io import read_image

# ImageNet statistics (RGB, 0-255), what every encoder here was pretrained with.
IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)
CONVNEXT_NORM_EPS = 1e-6  # mmpretrain ConvNeXt's LN2d eps


def is_vision_transformer(backbone: nn.Module) -> bool:
    return hasattr(backbone, 'patch_embed') and hasattr(backbone, 'layers')


@torch.no_grad()
def pooled_embedding(
    backbone: nn.Module, images: torch.Tensor
) -> torch.Tensor:
    """(B, 3, H, W) normalized images -> (B, D) embeddings (see module doc)."""
    if is_vision_transformer(backbone):
        return _vit_embedding(backbone, images)
    if not hasattr(backbone, 'downsample_layers'):
        raise TypeError(
            f'{type(backbone).__name__} is neither a ConvNeXt '
            'nor a VisionTransformer of mmpretrain'
        )
    x = images
    for downsample, stage in zip(backbone.downsample_layers, backbone.stages):
        x = stage(downsample(x))
    pooled = x.mean([-2, -1])
    last = len(backbone.stages) - 1
    norm = getattr(backbone, f'norm{last}', None)
    if norm is not None:
        return norm(pooled[..., None, None]).flatten(1)
    return F.layer_norm(pooled, pooled.shape[-1:], eps=CONVNEXT_NORM_EPS)


def _vit_embedding(vit: nn.Module, images: torch.Tensor) -> torch.Tensor:
    if vit.out_type != 'raw' or vit.num_layers - 1 not in vit.out_indices:
        raise ValueError(
            "the ViT embedding needs out_type='raw' and the last "
            'layer in out_indices (the default of MAEViT)'
        )
    if 'mask' in inspect.signature(vit.forward).parameters:  # MAEViT
        tokens = vit(images, mask=None)[-1]
    else:
        tokens = vit(images)[-1]
    return tokens[:, vit.num_extra_tokens :].mean(dim=1)


def load_image_tensor(
    path: str,
    size: int,
    mean: Sequence[float] = IMAGENET_MEAN,
    std: Sequence[float] = IMAGENET_STD,
) -> torch.Tensor:
    """One image resized (bicubic) to ``size`` x ``size``, normalized: (3, S, S)."""
    image = Image.fromarray(read_image(path)).resize(
        (size, size), Image.BICUBIC
    )
    array = (
        np.asarray(image, dtype=np.float32) - np.float32(mean)
    ) / np.float32(std)
    return torch.from_numpy(array).permute(2, 0, 1).contiguous()


def extract_features(
    embed: Callable[[torch.Tensor], torch.Tensor],
    paths: List[str],
    size: int = 224,
    batch_size: int = 32,
    mean: Sequence[float] = IMAGENET_MEAN,
    std: Sequence[float] = IMAGENET_STD,
    progress: bool = True,
    device: Optional[str] = None,
) -> np.ndarray:
    """Embed every image of ``paths`` once: (N, D) float32.

    Args:
        embed: maps a (B, 3, S, S) normalized batch to (B, D), e.g.
            ``functools.partial(pooled_embedding, backbone)``.
        progress: show a progress bar (images done, rate, time left).
    """
    bar = ProgressBar(len(paths)) if progress else None
    chunks = []
    for start in range(0, len(paths), batch_size):
        batch = torch.stack(
            [
                load_image_tensor(p, size, mean, std)
                for p in paths[start : start + batch_size]
            ]
        )
        if device:
            batch = batch.to(device)
        chunks.append(embed(batch).float().cpu().numpy())
        if bar:
            bar.update(len(batch))
    if bar:
        print()
    return np.concatenate(chunks)
