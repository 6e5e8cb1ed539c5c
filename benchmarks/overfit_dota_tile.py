"""Overfit Oriented R-CNN + tiny SparseConvNeXt on one real DOTA tile (CPU), print the mAP curve.

A sanity check of the whole detection stack (labels -> targets -> losses -> decoding -> rotated
NMS -> VOC mAP): a model that cannot learn one tile has a bug somewhere. Not part of CI.

    PYTHONPATH=. python benchmarks/overfit_dota_tile.py [--iters 300] [--eval-every 25]
        [--scene P1888] [--tile-size 384] [--rate 2.0] [--out work_dirs/overfit_dota_tile]

Writes ``curve.csv``, ``curve.png`` (loss and mAP against iteration) and ``detections.png``
(final predictions on the tile) into ``--out``.
"""

import argparse
import os
import os.path as osp
import tempfile
import time
from typing import Dict, List, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.logging import MMLogger
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmrotate.registry import DATASETS, MODELS, VISUALIZERS

from mmslffm.dataset_converters.dota_split import SplitSettings, split_scene
from mmslffm.datasets.dota_labels import DOTA_CLASSES, read_dota_labels
from mmslffm.evaluation.functional import polygon_voc_map, rboxes_to_polygons

DEMO_CONFIG = (
    'configs/dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py'
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=300)
    parser.add_argument('--eval-every', type=int, default=25)
    parser.add_argument('--lr', type=float, default=1e-3)
    parser.add_argument(
        '--scene', default='P1888', help='bundled scene in demo/data/dota'
    )
    parser.add_argument('--tile-size', type=int, default=384)
    parser.add_argument(
        '--rate',
        type=float,
        default=2.0,
        help='scene scale before cutting: at 1.0 the ~17 px '
        'small vehicles of P1888 match no anchor of the '
        'standard Oriented R-CNN (32 px at stride 4) with '
        'IoU >= 0.3, so the RPN never learns them',
    )
    parser.add_argument('--out', default='work_dirs/overfit_dota_tile')
    parser.add_argument('--seed', type=int, default=0)
    return parser.parse_args()


def cut_tile(scene: str, tile_size: int, rate: float, folder: str) -> str:
    """The patch with most objects of the scene; returns the split folder."""
    for sub in ('images', 'annfiles'):
        os.makedirs(osp.join(folder, sub), exist_ok=True)
    split_scene(
        f'demo/data/dota/images/{scene}.png',
        f'demo/data/dota/labelTxt/{scene}.txt',
        DOTA_CLASSES,
        osp.join(folder, 'images'),
        osp.join(folder, 'annfiles'),
        SplitSettings(patch_size=tile_size, gap=tile_size // 4, rates=(rate,)),
    )
    label_dir = osp.join(folder, 'annfiles')
    counts = {
        name: len(
            read_dota_labels(osp.join(label_dir, name), DOTA_CLASSES).objects
        )
        for name in os.listdir(label_dir)
    }
    best = max(counts, key=counts.get)
    for name in counts:
        if name != best:
            os.remove(osp.join(label_dir, name))
            os.remove(osp.join(folder, 'images', name[:-4] + '.png'))
    print(f'tile {best[:-4]}: {counts[best]} objects')
    return folder


def tile_map(
    model: torch.nn.Module, sample: dict
) -> Tuple[float, Dict[str, float], object]:
    """VOC07 mAP@0.5 (and per-class AP) of the prediction on the tile."""
    model.eval()
    with torch.no_grad():
        prediction = model.test_step(pseudo_collate([sample]))[0]
    pred = prediction.pred_instances
    boxes = getattr(pred.bboxes, 'tensor', pred.bboxes).numpy()
    detections = [
        [
            np.hstack(
                [
                    rboxes_to_polygons(boxes[pred.labels.numpy() == c]),
                    pred.scores.numpy()[pred.labels.numpy() == c][:, None],
                ]
            )
            for c in range(len(DOTA_CLASSES))
        ]
    ]
    gt = prediction.gt_instances
    annotation = [
        dict(
            polygons=rboxes_to_polygons(
                getattr(gt.bboxes, 'tensor', gt.bboxes).numpy()
            ),
            labels=gt.labels.numpy(),
            difficult=np.zeros(len(gt.labels), bool),
        )
    ]
    mean_ap, per_class = polygon_voc_map(
        detections,
        annotation,
        iou_thr=0.5,
        use_07_metric=True,
        logger='silent',
    )
    class_aps = {
        DOTA_CLASSES[c]: round(r['ap'], 3)
        for c, r in enumerate(per_class)
        if r['num_gts']
    }
    return float(mean_ap), class_aps, prediction


def save_outputs(
    out: str,
    curve: List[Tuple[int, float, float]],
    sample: dict,
    prediction,
    dataset_meta: dict,
) -> None:
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    with open(osp.join(out, 'curve.csv'), 'w') as handle:
        handle.write('iteration,loss,mAP\n')
        handle.writelines(f'{i},{loss:.4f},{m:.4f}\n' for i, loss, m in curve)
    iterations, losses, maps = zip(*curve)
    figure, loss_axis = plt.subplots(figsize=(6, 4))
    loss_axis.plot(iterations, losses, 'C0-', label='train loss')
    loss_axis.set_xlabel('iteration')
    loss_axis.set_ylabel('loss', color='C0')
    map_axis = loss_axis.twinx()
    map_axis.plot(iterations, maps, 'C1o-', label='mAP on the tile')
    map_axis.set_ylabel('mAP@0.5 (VOC07)', color='C1')
    map_axis.set_ylim(0, 1)
    figure.tight_layout()
    figure.savefig(osp.join(out, 'curve.png'), dpi=100)
    visualizer = VISUALIZERS.build(
        dict(type='RotLocalVisualizer', name='overfit', save_dir=out)
    )
    visualizer.dataset_meta = dataset_meta
    image = sample['inputs'].permute(1, 2, 0).numpy()[..., ::-1]
    visualizer.add_datasample(
        'tile',
        image,
        prediction,
        draw_gt=False,
        pred_score_thr=0.3,
        out_file=osp.join(out, 'detections.png'),
    )


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    init_default_scope('mmrotate')
    MMLogger.get_instance('overfit', log_level='WARNING')
    cfg = Config.fromfile(DEMO_CONFIG)
    folder = cut_tile(
        args.scene, args.tile_size, args.rate, tempfile.mkdtemp()
    )

    size = args.tile_size
    pipeline = [
        step
        for step in cfg.train_pipeline
        if step['type'] != 'mmdet.RandomFlip'
    ]
    for step in pipeline:
        if step['type'] == 'mmdet.Resize':
            step['scale'] = (size, size)
    dataset = DATASETS.build(
        dict(
            type='mmslffm.DOTAPatchDataset',
            data_root=folder,
            ann_file='annfiles/',
            data_prefix=dict(img_path='images/'),
            pipeline=pipeline,
        )
    )
    sample = dataset[0]
    # a tile holds ~50 objects: keep the full proposal budget of the real config
    cfg.model.test_cfg.rpn.update(nms_pre=2000, max_per_img=1000)
    cfg.model.test_cfg.rcnn.update(nms_pre=2000, max_per_img=1000)
    model = MODELS.build(cfg.model)
    model.init_weights()
    optim_wrapper = OptimWrapper(
        torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05),
        clip_grad=dict(max_norm=35, norm_type=2),
    )

    curve = []
    start = time.time()
    recent_losses = []
    for iteration in range(1, args.iters + 1):
        model.train()
        log_vars = model.train_step(pseudo_collate([sample]), optim_wrapper)
        recent_losses.append(float(log_vars['loss'].detach()))
        if iteration % args.eval_every == 0 or iteration == args.iters:
            mean_ap, class_aps, prediction = tile_map(model, sample)
            loss = float(np.mean(recent_losses))
            recent_losses = []
            curve.append((iteration, loss, mean_ap))
            print(
                f'iter {iteration:4d}  loss {loss:.3f}  mAP {mean_ap:.3f}  '
                f'{class_aps}  ({time.time() - start:.0f} s)',
                flush=True,
            )
    save_outputs(args.out, curve, sample, prediction, dataset.metainfo)
    best = max(m for _, _, m in curve)
    print(
        f'best mAP {best:.3f}, final {curve[-1][2]:.3f}; curve and '
        f'detections in {args.out}'
    )


if __name__ == '__main__':
    main()
