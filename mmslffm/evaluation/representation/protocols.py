"""Run the frozen-feature protocols (weighted kNN, k=1 NN, linear probe) over several splits."""

from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

from .knn import check_feature_norm, knn_accuracy
from .linear_probe import linear_probe

PROTOCOLS = ('knn', 'linear')


def evaluate_protocols(
    features: np.ndarray,
    labels: Sequence[int],
    splits: List[Tuple[np.ndarray, np.ndarray]],
    protocols: Sequence[str] = PROTOCOLS,
    k: int = 20,
    temperature: float = 0.07,
    feature_norm: str = 'zscore',
) -> Dict[str, dict]:
    """Accuracies (%) of each protocol on each (train, test) index split.

    Args:
        features: (N, D) embeddings of all images.
        labels: (N,) class indices.
        splits: (train indices, test indices) per split seed.
        protocols: 'knn' (gives ``knn_k{k}`` and ``knn_k1``) and/or 'linear'.
        feature_norm: the kNN's features, ``'zscore'`` (standardized with
            the training split's statistics) or ``'none'`` (raw), see
            :func:`~.knn.normalize_features`. The linear probe always
            standardizes.

    Returns:
        {name: dict(per_split=[...], mean=..., std=...)}; std is the sample
        standard deviation over splits (0 for one split). The linear entry
        also lists the chosen C per split.
    """
    check_feature_norm(feature_norm)
    unknown = set(protocols) - set(PROTOCOLS)
    if unknown:
        raise ValueError(
            f'unknown protocols {sorted(unknown)}: choose from {PROTOCOLS}'
        )
    labels = np.asarray(labels)
    num_classes = int(labels.max()) + 1
    tensor_x, tensor_y = torch.from_numpy(features), torch.from_numpy(labels)
    runs: Dict[str, List[float]] = {}
    chosen_c: List[float] = []
    for seed, (train, test) in enumerate(splits):
        if 'knn' in protocols:
            for neighbours in dict.fromkeys((k, 1)):
                runs.setdefault(f'knn_k{neighbours}', []).append(
                    knn_accuracy(
                        tensor_x[train],
                        tensor_y[train],
                        tensor_x[test],
                        tensor_y[test],
                        num_classes,
                        k=neighbours,
                        temperature=temperature,
                        feature_norm=feature_norm,
                    )
                )
        if 'linear' in protocols:
            result = linear_probe(
                features[train],
                labels[train],
                features[test],
                labels[test],
                seed=seed,
            )
            runs.setdefault('linear', []).append(result.accuracy)
            chosen_c.append(result.best_c)
    summary = {
        name: dict(
            per_split=values,
            mean=float(np.mean(values)),
            std=float(np.std(values, ddof=1)) if len(values) > 1 else 0.0,
        )
        for name, values in runs.items()
    }
    if chosen_c:
        summary['linear']['chosen_c'] = chosen_c
    return summary


def format_summary(summary: Dict[str, dict]) -> str:
    """Markdown table: protocol | top-1 (%) mean +- std | splits."""
    lines = ['| protocol | top-1 (%) | splits |', '|---|---|---|']
    for name, result in summary.items():
        lines.append(
            f'| {name} | {result["mean"]:.2f} +- '
            f'{result["std"]:.2f} | {len(result["per_split"])} |'
        )
    return '\n'.join(lines)
