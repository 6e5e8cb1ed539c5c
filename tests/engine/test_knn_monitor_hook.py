"""The kNN monitor logs accuracy to the log, the visualizer, a JSON and a PNG while training."""

import json
import shutil
from pathlib import Path

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from mmslffm.engine import KNNMonitorHook
from mmslffm.testing import DEMO_DATA
from mmslffm.testing import REPO_ROOT as REPO

PRETRAINING = (
    REPO / 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
)


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """A tiny SLFFM trained 3 iterations with the monitor every 2."""
    root = tmp_path_factory.mktemp('knn_monitor')
    labeled = root / 'labeled'
    for folder in sorted((DEMO_DATA / 'ucm_mini').iterdir())[:4]:
        if folder.is_dir():
            shutil.copytree(folder, labeled / folder.name)
    cfg = Config.fromfile(str(PRETRAINING))
    cfg.merge_from_dict(
        {
            'model.backbone.arch': 'test',
            'model.neck.feature_dim': 64,
            'train_dataloader.batch_size': 2,
            'train_dataloader.num_workers': 0,
            'train_dataloader.dataset.data_root': str(
                DEMO_DATA / 'pretrain_unlabeled'
            ),
            'train_dataloader.dataset.index_dir': str(root / 'index'),
            'train_cfg.max_iters': 3,
            'default_hooks.logger.interval': 1,
            'default_hooks.checkpoint.interval': 100,
        }
    )
    cfg.train_dataloader.dataset.pipeline[1]['scale'] = 64
    cfg.custom_hooks = [
        dict(
            type='mmslffm.KNNMonitorHook',
            data_root=str(labeled),
            interval=2,
            img_size=64,
        )
    ]
    cfg.work_dir = str(root / 'work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    hook = next(h for h in runner.hooks if isinstance(h, KNNMonitorHook))
    return runner, hook


def test_evaluates_before_every_interval_and_at_the_end(trained):
    _, hook = trained
    assert [h['iter'] for h in hook.history] == [0, 2, 3]
    for record in hook.history:
        assert set(record) == {'iter', 'top1_k20', 'top1_k1'}
        assert 0 <= record['top1_k20'] <= 100


def test_writes_log_lines_scalars_json_and_png(trained):
    runner, hook = trained
    log = next(Path(runner.log_dir).glob('*.log')).read_text()
    assert 'kNN monitor: 12 images of 4 classes' in log
    assert 'kNN monitor (leave-one-out) at iteration 2: top1_k20' in log
    assert 'kNN monitor cost:' in log
    scalars = [
        json.loads(line)
        for line in (Path(runner.log_dir) / 'vis_data' / 'scalars.json')
        .read_text()
        .splitlines()
    ]
    logged = [s for s in scalars if 'knn_monitor/top1_k20' in s]
    assert [s['step'] for s in logged] == [0, 2, 3]
    assert logged[-1]['knn_monitor/top1_k1'] == hook.history[-1]['top1_k1']
    work = Path(runner.work_dir)
    saved = json.loads((work / 'knn_monitor.json').read_text())
    assert saved['history'] == hook.history
    assert saved['train_seconds'] > saved['monitor_seconds'] > 0
    assert (work / 'knn_monitor.png').stat().st_size > 1000


def test_leaves_the_encoder_in_training_mode(trained):
    runner, _ = trained
    assert runner.model.backbone.training
