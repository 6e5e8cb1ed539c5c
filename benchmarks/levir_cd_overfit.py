"""Overfit a tiny BIT + SLFFM change detector on a few real LEVIR-CD tiles (CPU, minutes).

    PYTHONPATH=. python benchmarks/levir_cd_overfit.py [--iters 300] [--tiles 4]
                                                      [--out work_dirs/levir_cd_overfit]

A plumbing check, not a benchmark of accuracy: if the Siamese backbone, the BIT head, the pair
loading and the loss are wired right, the change-class F1 on the training tiles rises well
above 0.5. Writes curve.json and curve.png (F1 and loss against iterations).
"""

import argparse
import json
import os.path as osp
import time

import matplotlib
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.utils import mkdir_or_exist

from mmslffm.evaluation import binary_confusion_matrix, change_detection_scores
from mmslffm.registry import DATASETS, MODELS

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

CONFIG = 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=300)
    parser.add_argument('--tiles', type=int, default=4)
    parser.add_argument('--lr', type=float, default=1e-3)
    parser.add_argument('--eval-every', type=int, default=25)
    parser.add_argument('--out', default='work_dirs/levir_cd_overfit')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def change_f1(model, batch) -> float:
    """Change-class F1 over the batch (one confusion matrix)."""
    model.eval()
    with torch.no_grad():
        results = model.test_step(batch)
    model.train()
    confusion = sum(
        binary_confusion_matrix(
            result.pred_sem_seg.data[0], result.gt_sem_seg.data[0]
        )
        for result in results
    )
    return change_detection_scores(confusion)['F1_change']


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    cfg = Config.fromfile(CONFIG)
    init_default_scope(cfg.default_scope)
    dataset_cfg = cfg.val_dataloader.dataset  # no augmentation: overfit
    dataset_cfg.indices = args.tiles
    dataset = DATASETS.build(dataset_cfg)
    batch = pseudo_collate([dataset[i] for i in range(len(dataset))])
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.train()
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=args.lr, weight_decay=0.05
    )
    curve = dict(iteration=[], f1=[], loss=[])
    start = time.time()
    for iteration in range(1, args.iters + 1):
        data = model.data_preprocessor(batch, training=True)
        losses = model.loss(data['inputs'], data['data_samples'])
        loss = losses['decode.loss_ce']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if iteration % args.eval_every == 0 or iteration == 1:
            f1 = change_f1(model, batch)
            curve['iteration'].append(iteration)
            curve['f1'].append(f1)
            curve['loss'].append(loss.item())
            print(
                f'iter {iteration:4d}  loss {loss.item():.4f}  '
                f'change F1 {f1:.4f}  ({time.time() - start:.0f} s)',
                flush=True,
            )
    mkdir_or_exist(args.out)
    with open(osp.join(args.out, 'curve.json'), 'w') as file:
        json.dump(dict(curve, tiles=len(dataset), lr=args.lr), file, indent=1)
    figure, axis = plt.subplots(figsize=(6, 4))
    axis.plot(curve['iteration'], curve['f1'], 'o-', label='change-class F1')
    axis.plot(curve['iteration'], curve['loss'], 's--', label='CE loss')
    axis.set_xlabel('iteration')
    axis.set_title(f'tiny BIT+SLFFM overfitting {len(dataset)} LEVIR tiles')
    axis.legend()
    figure.savefig(
        osp.join(args.out, 'curve.png'), dpi=100, bbox_inches='tight'
    )
    print(f'final change F1 {curve["f1"][-1]:.4f}; curve in {args.out}')


if __name__ == '__main__':
    main()
