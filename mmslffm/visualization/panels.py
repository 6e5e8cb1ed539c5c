"""Pictures laid out from panels (training samples, image pairs and their labels)."""

from typing import Sequence

import numpy as np

__all__ = ['side_by_side']


def side_by_side(panels: Sequence[np.ndarray], gap: int = 4) -> np.ndarray:
    """(H_i, W_i, 3) uint8 panels left to right, top-aligned, ``gap`` white pixels apart."""
    height = max(p.shape[0] for p in panels)
    width = sum(p.shape[1] for p in panels) + gap * (len(panels) - 1)
    canvas = np.full((height, width, 3), 255, np.uint8)
    left = 0
    for panel in panels:
        canvas[: panel.shape[0], left : left + panel.shape[1]] = panel
        left += panel.shape[1] + gap
    return canvas
