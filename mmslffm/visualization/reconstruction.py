"""Pictures of what SLFFM reconstructs.

Columns: original | masked input | low-pass target | reconstruction.
"""

from typing import Optional

import cv2
import numpy as np
import torch

from mmslffm.models.utils import random_active_mask

PANEL_TITLES = (
    'original',
    'masked input',
    'low-pass target',
    'reconstruction',
)
TITLE_HEIGHT = 20


def _title_strip(width: int, gap: int) -> np.ndarray:
    """(TITLE_HEIGHT, 4 * width + 3 * gap, 3) white strip, a title over each panel."""
    strip = np.full((TITLE_HEIGHT, 4 * (width + gap) - gap, 3), 255, np.uint8)
    scale = min(0.45, width / 260)
    for col, title in enumerate(PANEL_TITLES):
        text_width = cv2.getTextSize(
            title, cv2.FONT_HERSHEY_SIMPLEX, scale, 1
        )[0][0]
        left = col * (width + gap) + max(0, (width - text_width) // 2)
        cv2.putText(
            strip,
            title,
            (left, TITLE_HEIGHT - 6),
            cv2.FONT_HERSHEY_SIMPLEX,
            scale,
            (0, 0, 0),
            1,
            cv2.LINE_AA,
        )
    return strip


def _to_pixels(
    images: torch.Tensor, mean: torch.Tensor, std: torch.Tensor
) -> np.ndarray:
    """(B, 3, H, W) normalized -> (B, H, W, 3) uint8."""
    pixels = (images.float() * std + mean).clamp(0, 255).round()
    return pixels.byte().permute(0, 2, 3, 1).cpu().numpy()


@torch.no_grad()
def render_reconstruction(
    model: torch.nn.Module,
    images: torch.Tensor,
    active: Optional[torch.Tensor] = None,
    seed: int = 0,
    gap: int = 4,
) -> np.ndarray:
    """Reconstruct ``images`` and lay out one row of four panels per image.

    Args:
        model: an :class:`~mmslffm.models.SLFFM` (not wrapped).
        images: (B, 3, H, W), normalized as the model's data preprocessor does.
        active: bool (B, 1, H/32, W/32) visible patches; drawn with ``seed``
            at the model's mask ratio when None.
        seed: mask seed, so previews at different iterations are comparable.
        gap: white pixels between panels.

    Returns:
        uint8 (TITLE_HEIGHT + B*H + gaps, 4*W + gaps, 3) RGB picture, the
        column titles on top. The reconstruction panel shows predicted masked
        patches (rescaled with the low-pass target's patch statistics) beside
        the visible input patches.
    """
    was_training = model.training
    model.eval()
    target = model.target_generator
    if active is None:
        batch, _, height, width = images.shape
        grid = (height // model.patch_size, width // model.patch_size)
        active = random_active_mask(
            batch,
            grid,
            model.mask_ratio,
            device=images.device,
            generator=torch.Generator().manual_seed(seed),
        )
    prediction = model.reconstruct(images, active).float()
    low_pass = target.low_pass(images)
    mean, std = target.patch_statistics(low_pass)
    visible = active.repeat_interleave(model.patch_size, 2).repeat_interleave(
        model.patch_size, 3
    )
    panels = [
        images,
        images * visible,
        low_pass,
        torch.where(visible, images, prediction * std + mean),
    ]
    model.train(was_training)
    pixels = [_to_pixels(p, target.mean, target.std) for p in panels]
    batch, height, width, _ = pixels[0].shape
    canvas = np.full(
        (batch * (height + gap) - gap, 4 * (width + gap) - gap, 3),
        255,
        np.uint8,
    )
    for row in range(batch):
        for col, panel in enumerate(pixels):
            top, left = row * (height + gap), col * (width + gap)
            canvas[top : top + height, left : left + width] = panel[row]
    return np.concatenate([_title_strip(width, gap), canvas])
