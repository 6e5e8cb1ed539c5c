"""kNN on raw and on z-scored embeddings along a pretraining run: which one follows the encoder?

    PYTHONPATH=. python benchmarks/knn_feature_norm.py [--configs CFG ...] [--interval 20]
        [--ucm data/ucm/train] [--work-root /tmp/knn] [--out benchmarks/results]

For each pretraining config (default: the SLFFM CPU demo) it runs tools/train.py with a
checkpoint and a kNN-monitor evaluation every --interval iterations (the monitor reports both
feature normalizations, leave-one-out on the 63 bundled UC Merced scenes), builds the config's
random initialisation (seed 0, as benchmarks/pretrain_study.py does), then evaluates every
checkpoint with tools/eval_representation.py on UC Merced (48 / 12 per class, seeds 0-2) once
per --feature-norm; the linear probe (which standardizes its input in any case) is the
reference of encoder quality. A finished run (its knn_monitor.json has train_seconds) is reused.
Writes knn_feature_norm_cpu.{json,png}: date, machine, every command, both curves.
"""

import argparse
import datetime
import glob
import json
import os
import os.path as osp
import platform
import re
import shlex
import subprocess
import sys
from types import SimpleNamespace
from typing import Dict, List

import matplotlib
import torch
from pretrain_study import VARIANTS, random_init_checkpoint

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SLFFM_DEMO = 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
NORMS = ('zscore', 'none')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--configs', nargs='+', default=[SLFFM_DEMO])
    parser.add_argument('--interval', type=int, default=20)
    parser.add_argument(
        '--eval-iters',
        type=int,
        nargs='+',
        help='checkpoints evaluated on UC Merced (default: all, and 0)',
    )
    parser.add_argument('--ucm', default='data/ucm/train')
    parser.add_argument('--work-root', default='work_dirs/knn_feature_norm')
    parser.add_argument('--out', default='benchmarks/results')
    parser.add_argument('--name', default='knn_feature_norm_cpu')
    parser.add_argument('--note', help='how the runs were made, for the JSON')
    parser.add_argument(
        '--no-train',
        action='store_true',
        help='read the runs in --work-root as they stand (one may still be '
        'training); the JSON says whether each had finished',
    )
    return parser.parse_args()


def run(command: List[str], log: List[str], done: bool = False) -> None:
    """Run a repository tool with this interpreter, recording the command.

    ``done``: its results are already there (recorded, not run again).
    """
    log.append(shlex.join(['python', *command[1:]]))
    print('reused:' if done else '$', log[-1], flush=True)
    if not done:
        env = dict(os.environ, PYTHONPATH=REPO)
        subprocess.run(command, check=True, cwd=REPO, env=env)


def finished(work_dir: str) -> bool:
    """Whether the run in ``work_dir`` ended (the monitor's last write)."""
    path = osp.join(work_dir, 'knn_monitor.json')
    if not osp.isfile(path):
        return False
    with open(path) as f:
        return json.load(f)['train_seconds'] is not None


def train(
    config: str, work_dir: str, interval: int, log: List[str], skip: bool
) -> None:
    """The config through tools/train.py, checkpoint and monitor every ``interval``.

    ``skip``: record the command only (the run was started apart).
    """
    hooks = [h['type'] for h in _custom_hooks(config)]
    monitor = hooks.index('mmslffm.KNNMonitorHook')
    run(
        [
            sys.executable,
            'tools/train.py',
            config,
            '--work-dir',
            work_dir,
            '--cfg-options',
            f'default_hooks.checkpoint.interval={interval}',
            'default_hooks.checkpoint.max_keep_ckpts=-1',
            f'custom_hooks.{monitor}.interval={interval}',
        ],
        log,
        done=skip or finished(work_dir),
    )


def _custom_hooks(config: str) -> list:
    from mmengine.config import Config

    return Config.fromfile(osp.join(REPO, config)).custom_hooks


def checkpoints(config: str, work_dir: str) -> Dict[int, str]:
    """{iteration: checkpoint}; iteration 0 is the random initialisation."""
    found = {
        int(re.search(r'iter_(\d+)\.pth$', p)[1]): p
        for p in glob.glob(osp.join(work_dir, 'iter_*.pth'))
    }
    variant = next(
        name
        for name, (path, _) in VARIANTS.items()
        if name.startswith('random_init') and path == config
    )
    found[0] = random_init_checkpoint(
        variant, SimpleNamespace(work_dir=work_dir)
    )
    return dict(sorted(found.items()))


def evaluate(
    checkpoint: str, ucm: str, work_dir: str, log: List[str]
) -> Dict[str, dict]:
    """{feature_norm: eval_representation results} of one checkpoint."""
    results = {}
    for norm in NORMS:
        out = osp.join(
            work_dir,
            'eval',
            f'{osp.splitext(osp.basename(checkpoint))[0]}_{norm}.json',
        )
        run(
            [
                sys.executable,
                'tools/eval_representation.py',
                checkpoint,
                '--data',
                ucm,
                '--train-per-class',
                '48',
                '--seeds',
                '0',
                '1',
                '2',
                '--protocols',
                *(['knn', 'linear'] if norm == NORMS[0] else ['knn']),
                '--feature-norm',
                norm,
                '--cache-dir',
                osp.join(work_dir, 'feature_cache'),
                '--out',
                out,
            ],
            log,
            done=osp.isfile(out),
        )
        with open(out) as f:
            results[norm] = json.load(f)['results']
    return results


def plot(report: dict, path: str) -> None:
    """Per run: the monitor's curves (left) and UC Merced's (right)."""
    runs = report['runs']
    fig, axes = plt.subplots(
        len(runs), 2, figsize=(11, 4 * len(runs)), squeeze=False
    )
    for (left, right), (config, entry) in zip(axes, runs.items()):
        history = entry['knn_monitor']['history']
        headline = entry['knn_monitor']['feature_norm']
        iters = [h['iter'] for h in history]
        for norm, style in zip(NORMS, ('o-', 's--')):
            for k, colour in (('20', 'C0'), ('1', 'C1')):
                key = f'top1_k{k}' + ('' if norm == headline else f'_{norm}')
                left.plot(
                    iters,
                    [h[key] for h in history],
                    style,
                    color=colour,
                    label=f'kNN k={k}, {norm}',
                )
        left.axhline(100 / 21, color='grey', ls=':', label='chance')
        left.set(
            xlabel='iteration',
            ylabel='leave-one-out top-1 (%)',
            title=f'{osp.basename(config)[:-3]}\nkNN monitor, '
            'demo/data/ucm_mini (63 images)',
        )
        left.legend(fontsize=8)
        evals = entry['ucm']
        iters = [int(i) for i in evals]
        for norm, style in zip(NORMS, ('o-', 's--')):
            for k, colour in (('20', 'C0'), ('1', 'C1')):
                right.errorbar(
                    iters,
                    [e[norm][f'knn_k{k}']['mean'] for e in evals.values()],
                    [e[norm][f'knn_k{k}']['std'] for e in evals.values()],
                    fmt=style,
                    color=colour,
                    capsize=3,
                    label=f'kNN k={k}, {norm}',
                )
        right.errorbar(
            iters,
            [e[NORMS[0]]['linear']['mean'] for e in evals.values()],
            [e[NORMS[0]]['linear']['std'] for e in evals.values()],
            fmt='^-',
            color='k',
            capsize=3,
            label='linear probe',
        )
        right.axhline(100 / 21, color='grey', ls=':', label='chance')
        right.set(
            xlabel='iteration (0: random initialisation)',
            ylabel='top-1 (%), mean +- std of 3 splits',
            title='UC Merced (1260 images), 48 / 12 per class',
        )
        right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    torch.set_num_threads(1)
    report = dict(
        date=datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec='seconds'
        ),
        machine=f'{platform.machine()}, {os.cpu_count()} CPUs, '
        f'torch {torch.__version__}',
        command=shlex.join(['python', *sys.argv]),
        note=args.note,
        commands=[],
        ucm=args.ucm,
        feature_norms=list(NORMS),
        runs={},
    )
    for config in args.configs:
        work_dir = osp.abspath(
            osp.join(args.work_root, osp.basename(config)[:-3])
        )
        train(
            config, work_dir, args.interval, report['commands'], args.no_train
        )
        with open(osp.join(work_dir, 'knn_monitor.json')) as f:
            monitor = json.load(f)
        ucm = {
            str(it): evaluate(
                ckpt, osp.abspath(args.ucm), work_dir, report['commands']
            )
            for it, ckpt in checkpoints(config, work_dir).items()
            if args.eval_iters is None or it in args.eval_iters
        }
        report['runs'][config] = dict(
            finished=finished(work_dir), knn_monitor=monitor, ucm=ucm
        )
    os.makedirs(args.out, exist_ok=True)
    stem = osp.join(args.out, args.name)
    with open(stem + '.json', 'w') as f:
        json.dump(report, f, indent=1)
    plot(report, stem + '.png')
    print(f'written {stem}.json and {stem}.png')


if __name__ == '__main__':
    main()
