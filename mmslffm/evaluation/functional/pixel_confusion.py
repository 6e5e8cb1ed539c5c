"""Pixel confusion matrix of segmentation, counted on the fly.

A ``bincount`` over valid pixels, summed by the metric over a split (mmseg's confusion-matrix
tool is a script outside its package that re-runs inference from a results file).
"""

import torch

__all__ = ['pixel_confusion']


def pixel_confusion(
    pred: torch.Tensor,
    label: torch.Tensor,
    num_classes: int,
    ignore_index: int,
) -> torch.Tensor:
    """(K, K) int64 counts, rows = ground truth, columns = prediction.

    Args:
        pred, label: (H, W) class indices; ``label == ignore_index`` is left
            out, as are indices outside 0..K-1.
    """
    valid = (label != ignore_index) & (label >= 0) & (label < num_classes)
    codes = label[valid].long() * num_classes + pred[valid].long()
    return (
        torch.bincount(codes, minlength=num_classes**2)
        .reshape(num_classes, num_classes)
        .cpu()
    )
