"""How much the sparse backends save in SLFFM pretraining, measured in one process.

For ConvNeXt-T and -B at 224 and mask ratios 0.0 / 0.6 / 0.75, alternating the backends run by
run, it measures:

* the encoder's forward + backward time and its activation memory (bytes of the tensors kept
  for backward, counted exactly through autograd's saved-tensor hooks; on CUDA also the peak
  allocated memory);
* the full SLFFM training step (encoder, densify, decoder, low-pass target, loss, backward,
  LAMB step with the pretraining config's ``FusedLamb``) in images per second, beside
  the peer implementation's step in the same run: mmpretrain's SparK (its SparseConvNeXt,
  which computes densely and re-masks after every layer, its SparK algorithm and mmpretrain's
  ``Lamb``) at the same arch, batch, mask ratio and light decoder;
* the LAMB step alone on the SLFFM model's parameters: mmpretrain's ``Lamb`` against
  ``FusedLamb`` (same results to float32 rounding);
* with ``--profile``, where the time of one SLFFM step (gather backend) goes, by operator.

``--amp`` runs every forward under autocast, as ``tools/train.py --amp`` trains (float16 with
a gradient scaler on CUDA, mmengine's ``AmpOptimWrapper``; bfloat16 on CPU, for testing).

    PYTHONPATH=. python benchmarks/sparse_pretrain.py            # CPU: ~6 min on 2 cores
    PYTHONPATH=. python benchmarks/sparse_pretrain.py --quick    # ConvNeXt-B, mask 0.6 only
    PYTHONPATH=. python benchmarks/sparse_pretrain.py --device cuda --batch-size 64 --amp

Prints a Markdown table and writes benchmarks/results/sparse_pretrain_<device>[_amp].{json,png}
(``--quick`` only prints).
"""

import argparse
import json
import os
import os.path as osp
import platform
import statistics
import time
from typing import Callable, Dict, List

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmpretrain.engine.optimizers import Lamb
from mmpretrain.registry import MODELS as PRETRAIN_MODELS

from mmslffm.engine import FusedLamb, amp_dtype
from mmslffm.models.backbones import SPARSE_BACKENDS, SparseConvNeXt
from mmslffm.models.utils import random_active_mask
from mmslffm.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DECODER_WIDTH = {'tiny': 576, 'base': 768}  # 0.75 x the last stage width
LAST_WIDTH = {'tiny': 768, 'base': 1024}
PEER = 'mmpretrain_spark'


def saved_activation_bytes(
    run: Callable[[], torch.Tensor], model: torch.nn.Module
) -> int:
    """Bytes of distinct activation storages autograd keeps for backward
    during ``run`` (the model's own weights, also kept, are not counted)."""
    weights = {p.untyped_storage().data_ptr() for p in model.parameters()}
    storages: Dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        if storage.data_ptr() not in weights:
            storages[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        loss = run()
    loss.backward()
    return sum(storages.values())


def autocast(args, device: torch.device) -> torch.autocast:
    """The forward's precision: float32, or autocast with ``--amp``."""
    return torch.autocast(
        device.type, dtype=amp_dtype(device.type), enabled=args.amp
    )


def grad_scaler(args, device: torch.device) -> torch.amp.GradScaler:
    """Loss scaling as mmengine's AmpOptimWrapper does it (float16 only)."""
    return torch.amp.GradScaler(
        device.type, enabled=args.amp and device.type == 'cuda'
    )


def synchronize(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize()


def timed(run: Callable[[], None], device: torch.device) -> float:
    synchronize(device)
    start = time.perf_counter()
    run()
    synchronize(device)
    return time.perf_counter() - start


def build_slffm(arch: str, backend: str, device: torch.device):
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/pretrain/slffm_convnext-b_200e_geosense.py')
    )
    model_cfg = cfg.model
    model_cfg.data_preprocessor = cfg.data_preprocessor
    model_cfg.backbone.update(
        arch=arch, sparse_backend=backend, drop_path_rate=0.0
    )
    model_cfg.neck.update(
        feature_dim=DECODER_WIDTH[arch], norm_cfg=dict(type='BN')
    )
    return MODELS.build(model_cfg).to(device)


def build_peer_spark(arch: str, ratio: float, device: torch.device):
    """mmpretrain's SparK (as in its spark_sparse-convnext configs) with
    our decoder width, BN instead of SyncBN, no drop path."""
    init_default_scope('mmpretrain')
    return PRETRAIN_MODELS.build(
        dict(
            type='SparK',
            backbone=dict(
                type='SparseConvNeXt',
                arch=arch,
                drop_path_rate=0.0,
                out_indices=(0, 1, 2, 3),
                gap_before_output=False,
            ),
            neck=dict(
                type='SparKLightDecoder',
                feature_dim=DECODER_WIDTH[arch],
                upsample_ratio=32,
                mid_channels=0,
                norm_cfg=dict(type='BN'),
                last_act=False,
            ),
            head=dict(
                type='SparKPretrainHead',
                loss=dict(type='PixelReconstructionLoss', criterion='L2'),
            ),
            input_size=224,
            downsample_raito=32,
            mask_ratio=ratio,
            enc_dec_norm_cfg=dict(type='SparseBatchNorm2d'),
            enc_dec_norm_dim=LAST_WIDTH[arch],
        )
    ).to(device)


def bench_encoder(arch: str, ratio: float, args, device) -> List[dict]:
    models = {
        b: SparseConvNeXt(arch=arch, sparse_backend=b, out_indices=()).to(
            device
        )
        for b in SPARSE_BACKENDS
    }
    reference = models['masked_dense'].state_dict()
    for model in models.values():
        model.load_state_dict(reference)
    images = torch.randn(args.batch_size, 3, 224, 224, device=device)
    active = random_active_mask(args.batch_size, (7, 7), ratio, device=device)

    def step(model):
        def run():
            with autocast(args, device):
                maps = model(images, active)
            return sum(m.float().square().mean() for m in maps)

        return run

    times = {b: [] for b in models}
    memory = {}
    for backend, model in models.items():  # warm-up + memory, once each
        if device.type == 'cuda':
            torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated() if device.type == 'cuda' else 0
        memory[backend] = dict(
            saved_bytes=saved_activation_bytes(step(model), model)
        )
        if device.type == 'cuda':
            memory[backend]['cuda_peak_bytes'] = (
                torch.cuda.max_memory_allocated() - base
            )
        model.zero_grad(set_to_none=True)
    order = list(models)
    for rep in range(args.repeats):
        for backend in order if rep % 2 == 0 else order[::-1]:
            model = models[backend]
            run = step(model)
            times[backend].append(
                timed(lambda run=run: run().backward(), device)
            )
            model.zero_grad(set_to_none=True)
    return [
        dict(
            arch=arch,
            mask_ratio=ratio,
            backend=b,
            part='encoder',
            seconds=statistics.median(times[b]),
            runs=times[b],
            **memory[b],
        )
        for b in models
    ]


def bench_full_step(arch: str, ratio: float, args, device) -> List[dict]:
    models = {b: build_slffm(arch, b, device) for b in SPARSE_BACKENDS}
    for model in models.values():
        model.mask_ratio = ratio
    models[PEER] = build_peer_spark(arch, ratio, device)
    optimizers = {
        b: (Lamb if b == PEER else FusedLamb)(m.parameters(), lr=1e-4)
        for b, m in models.items()
    }
    scalers = {b: grad_scaler(args, device) for b in models}
    images = torch.randn(args.batch_size, 3, 224, 224, device=device)
    times = {b: [] for b in models}

    def step(backend):
        with autocast(args, device):
            loss = models[backend].loss(images, None)['loss']
        optimizers[backend].zero_grad(set_to_none=True)
        scalers[backend].scale(loss).backward()
        scalers[backend].step(optimizers[backend])
        scalers[backend].update()

    order = list(models)
    for backend in order:
        step(backend)  # warm-up
    for rep in range(args.repeats):
        for backend in order if rep % 2 == 0 else order[::-1]:
            times[backend].append(
                timed(lambda backend=backend: step(backend), device)
            )
    return [
        dict(
            arch=arch,
            mask_ratio=ratio,
            backend=b,
            part='train_step',
            seconds=statistics.median(times[b]),
            runs=times[b],
            images_per_second=args.batch_size / statistics.median(times[b]),
        )
        for b in models
    ]


def bench_optimizer(arch: str, args, device) -> List[dict]:
    """One LAMB step on the SLFFM model's parameters (random gradients),
    mmpretrain's ``Lamb`` against ``FusedLamb``, alternating."""
    model = build_slffm(arch, 'gather', device)
    weights = [p.detach() for p in model.parameters()]
    grads = [torch.randn_like(w) * 1e-3 for w in weights]
    variants = {}
    for name, optimizer_cls in (
        ('mmpretrain_lamb', Lamb),
        ('fused_lamb', FusedLamb),
    ):
        params = [torch.nn.Parameter(w.clone()) for w in weights]
        variants[name] = (params, optimizer_cls(params, lr=1e-4))
    times = {name: [] for name in variants}

    def step(name):
        params, optimizer = variants[name]
        for param, grad in zip(params, grads):
            param.grad = grad.clone()
        return timed(optimizer.step, device)

    order = list(variants)
    for name in order:
        step(name)  # warm-up: allocates the moments
    for rep in range(args.repeats):
        for name in order if rep % 2 == 0 else order[::-1]:
            times[name].append(step(name))
    return [
        dict(
            arch=arch,
            backend=name,
            part='optimizer',
            seconds=statistics.median(times[name]),
            runs=times[name],
        )
        for name in variants
    ]


def profile_step(arch: str, ratio: float, args, device) -> Dict[str, float]:
    """Median seconds per part of one SLFFM step (gather backend): forward
    of each component (timed by hooks), backward, LAMB step, and the data
    pipeline for one batch of real tiles (one process)."""
    model = build_slffm(arch, 'gather', device)
    model.mask_ratio = ratio
    optimizer = FusedLamb(model.parameters(), lr=1e-4)
    scaler = grad_scaler(args, device)
    images = torch.randn(args.batch_size, 3, 224, 224, device=device)
    parts: Dict[str, List[float]] = {}

    def time_forward(name: str, module: torch.nn.Module) -> None:
        key = f'forward: {name}'

        def start(*_):
            synchronize(device)
            parts.setdefault(key, []).append(-time.perf_counter())

        def stop(*_):
            synchronize(device)
            parts[key][-1] += time.perf_counter()

        module.register_forward_pre_hook(start)
        module.register_forward_hook(stop)

    for name in ('backbone', 'densify', 'neck', 'target_generator', 'head'):
        time_forward(name, getattr(model, name))
    for _ in range(args.repeats + 1):
        start = time.perf_counter()
        with autocast(args, device):
            loss = model.loss(images, None)['loss']
        synchronize(device)
        forward = time.perf_counter() - start
        backward = timed(scaler.scale(loss).backward, device)

        def update():
            scaler.step(optimizer)
            scaler.update()

        step = timed(update, device)
        optimizer.zero_grad(set_to_none=True)
        for name, seconds in (
            ('forward: total', forward),
            ('backward: total', backward),
            ('LAMB step', step),
        ):
            parts.setdefault(name, []).append(seconds)
    parts['data: load + crop + flip of one batch'] = time_pipeline(args)
    return {
        name: statistics.median(runs[1:] if len(runs) > 1 else runs)
        for name, runs in parts.items()
    }


def time_pipeline(args) -> List[float]:
    """Seconds of the pretraining data pipeline for batches of real tiles."""
    from mmengine.dataset import Compose

    cfg = Config.fromfile(
        osp.join(REPO, 'configs/pretrain/slffm_convnext-b_200e_geosense.py')
    )
    pipeline = Compose(cfg.train_pipeline)
    tiles = sorted(os.listdir(osp.join(REPO, 'demo/data/pretrain_unlabeled')))
    tiles = [
        osp.join(REPO, 'demo/data/pretrain_unlabeled', t)
        for t in tiles
        if t.endswith('.jpg')
    ]
    runs = []
    for rep in range(args.repeats + 1):
        batch = tiles[rep * args.batch_size : (rep + 1) * args.batch_size]
        start = time.perf_counter()
        for path in batch:
            pipeline(dict(img_path=path))
        runs.append(time.perf_counter() - start)
    return runs


def table(results: List[dict]) -> str:
    lines = [
        '| arch | mask | encoder fwd+bwd: masked_dense / gather (ratio) | '
        'activations: masked_dense / gather (ratio) | train step img/s: '
        'masked_dense / gather (ratio) | train step img/s: mmpretrain '
        'SparK / ours (time ratio) |',
        '|---|---|---|---|---|---|',
    ]
    keys = sorted(
        {(r['arch'], r['mask_ratio']) for r in results if 'mask_ratio' in r}
    )
    for arch, ratio in keys:
        get = {
            (r['part'], r['backend']): r
            for r in results
            if (r['arch'], r.get('mask_ratio')) == (arch, ratio)
        }
        enc_d, enc_g = (
            get[('encoder', 'masked_dense')],
            get[('encoder', 'gather')],
        )
        cells = [
            f'{enc_d["seconds"]:.2f} s / {enc_g["seconds"]:.2f} s '
            f'({enc_g["seconds"] / enc_d["seconds"]:.2f}x)',
            f'{enc_d["saved_bytes"] / 2**20:.0f} / '
            f'{enc_g["saved_bytes"] / 2**20:.0f} MiB '
            f'({enc_g["saved_bytes"] / enc_d["saved_bytes"]:.2f}x)',
        ]
        if ('train_step', 'gather') in get:
            step_d, step_g = (
                get[('train_step', 'masked_dense')],
                get[('train_step', 'gather')],
            )
            cells.append(
                f'{step_d["images_per_second"]:.2f} / '
                f'{step_g["images_per_second"]:.2f} '
                f'({step_d["seconds"] / step_g["seconds"]:.2f}x faster; '
                f'time {step_g["seconds"] / step_d["seconds"]:.2f}x)'
            )
            peer = get[('train_step', PEER)]
            cells.append(
                f'{peer["images_per_second"]:.2f} / '
                f'{step_g["images_per_second"]:.2f} '
                f'(time {step_g["seconds"] / peer["seconds"]:.2f}x)'
            )
        else:
            cells += ['- (no masked patch, no loss)'] * 2
        lines.append(f'| {arch} | {ratio} | ' + ' | '.join(cells) + ' |')
    optimizer = {
        (r['arch'], r['backend']): r['seconds']
        for r in results
        if r['part'] == 'optimizer'
    }
    for arch in sorted({arch for arch, _ in optimizer}):
        theirs = optimizer[(arch, 'mmpretrain_lamb')]
        ours = optimizer[(arch, 'fused_lamb')]
        lines.append(
            f'\nLAMB step, {arch} SLFFM parameters: mmpretrain Lamb '
            f'{theirs:.3f} s / FusedLamb {ours:.3f} s '
            f'(time {ours / theirs:.2f}x)'
        )
    return '\n'.join(lines)


def plot(results: List[dict], path: str) -> None:
    """Encoder time and activations per backend; full step time per backend
    and for the peer (mmpretrain's SparK), for every (arch, mask) measured."""
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    panels = (
        ('encoder', 'seconds', 1, 'encoder forward+backward (s)'),
        (
            'encoder',
            'saved_bytes',
            2**-20,
            'activations kept for backward (MiB)',
        ),
        ('train_step', 'seconds', 1, 'full training step (s)'),
    )
    backends = ('masked_dense', 'gather', PEER)
    fig, axes = plt.subplots(1, len(panels), figsize=(16, 4))
    width = 0.27
    for ax, (part, field, scale, title) in zip(axes, panels):
        rows = [r for r in results if r['part'] == part]
        keys = sorted({(r['arch'], r['mask_ratio']) for r in rows})
        for slot, backend in enumerate(backends):
            values = {
                (r['arch'], r['mask_ratio']): r[field] * scale
                for r in rows
                if r['backend'] == backend
            }
            if not values:
                continue
            ax.bar(
                [i + (slot - 1) * width for i, k in enumerate(keys)],
                [values.get(k, 0) for k in keys],
                width,
                label=backend,
            )
        ax.set_xticks(range(len(keys)), [f'{a}\nmask {m}' for a, m in keys])
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--archs', nargs='+', default=['tiny', 'base'])
    parser.add_argument(
        '--mask-ratios', nargs='+', type=float, default=[0.0, 0.6, 0.75]
    )
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument(
        '--amp',
        action='store_true',
        help='forward under autocast (float16 + loss scaling on CUDA, '
        'bfloat16 on CPU), as tools/train.py --amp',
    )
    parser.add_argument(
        '--profile',
        action='store_true',
        help='also time the parts of one SLFFM step',
    )
    parser.add_argument(
        '--quick',
        action='store_true',
        help='ConvNeXt-B at mask 0.6 only (--archs base --mask-ratios 0.6), '
        'printed, no results files written',
    )
    parser.add_argument(
        '--out-dir', default=osp.join(REPO, 'benchmarks', 'results')
    )
    args = parser.parse_args()
    if args.quick:
        args.archs, args.mask_ratios = ['base'], [0.6]
    device = torch.device(args.device)
    torch.manual_seed(0)
    results = []
    for arch in args.archs:
        for ratio in args.mask_ratios:
            print(f'{arch}, mask {ratio}: encoder ...', flush=True)
            results += bench_encoder(arch, ratio, args, device)
            if ratio > 0:
                print(f'{arch}, mask {ratio}: train step ...', flush=True)
                results += bench_full_step(arch, ratio, args, device)
        print(f'{arch}: LAMB step ...', flush=True)
        results += bench_optimizer(arch, args, device)
    machine = (
        torch.cuda.get_device_name(device)
        if device.type == 'cuda'
        else f'{platform.processor() or platform.machine()}, '
        f'{torch.get_num_threads()} threads'
    )
    report = table(results)
    profiles = {}
    if args.profile:
        for arch in args.archs:
            ratio = max(args.mask_ratios)
            print(f'{arch}, mask {ratio}: profile ...', flush=True)
            profiles[f'{arch}, mask {ratio}'] = profile_step(
                arch, ratio, args, device
            )
    print(
        f'\nmachine: {machine}; torch {torch.__version__}; '
        f'{amp_dtype(device.type) if args.amp else torch.float32}; batch '
        f'{args.batch_size}; median of {args.repeats} alternating runs\n'
    )
    print(report)
    for key, parts in profiles.items():
        total = (
            parts['forward: total']
            + parts['backward: total']
            + parts['LAMB step']
        )
        print(
            f'\nparts of one SLFFM step (gather), {key}: '
            f'{total:.2f} s without data'
        )
        for name, seconds in parts.items():
            print(
                f'  {name:40s} {seconds:7.3f} s  {100 * seconds / total:5.1f}%'
            )
    if args.quick:
        return
    suffix = '_amp' if args.amp else ''
    stem = osp.join(args.out_dir, f'sparse_pretrain_{device.type}{suffix}')
    os.makedirs(args.out_dir, exist_ok=True)
    with open(stem + '.json', 'w') as f:
        json.dump(
            dict(
                machine=machine,
                torch=torch.__version__,
                amp=args.amp,
                batch_size=args.batch_size,
                repeats=args.repeats,
                results=results,
                profiles=profiles,
            ),
            f,
            indent=1,
        )
    plot(results, stem + '.png')
    print(f'\nwritten {stem}.json and {stem}.png')


if __name__ == '__main__':
    main()
