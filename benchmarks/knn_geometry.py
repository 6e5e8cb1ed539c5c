"""Why a kNN probe fails on an encoder: embedding anisotropy and ConvNeXt layer-scale magnitudes.

    PYTHONPATH=. python benchmarks/knn_geometry.py CKPT [CKPT ...] [--ucm data/ucm/train]
        [--cache-dir work_dirs/pretrain_study/feature_cache]

For each checkpoint (any tools/eval_representation.py accepts; features are reused from the
pretrain study's cache when present): the mean pairwise cosine of the UC Merced embeddings, the
DINO kNN (k=20, T=0.07, 48 / 12 per class, seeds 0-2) on raw, centred and standardized features
(statistics of the training split), and for ConvNeXt the mean |layer-scale gamma| per stage.
"""

import argparse
import re
from functools import partial

import numpy as np
import torch
import torch.nn.functional as F

from mmslffm.checkpoint import read_state_dict
from mmslffm.datasets.scene_split import scan_class_folders, split_per_class
from mmslffm.evaluation.representation import (
    build_encoder,
    cached_features,
    extract_features,
    feature_key,
    knn_accuracy,
    pooled_embedding,
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoints', nargs='+')
    parser.add_argument('--ucm', default='data/ucm/train')
    parser.add_argument(
        '--cache-dir', default='work_dirs/pretrain_study/feature_cache'
    )
    parser.add_argument('--img-size', type=int, default=224)
    return parser.parse_args()


def layer_scales(checkpoint: str) -> list:
    """Mean |gamma| of the ConvNeXt blocks of each stage (empty for a ViT)."""
    stages: dict = {}
    for key, value in read_state_dict(checkpoint).items():
        match = re.match(r'^(?:backbone\.)?stages\.(\d)\.\d+\.gamma$', key)
        if match:
            stages.setdefault(int(match[1]), []).append(
                value.abs().mean().item()
            )
    return [float(np.mean(stages[i])) for i in sorted(stages)]


def main() -> None:
    args = parse_args()
    torch.set_num_threads(1)
    samples = scan_class_folders(args.ucm)
    labels = torch.tensor(samples.labels)
    paths = samples.paths()
    splits = [
        tuple(
            map(
                torch.from_numpy,
                split_per_class(samples.labels, seed=seed, train_per_class=48),
            )
        )
        for seed in (0, 1, 2)
    ]
    for checkpoint in args.checkpoints:
        encoder, _ = build_encoder(checkpoint)
        key = feature_key(checkpoint, paths, dict(size=args.img_size))
        x = torch.from_numpy(
            cached_features(
                key,
                partial(
                    extract_features,
                    partial(pooled_embedding, encoder),
                    paths,
                    args.img_size,
                ),
                args.cache_dir,
            )
        ).double()
        scores = {}
        for mode in ('raw', 'centred', 'standardized'):
            accuracies = []
            for train, test in splits:
                mean, std = x[train].mean(0), x[train].std(0) + 1e-6
                z = {
                    'raw': x,
                    'centred': x - mean,
                    'standardized': (x - mean) / std,
                }[mode]
                accuracies.append(
                    knn_accuracy(
                        z[train], labels[train], z[test], labels[test], 21
                    )
                )
            scores[mode] = (
                f'{np.mean(accuracies):.1f} +- '
                f'{np.std(accuracies, ddof=1):.1f}'
            )
        unit = F.normalize(x, dim=1)
        cosine = (unit @ unit.T).mean().item()
        gammas = ', '.join(f'{g:.1e}' for g in layer_scales(checkpoint))
        print(
            f'{checkpoint}: mean cosine {cosine:.2f}; kNN '
            f'raw {scores["raw"]}, centred {scores["centred"]}, '
            f'standardized {scores["standardized"]}; '
            f'layer scale |gamma| per stage [{gammas}]'
        )


if __name__ == '__main__':
    main()
