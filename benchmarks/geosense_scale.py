"""GeoSense at nine million images: index build time, cached load time, memory per worker.

Writes a list file of N synthetic relative paths (default 9,000,000; no image files are
created), then measures:

* build: ``GeoSense(ann_file=...)`` reading the list and writing its cached index;
* load: a second ``GeoSense`` reading the cached index (memory-mapped ``.npy``);
* memory: a DataLoader with 8 workers (fork) draws ``--samples-per-worker`` random samples per
  worker (the pipeline only reads the sample's path, no image decoding), then the RSS, USS
  (private) and PSS (shared pages divided among their users) of the main process and each
  worker are read with psutil. The same loader over a 1,000-path index is the baseline; the
  index's memory across the main process and its workers is the difference of the PSS sums.

    PYTHONPATH=. python benchmarks/geosense_scale.py          # ~3 min on 2 cores

Targets: <= 1 GB of index memory across 8 workers, <= 60 s to load a cached 9M index.
Prints a table and writes benchmarks/results/geosense_scale.{json,png}.
"""

import argparse
import gc
import json
import os
import os.path as osp
import platform
import tempfile
import time
from typing import Dict, List

import numpy as np
import psutil
import torch
from torch.utils.data import DataLoader, RandomSampler

from mmslffm.datasets import GeoSense

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
MIB = 2**20
TARGET_INDEX_BYTES = 2**30
TARGET_LOAD_S = 60.0


def write_list_file(path: str, num_paths: int) -> None:
    """Paths shaped like a real archive: source/class/scene/tile (~45 bytes)."""
    sources = ('millionaid/train', 'fmow/train', 'sen2_rgb/tiles')
    chunk = 1_000_000
    with open(path, 'w') as f:
        for start in range(0, num_paths, chunk):
            f.write(
                ''.join(
                    f'{sources[i % 3]}/class_{i % 51:02d}/scene_{i // 97:07d}/'
                    f'tile_{i:08d}.jpg\n'
                    for i in range(start, min(start + chunk, num_paths))
                )
            )


def path_length(info: dict) -> dict:
    """The whole 'pipeline': touch the path, read no image."""
    return dict(length=len(info['img_path']))


def count_batch(batch: List[dict]) -> int:
    return len(batch)


def memory(process: psutil.Process) -> Dict[str, float]:
    info = process.memory_full_info()
    return dict(
        rss_mib=info.rss / MIB, uss_mib=info.uss / MIB, pss_mib=info.pss / MIB
    )


def iterate_and_measure(
    dataset: GeoSense, workers: int, samples_per_worker: int
) -> Dict:
    """Memory of the main process and each worker after drawing samples."""
    generator = torch.Generator().manual_seed(0)
    sampler = RandomSampler(
        dataset,
        replacement=True,
        num_samples=workers * samples_per_worker,
        generator=generator,
    )
    loader = DataLoader(
        dataset,
        batch_size=1000,
        sampler=sampler,
        num_workers=workers,
        collate_fn=count_batch,
        persistent_workers=True,
        multiprocessing_context='fork',
    )
    start = time.perf_counter()
    seen = sum(loader)
    seconds = time.perf_counter() - start
    main = psutil.Process()
    children = main.children()
    result = dict(
        samples=seen,
        iterate_s=seconds,
        main=memory(main),
        workers=[memory(c) for c in children],
    )
    result['pss_sum_mib'] = result['main']['pss_mib'] + sum(
        w['pss_mib'] for w in result['workers']
    )
    del loader  # stops the persistent workers
    gc.collect()
    return result


def run(args) -> Dict:
    work = tempfile.mkdtemp(prefix='geosense_scale_', dir=args.tmp_dir)
    small_list = osp.join(work, 'small.txt')
    big_list = osp.join(work, 'big.txt')
    write_list_file(small_list, 1000)
    start = time.perf_counter()
    write_list_file(big_list, args.num_paths)
    print(
        f'list file of {args.num_paths:,} paths written in '
        f'{time.perf_counter() - start:.1f} s '
        f'({osp.getsize(big_list) / MIB:.0f} MiB)',
        flush=True,
    )
    index_dir = osp.join(work, 'index')
    pipeline = [path_length]

    def build(list_file: str) -> GeoSense:
        return GeoSense(
            data_root=work,
            ann_file=list_file,
            index_dir=index_dir,
            pipeline=pipeline,
        )

    baseline = iterate_and_measure(
        build(small_list), args.workers, args.samples_per_worker
    )
    print(
        f'baseline (1,000 paths): PSS sum {baseline["pss_sum_mib"]:.0f} MiB',
        flush=True,
    )

    start = time.perf_counter()
    dataset = build(big_list)
    build_s = time.perf_counter() - start
    print(f'index built in {build_s:.1f} s', flush=True)
    del dataset
    gc.collect()

    start = time.perf_counter()
    dataset = build(big_list)
    load_s = time.perf_counter() - start
    print(f'cached index loaded in {load_s:.2f} s', flush=True)
    probe = np.random.default_rng(0).integers(0, len(dataset), 5)
    expected = [
        f'{i % 51:02d}/scene_{i // 97:07d}/tile_{i:08d}.jpg' for i in probe
    ]
    assert all(
        dataset.get_data_info(int(i))['img_path'].endswith(e)
        for i, e in zip(probe, expected)
    )
    measured = iterate_and_measure(
        dataset, args.workers, args.samples_per_worker
    )
    index_mib = measured['pss_sum_mib'] - baseline['pss_sum_mib']
    print(
        f'{args.num_paths:,} paths: PSS sum {measured["pss_sum_mib"]:.0f} '
        f'MiB, index across main + {args.workers} workers '
        f'{index_mib:.0f} MiB',
        flush=True,
    )
    for name in os.listdir(index_dir):
        os.remove(osp.join(index_dir, name))
    for path in (small_list, big_list):
        os.remove(path)
    return dict(
        num_paths=args.num_paths,
        workers=args.workers,
        samples_per_worker=args.samples_per_worker,
        index_bytes=dataset.index_nbytes,
        build_s=build_s,
        load_s=load_s,
        baseline=baseline,
        measured=measured,
        index_pss_across_processes_mib=index_mib,
        targets=dict(index_mib=TARGET_INDEX_BYTES / MIB, load_s=TARGET_LOAD_S),
        met=dict(
            index=index_mib * MIB <= TARGET_INDEX_BYTES,
            load=load_s <= TARGET_LOAD_S,
        ),
        machine=f'{platform.machine()}, {os.cpu_count()} cores, '
        f'{psutil.virtual_memory().total / 2**30:.0f} GiB, '
        f'load average {os.getloadavg()[0]:.1f}',
    )


def plot(result: Dict, path: str) -> None:
    import matplotlib

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    names = ['main'] + [
        f'w{i}' for i in range(len(result['measured']['workers']))
    ]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, key, title in (
        (axes[0], 'rss_mib', 'RSS (MiB)'),
        (axes[1], 'uss_mib', 'USS, private (MiB)'),
    ):
        for offset, (label, run) in enumerate(
            (
                ('1,000 paths', result['baseline']),
                (f'{result["num_paths"]:,} paths', result['measured']),
            )
        ):
            values = [run['main'][key]] + [w[key] for w in run['workers']]
            ax.bar(
                np.arange(len(values)) + 0.4 * offset, values, 0.4, label=label
            )
        ax.set_xticks(np.arange(len(names)) + 0.2, names)
        ax.set_title(title)
        ax.legend()
    fig.suptitle(
        f'GeoSense index: build {result["build_s"]:.1f} s, cached load '
        f'{result["load_s"]:.2f} s, {result["index_bytes"] / MIB:.0f} MiB; '
        f'across main + workers (PSS) '
        f'{result["index_pss_across_processes_mib"]:.0f} MiB'
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--num-paths', type=int, default=9_000_000)
    parser.add_argument('--workers', type=int, default=8)
    parser.add_argument('--samples-per-worker', type=int, default=50_000)
    parser.add_argument(
        '--tmp-dir',
        default=None,
        help='where the list file and index go (~0.9 GB)',
    )
    parser.add_argument(
        '--out', default=osp.join(REPO, 'benchmarks', 'results')
    )
    args = parser.parse_args()
    result = run(args)
    os.makedirs(args.out, exist_ok=True)
    with open(osp.join(args.out, 'geosense_scale.json'), 'w') as f:
        json.dump(result, f, indent=1)
    plot(result, osp.join(args.out, 'geosense_scale.png'))
    measured = result['measured']
    print('\n| process | RSS MiB | USS MiB | PSS MiB |\n|---|---|---|---|')
    for name, m in [('main', measured['main'])] + [
        (f'worker {i}', w) for i, w in enumerate(measured['workers'])
    ]:
        print(
            f'| {name} | {m["rss_mib"]:.0f} | {m["uss_mib"]:.0f} | '
            f'{m["pss_mib"]:.0f} |'
        )
    print(
        f'\nbuild {result["build_s"]:.1f} s, load {result["load_s"]:.2f} s '
        f'(target <= {TARGET_LOAD_S:.0f} s: {result["met"]["load"]}), index '
        f'{result["index_bytes"] / MIB:.0f} MiB, across main + workers '
        f'{result["index_pss_across_processes_mib"]:.0f} MiB (target <= '
        f'{TARGET_INDEX_BYTES / MIB:.0f} MiB: {result["met"]["index"]}); '
        f'{result["machine"]}'
    )


if __name__ == '__main__':
    main()
