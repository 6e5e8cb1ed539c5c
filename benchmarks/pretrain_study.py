"""A small pretraining study on real images: does SLFFM's encoder beat random init, SparK and MAE?

    PYTHONPATH=. python benchmarks/pretrain_study.py [--quick] [--budget-cpu-s 900]
        [--ucm data/ucm/train] [--variants ...] [--out benchmarks/results]

Unlabeled pool: the UC Merced images (labels unused while pretraining) plus the bundled tiles
of demo/data/pretrain_unlabeled. Variants, all with ConvNeXt-atto-sized encoders (3.4 M) except
MAE's ViT (192 wide, 6 layers, 2.8 M), recipes of configs/pretrain/*_cpu-demo_bundled-tiles.py:

* random_init: the SLFFM ConvNeXt-atto as initialised, not trained (random_init_vit: MAE's
  ViT as initialised, the reference MAE must beat);
* spark_raw: SparK, raw pixels normalized per patch (target_generator.radius=None);
* slffm_ideal_r40: SLFFM, ideal low-pass of radius 40 at 224;
* slffm_gaussian_r40: SLFFM with a Gaussian low-pass of the same radius;
* mae_vit: MAE (mmpretrain) with the small ViT.

Budget: every pretrained variant gets the same **process CPU time** for its training
iterations (``time.process_time``, data loading in-process, ``--threads`` torch threads),
not the same wall-clock time: the machine is shared, and CPU time charges a variant for its own
work whatever else runs. Each variant's cost per iteration is calibrated on a few iterations,
its schedule (warm-up + cosine) is laid out over budget / cost iterations, and the CPU time
actually spent is reported. The kNN monitor's time is not charged.

Evaluation: tools/eval_representation.py's protocols on UC Merced (1260 images, 21 classes):
seeded 48 / 12 split per class, 3 split seeds, weighted kNN (k=20, T=0.07; --feature-norm,
z-scored features by default), 1-NN and a linear probe, mean +- std over the seeds. Writes
pretrain_study_cpu[_quick].{json,png} (bar chart) and
pretrain_study_cpu[_quick]_knn_monitor.png (the kNN-monitor curves of every variant).
"""

import argparse
import json
import os
import os.path as osp
import platform
import time
from functools import partial
from typing import Dict, List, Optional

import matplotlib
import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmslffm.datasets.scene_split import scan_class_folders, split_per_class
from mmslffm.evaluation.representation import (
    FEATURE_NORMS,
    build_encoder,
    cached_features,
    evaluate_protocols,
    extract_features,
    feature_key,
    format_summary,
    pooled_embedding,
)
from mmslffm.registry import MODELS

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

BUNDLED_TILES = 'demo/data/pretrain_unlabeled'
MONITOR_SET = 'demo/data/ucm_mini'
SLFFM_DEMO = 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
SPARK_DEMO = 'configs/pretrain/spark_convnext-atto_cpu-demo_bundled-tiles.py'
MAE_DEMO = 'configs/pretrain/mae_vit-atto_cpu-demo_bundled-tiles.py'
VARIANTS = {
    'random_init': (SLFFM_DEMO, {}),
    'random_init_vit': (MAE_DEMO, {}),
    'spark_raw': (SPARK_DEMO, {}),
    'slffm_ideal_r40': (SLFFM_DEMO, {}),
    'slffm_gaussian_r40': (
        SLFFM_DEMO,
        {'model.target_generator.filter_type': 'gaussian'},
    ),
    'mae_vit': (MAE_DEMO, {}),
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--quick',
        action='store_true',
        help='small budget: the whole study in <= 10 min',
    )
    parser.add_argument(
        '--budget-cpu-s',
        type=float,
        help='training CPU seconds per variant (default 900, --quick 45)',
    )
    parser.add_argument(
        '--ucm',
        default='data/ucm/train',
        help='UC Merced folder of class folders',
    )
    parser.add_argument(
        '--variants', nargs='+', default=list(VARIANTS), choices=list(VARIANTS)
    )
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--feature-norm', choices=FEATURE_NORMS, default='zscore'
    )
    parser.add_argument('--work-dir', default='work_dirs/pretrain_study')
    parser.add_argument('--out', default='benchmarks/results')
    parser.add_argument(
        '--replot',
        metavar='JSON',
        help='only redraw the PNGs and the table of a study',
    )
    parser.add_argument(
        '--name', help='output file stem (default pretrain_study_cpu[_quick])'
    )
    return parser.parse_args()


class CPUClock(Hook):
    """Process CPU time at the end of every training iteration."""

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self.marks: List[float] = []

    def before_train(self, runner) -> None:
        self.marks = [time.process_time()]

    def after_train_iter(
        self, runner, batch_idx, data_batch=None, outputs=None
    ) -> None:
        self.marks.append(time.process_time())


def variant_config(
    name: str, args, work_dir: str, max_iters: int, monitor: bool
) -> Config:
    """The variant's demo config on the study's pool, budget and monitor."""
    path, overrides = VARIANTS[name]
    cfg = Config.fromfile(path)
    cfg.merge_from_dict(overrides)
    pipeline = cfg.train_dataloader.dataset.pipeline
    for transform in pipeline:
        if transform['type'] == 'RandomResizedCrop':
            transform['scale'] = args.img_size
    cfg.train_dataloader = dict(
        batch_size=args.batch_size,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=True),
        collate_fn=dict(type='default_collate'),
        dataset=dict(
            type='mmslffm.GeoSense',
            pipeline=pipeline,
            sources=[dict(data_root=args.ucm), dict(data_root=BUNDLED_TILES)],
        ),
    )
    warmup = max(1, max_iters // 10)
    cfg.param_scheduler = [
        dict(
            type='LinearLR',
            start_factor=1e-3,
            by_epoch=False,
            begin=0,
            end=warmup,
        ),
        dict(
            type='CosineAnnealingLR',
            T_max=max(1, max_iters - warmup),
            eta_min=1e-5,
            by_epoch=False,
            begin=warmup,
            end=max_iters,
        ),
    ]
    cfg.train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters)
    cfg.default_hooks.checkpoint = dict(
        type='CheckpointHook',
        by_epoch=False,
        interval=max_iters,
        max_keep_ckpts=1,
    )
    cfg.default_hooks.logger = dict(
        type='LoggerHook', interval=max(1, max_iters // 10)
    )
    cfg.custom_hooks = (
        [
            dict(
                type='mmslffm.KNNMonitorHook',
                data_root=MONITOR_SET,
                interval=max(1, max_iters // 6),
                img_size=args.img_size,
                feature_norm=args.feature_norm,
            )
        ]
        if monitor
        else []
    )
    cfg.work_dir = work_dir
    cfg.randomness = dict(seed=0)
    cfg.env_cfg = dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo'))
    return cfg


def train(cfg: Config) -> Dict[str, float]:
    """Run the config; CPU seconds of its iterations (monitor excluded)."""
    runner = Runner.from_cfg(cfg)
    clock = CPUClock()
    runner.register_hook(clock)
    wall = time.perf_counter()
    runner.train()
    wall = time.perf_counter() - wall
    monitors = [h for h in runner.hooks if hasattr(h, 'monitor_cpu_seconds')]
    monitor_cpu = sum(h.monitor_cpu_seconds for h in monitors)
    monitor_wall = sum(h.monitor_seconds for h in monitors)
    marks = np.array(clock.marks)
    return dict(
        train_cpu_s=float(marks[-1] - marks[0]) - monitor_cpu,
        per_iter_cpu_s=np.diff(marks).tolist(),
        wall_s=wall,
        monitor_cpu_s=monitor_cpu,
        monitor_wall_s=monitor_wall,
        checkpoint=osp.join(
            cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth'
        ),
    )


def pretrain(name: str, args, budget: float) -> Dict[str, object]:
    """Calibrate the cost per iteration, then train for the budget."""
    work_dir = osp.join(args.work_dir, name)
    calibration = train(
        variant_config(
            name, args, work_dir + '_calibration', max_iters=5, monitor=False
        )
    )
    cost = float(np.median(calibration['per_iter_cpu_s'][1:]))
    max_iters = max(10, int(budget / cost))
    print(
        f'[{name}] {cost:.2f} CPU s / iteration -> {max_iters} iterations '
        f'for {budget:.0f} CPU s',
        flush=True,
    )
    run = train(variant_config(name, args, work_dir, max_iters, monitor=True))
    with open(osp.join(work_dir, 'knn_monitor.json')) as f:
        monitor = json.load(f)
    return dict(
        calibrated_cpu_s_per_iter=cost,
        iterations=max_iters,
        images_seen=max_iters * args.batch_size,
        knn_monitor=monitor['history'],
        **run,
    )


def random_init_checkpoint(name: str, args) -> str:
    """The variant's model as initialised (seed 0), saved like a checkpoint."""
    cfg = Config.fromfile(VARIANTS[name][0])
    init_default_scope(cfg.default_scope)
    torch.manual_seed(0)
    model = MODELS.build(
        dict(cfg.model, data_preprocessor=cfg.data_preprocessor)
    )
    model.init_weights()
    path = osp.join(args.work_dir, name, f'{name}.pth')
    os.makedirs(osp.dirname(path), exist_ok=True)
    torch.save(dict(state_dict=model.state_dict()), path)
    return path


def evaluate(checkpoint: str, samples, args) -> Dict[str, dict]:
    """kNN and linear probe on the 48 / 12 per-class splits."""
    encoder, _ = build_encoder(checkpoint)
    paths = samples.paths()
    key = feature_key(checkpoint, paths, dict(size=args.img_size))
    features = cached_features(
        key,
        partial(
            extract_features,
            partial(pooled_embedding, encoder),
            paths,
            args.img_size,
        ),
        osp.join(args.work_dir, 'feature_cache'),
    )
    splits = [
        split_per_class(samples.labels, seed=seed, train_per_class=48)
        for seed in args.seeds
    ]
    return evaluate_protocols(
        features, samples.labels, splits, feature_norm=args.feature_norm
    )


def plot_results(results: Dict[str, dict], path: str, title: str) -> None:
    names = list(results)
    protocols = ['knn_k20', 'knn_k1', 'linear']
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / len(protocols)
    for j, protocol in enumerate(protocols):
        means = [results[n]['eval'][protocol]['mean'] for n in names]
        stds = [results[n]['eval'][protocol]['std'] for n in names]
        bars = ax.bar(
            np.arange(len(names)) + (j - 1) * width,
            means,
            width,
            yerr=stds,
            capsize=3,
            label=protocol,
        )
        ax.bar_label(bars, fmt='%.1f', fontsize=7)
    ax.set_xticks(np.arange(len(names)), names, fontsize=8)
    ax.set(ylabel='UC Merced top-1 (%), mean +- std of 3 splits', title=title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_monitor(
    results: Dict[str, dict], path: str, feature_norm: str
) -> None:
    """kNN-monitor curves (k=20 and k=1) of every pretrained variant."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, key in zip(axes, ('top1_k20', 'top1_k1')):
        for name, result in results.items():
            history = (result.get('pretrain') or {}).get('knn_monitor')
            if history:
                cost = result['pretrain']['calibrated_cpu_s_per_iter']
                ax.plot(
                    [h['iter'] * cost for h in history],
                    [h[key] for h in history],
                    'o-',
                    label=name,
                )
        ax.axhline(100 / 21, color='grey', ls=':', label='chance')
        ax.set(
            xlabel='training CPU seconds',
            title=f'leave-one-out {key.replace("top1_", "")}',
        )
    axes[0].set_ylabel(
        f'kNN monitor top-1 (%) on {MONITOR_SET}, {feature_norm} features'
    )
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def print_table(results: Dict[str, dict]) -> None:
    """The README's markdown table."""
    print(
        '| variant | iterations (images) | train CPU s | kNN k=20 | 1-NN | '
        'linear |'
    )
    print('|---|---|---|---|---|---|')
    for name, entry in results.items():
        run = entry.get('pretrain')
        cells = [
            f'{entry["eval"][p]["mean"]:.1f} +- {entry["eval"][p]["std"]:.1f}'
            for p in ('knn_k20', 'knn_k1', 'linear')
        ]
        trained = f'{run["iterations"]} ({run["images_seen"]})' if run else '0'
        cpu = f'{run["train_cpu_s"]:.0f}' if run else '0'
        print(f'| {name} | {trained} | {cpu} | {" | ".join(cells)} |')


def replot(json_path: str) -> None:
    """Redraw the PNGs and reprint the table of a finished study."""
    with open(json_path) as f:
        report = json.load(f)
    stem = osp.splitext(json_path)[0]
    plot_results(
        report['variants'],
        stem + '.png',
        f'{report["budget_cpu_s_per_variant"]:.0f} training CPU-s '
        f'per variant, {report["img_size"]}px',
    )
    plot_monitor(
        report['variants'],
        stem + '_knn_monitor.png',
        report.get('knn_feature_norm', 'none'),  # raw before the option
    )
    print_table(report['variants'])


def main() -> None:
    args = parse_args()
    if args.replot:
        return replot(args.replot)
    torch.set_num_threads(args.threads)
    budget = args.budget_cpu_s or (45.0 if args.quick else 900.0)
    samples = scan_class_folders(args.ucm)
    start = time.perf_counter()
    results: Dict[str, dict] = {}
    for name in args.variants:
        print(f'=== {name} ===', flush=True)
        entry: Dict[str, Optional[dict]] = {}
        if name.startswith('random_init'):
            checkpoint = random_init_checkpoint(name, args)
        else:
            entry['pretrain'] = pretrain(name, args, budget)
            checkpoint = entry['pretrain']['checkpoint']
        entry['eval'] = evaluate(checkpoint, samples, args)
        results[name] = entry
        print(format_summary(entry['eval']), flush=True)
    total = time.perf_counter() - start

    stem = osp.join(
        args.out,
        args.name
        or (
            'pretrain_study_cpu_quick' if args.quick else 'pretrain_study_cpu'
        ),
    )
    os.makedirs(args.out, exist_ok=True)
    report = dict(
        budget_cpu_s_per_variant=budget,
        img_size=args.img_size,
        batch_size=args.batch_size,
        torch_threads=args.threads,
        split='48 train / 12 test per class',
        seeds=args.seeds,
        knn_feature_norm=args.feature_norm,
        total_wall_s=total,
        machine=f'{platform.machine()}, '
        f'{os.cpu_count()} CPUs, torch {torch.__version__}',
        variants=results,
    )
    with open(stem + '.json', 'w') as f:
        json.dump(report, f, indent=1)
    plot_results(
        results,
        stem + '.png',
        f'{budget:.0f} training CPU-s per variant, {args.img_size}px',
    )
    plot_monitor(results, stem + '_knn_monitor.png', args.feature_norm)

    print(f'\nstudy took {total / 60:.1f} min; {stem}.json/.png')
    print_table(results)


if __name__ == '__main__':
    main()
