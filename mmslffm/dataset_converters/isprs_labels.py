"""ISPRS colour labels -> mmseg index masks, reporting colours outside the palette.

mmseg's own Potsdam converter maps every colour it does not know to 0 without a word, and its
colour hash (``r*2 + g*3 + b*4``) lets distinct colours collide. Here a colour is matched
exactly, and every unknown colour is counted so the converter can name it.

Index convention (mmseg's ``PotsdamDataset``, ``reduce_zero_label=True``): 0 = ignore,
1..6 = impervious surfaces, building, low vegetation, tree, car, clutter.

Benchmark: the ISPRS 2D Semantic Labeling Contest (Potsdam and Vaihingen), whose colour code
this is; its protocol leaves clutter out of the scores.
"""

from collections import Counter
from typing import Dict, Sequence, Tuple

import numpy as np

__all__ = [
    'BOUNDARY_COLOUR',
    'IGNORE_INDEX',
    'ISPRS_CLASSES',
    'ISPRS_PALETTE',
    'rgb_to_index',
    'format_unknown_colours',
]

Colour = Tuple[int, int, int]

ISPRS_CLASSES = (
    'impervious_surface',
    'building',
    'low_vegetation',
    'tree',
    'car',
    'clutter',
)
ISPRS_PALETTE: Tuple[Colour, ...] = (
    (255, 255, 255),
    (0, 0, 255),
    (0, 255, 255),
    (0, 255, 0),
    (255, 255, 0),
    (255, 0, 0),
)
#: black marks the eroded boundaries in the ISPRS ``*_noBoundary`` labels.
BOUNDARY_COLOUR: Colour = (0, 0, 0)
IGNORE_INDEX = 0


def _colour_codes(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 -> (H, W) int32 code ``r << 16 | g << 8 | b``."""
    rgb = rgb.astype(np.int32)
    return (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]


def rgb_to_index(
    rgb: np.ndarray,
    palette: Sequence[Colour] = ISPRS_PALETTE,
    ignore_colours: Sequence[Colour] = (),
) -> Tuple[np.ndarray, Dict[Colour, int]]:
    """Map an RGB label to indices 1..len(palette); anything else to 0.

    Args:
        rgb: (H, W, 3) uint8 label in RGB order.
        palette: class colours; class ``i`` (0-based) becomes ``i + 1``.
        ignore_colours: colours that mean "ignore" on purpose (the black
            boundary of eroded labels): mapped to 0 and not reported.

    Returns:
        (H, W) uint8 index mask and ``{colour: pixel count}`` of the colours
        that are neither in ``palette`` nor in ``ignore_colours``.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(
            f'expected an (H, W, 3) RGB label, got shape {rgb.shape}'
        )
    codes = _colour_codes(rgb)
    index = np.full(codes.shape, IGNORE_INDEX, dtype=np.uint8)
    known = np.zeros(codes.shape, dtype=bool)
    for class_index, colour in enumerate(palette, start=1):
        match = codes == _colour_codes(np.array(colour, np.uint8))
        index[match] = class_index
        known |= match
    for colour in ignore_colours:
        known |= codes == _colour_codes(np.array(colour, np.uint8))
    values, counts = np.unique(codes[~known], return_counts=True)
    unknown = {
        (int(v >> 16), int(v >> 8 & 255), int(v & 255)): int(n)
        for v, n in zip(values, counts)
    }
    return index, unknown


def format_unknown_colours(unknown: Dict[Colour, int], limit: int = 5) -> str:
    """``'1234 px: (254, 0, 0) x 1000, (1, 2, 3) x 234'``, the most frequent first."""
    total = sum(unknown.values())
    common = Counter(unknown).most_common(limit)
    listed = ', '.join(f'{colour} x {count}' for colour, count in common)
    more = (
        f', and {len(unknown) - limit} more colours'
        if len(unknown) > limit
        else ''
    )
    return f'{total} px: {listed}{more}'
