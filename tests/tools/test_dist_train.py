"""MULTI-PROCESS runs: tools/dist_{train,test}.sh, 2 CPU processes (gloo), 1-2.5 min on 2 cores.

What is exactly comparable between 2 processes at batch B/2 each and 1 process at batch B:
with the same sampler seed, mmengine's samplers shard one permutation (rank r takes every
second index), so each global step sees the same B samples; weights start equal (rank 0
broadcasts its seed-0 initialization); gradients are averaged over ranks and SyncBatchNorm
normalizes over both halves. So for a deterministic pipeline and a linear optimizer (SGD) the
weights after k steps agree up to float summation order. Pretraining draws its random masks
from each rank's own generator, so there only the data order and the mechanics (resume,
checkpoints written once) are compared.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from mmslffm.checkpoint import load_checkpoint_file
from mmslffm.testing import DEMO_DATA
from mmslffm.testing import REPO_ROOT as REPO

pytestmark = pytest.mark.multiprocess

CD_CONFIG = """
_base_ = ['{base}']
# deterministic: no random augmentation, no drop path; SGD is linear in the gradients
train_pipeline = [
    dict(type='mmslffm.LoadImagePairFromFile'),
    dict(type='mmslffm.LoadBinaryChangeLabel'),
    dict(type='PackSegInputs', meta_keys=('img_path', 'img_shape',
                                          'ori_shape', 'pad_shape')),
]
train_dataloader = dict(
    sampler=dict(type='InfiniteSampler', shuffle=True, seed=7),
    dataset=dict(pipeline=train_pipeline))
model = dict(backbone=dict(drop_path_rate=0.0))
optim_wrapper = dict(_delete_=True, type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.05, momentum=0.9))
sync_bn = 'torch'  # the BIT head's BN, synchronized over the processes
train_cfg = dict(max_iters=3, val_interval=1000)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=1, max_keep_ckpts=5))
randomness = dict(seed=0)
"""

PRETRAIN_CONFIG = """
_base_ = ['{base}']
train_pipeline = [
    dict(type='mmslffm.LoadRemoteSensingImage'),
    dict(type='Resize', scale=(128, 128), backend='cv2'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=2, num_workers=0,
    sampler=dict(type='mmslffm.ResumableSampler', shuffle=True, seed=7),
    dataset=dict(data_root='{data}', index_dir='{index}',
                 pipeline=train_pipeline))
model = dict(backbone=dict(arch='test'),
             neck=dict(feature_dim=64, norm_cfg=dict(type='SyncBN')))
train_cfg = dict(max_iters=4)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, max_keep_ckpts=5))
custom_hooks = [dict(type='mmslffm.RandomStateHook'),
                dict(type='mmslffm.EpochPositionHook')]
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def _run(command: list, cwd: Path) -> str:
    """Run a tool with the test's python as $PY; its output text."""
    env = dict(
        os.environ,
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED='1',
        OMP_NUM_THREADS='1',
        PY=sys.executable,
        MASTER_PORT=str(_free_port()),
    )
    proc = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    return output


def _train(config: Path, procs: int, work_dir: Path, *options: str) -> str:
    """tools/dist_train.sh CONFIG procs (or train.py for 1), output text."""
    if procs == 1:
        command = [sys.executable, str(REPO / 'tools/train.py'), str(config)]
    else:
        command = [
            'bash',
            str(REPO / 'tools/dist_train.sh'),
            str(config),
            str(procs),
        ]
    return _run(
        command + ['--work-dir', str(work_dir), *options], config.parent
    )


def _state(path: Path) -> dict:
    return load_checkpoint_file(str(path))['state_dict']


def test_two_processes_follow_one_process_at_the_same_global_batch(tmp_path):
    config = tmp_path / 'bit_dist.py'
    config.write_text(
        CD_CONFIG.format(
            base=REPO
            / 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
        )
    )
    data = [f'train_dataloader.dataset.data_root={DEMO_DATA / "levir_cd"}']
    one = _train(
        config,
        1,
        tmp_path / 'one',
        '--no-validate',
        '--cfg-options',
        'train_dataloader.batch_size=2',
        *data,
    )
    two = _train(
        config,
        2,
        tmp_path / 'two',
        '--no-validate',
        '--cfg-options',
        'train_dataloader.batch_size=1',
        *data,
    )
    assert 'runs on the CPU (gloo backend' in two
    assert 'runs on the CPU' not in one
    for step in (1, 3):
        single, parallel = (
            _state(tmp_path / run / f'iter_{step}.pth')
            for run in ('one', 'two')
        )
        assert single.keys() == parallel.keys()
        for key, value in single.items():
            # float32 sums in another order: differences ~1e-7 per step
            torch.testing.assert_close(
                parallel[key], value, atol=2e-5, rtol=1e-4, msg=key
            )
    # the comparison means something: the weights and the BN statistics
    # (synchronized over the two halves of the batch) moved in between
    first = _state(tmp_path / 'one' / 'iter_1.pth')
    moved = [k for k, value in single.items() if not value.equal(first[k])]
    assert any('running_mean' in key for key in moved)
    assert len(moved) > len(single) // 2
    # and tools/dist_test.sh evaluates it with 2 processes
    output = _run(
        [
            'bash',
            str(REPO / 'tools/dist_test.sh'),
            str(config),
            str(tmp_path / 'two' / 'iter_3.pth'),
            '2',
            '--work-dir',
            str(tmp_path / 'test'),
            '--cfg-options',
            f'test_dataloader.dataset.data_root={DEMO_DATA}/levir_cd',
        ],
        tmp_path,
    )
    assert 'Iter(test) [3/3]' in output and 'F1_change' in output


def test_ranks_shard_the_single_process_order(monkeypatch):
    """Rank 0's B/2 samples + rank 1's == the single process's batch of B."""
    from mmengine.dataset import sampler as samplers

    from mmslffm.datasets import ResumableSampler

    dataset = list(range(23))
    for make in (
        lambda: ResumableSampler(dataset, seed=5),
        lambda: samplers.InfiniteSampler(dataset, seed=5),
    ):
        monkeypatch.setattr(samplers, 'get_dist_info', lambda: (0, 1))
        single = iter(make())
        ranks = []
        for rank in (0, 1):
            monkeypatch.setattr(
                samplers, 'get_dist_info', lambda rank=rank: (rank, 2)
            )
            ranks.append(iter(make()))
        for _ in range(5):  # global batch 4 = 2 per rank, within one epoch
            batch = [next(single) for _ in range(4)]
            halves = [next(ranks[r]) for r in (0, 1) for _ in range(2)]
            assert sorted(halves) == sorted(batch)


@pytest.fixture(scope='module')
def pretrain(tmp_path_factory):
    root = tmp_path_factory.mktemp('dist_pretrain')
    data = root / 'tiles'
    data.mkdir()
    # 12 tiles: 3 global batches of 4 per epoch, so the interruption at 2
    # falls inside an epoch (see RandomStateHook for the epoch's last one)
    for tile in sorted((DEMO_DATA / 'pretrain_unlabeled').glob('*.jpg'))[:12]:
        (data / tile.name).write_bytes(tile.read_bytes())
    config = root / 'slffm_dist.py'
    config.write_text(
        PRETRAIN_CONFIG.format(
            base=REPO
            / 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py',
            data=data,
            index=root / 'index',
        )
    )
    first = _train(
        config, 2, root / 'work', '--cfg-options', 'train_cfg.max_iters=2'
    )
    resumed = _train(config, 2, root / 'work', '--resume')
    _train(config, 2, root / 'uninterrupted')
    return root / 'work', first, resumed


def test_two_process_pretraining_resumes_and_writes_checkpoints_once(pretrain):
    work_dir, first, resumed = pretrain
    assert 'runs on the CPU (gloo backend' in first
    assert 'resumed epoch: 0, iter: 2' in resumed
    assert sorted(p.name for p in work_dir.glob('*.pth')) == [
        'iter_2.pth',
        'iter_4.pth',
    ]
    # rank 0 alone writes: one 'Saving checkpoint' line per checkpoint
    assert first.count('Saving checkpoint at 2 iterations') == 1
    assert resumed.count('Saving checkpoint at 4 iterations') == 1
    state = _state(work_dir / 'iter_4.pth')
    assert all(
        torch.isfinite(v).all()
        for v in state.values()
        if v.is_floating_point()
    )
    assert any('running_var' in key for key in state)  # SyncBN neck


def test_each_rank_resumes_its_own_random_draws(pretrain):
    """Interrupted at 2 and resumed = 4 iterations in one go: each rank's masks
    and drop-path draws continue (rank 1 drawing rank 0's masks after the
    resume, or fresh ones, would give other gradients and other weights)."""
    work_dir = pretrain[0]
    resumed = _state(work_dir / 'iter_4.pth')
    uninterrupted = _state(work_dir.parent / 'uninterrupted' / 'iter_4.pth')
    for key, value in uninterrupted.items():
        torch.testing.assert_close(
            resumed[key], value, atol=1e-6, rtol=1e-5, msg=key
        )
    states = load_checkpoint_file(str(work_dir / 'iter_4.pth'))['random_state']
    assert len(states) == 2
    assert not states[0]['torch'].equal(states[1]['torch'])
