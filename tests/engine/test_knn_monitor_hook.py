"""The kNN monitor logs accuracy to the log, the visualizer, a JSON and a PNG while training."""

import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from torch import nn

from mmslffm.engine import KNNMonitorHook
from mmslffm.evaluation.representation import knn_accuracy
from mmslffm.testing import DEMO_DATA
from mmslffm.testing import REPO_ROOT as REPO
from tests.evaluation.representation.test_knn import anisotropic_features

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
        assert set(record) == {
            'iter',
            'top1_k20',
            'top1_k1',
            'top1_k20_none',
            'top1_k1_none',
        }
        assert all(0 <= v <= 100 for v in record.values())


def test_writes_log_lines_scalars_json_and_png(trained):
    runner, hook = trained
    log = next(Path(runner.log_dir).glob('*.log')).read_text()
    assert 'kNN monitor: 12 images of 4 classes' in log
    assert (
        'kNN monitor (leave-one-out, zscore features) at iteration 2: '
        'top1_k20' in log
    )
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
    assert saved['feature_norm'] == 'zscore'
    assert saved['train_seconds'] > saved['monitor_seconds'] > 0
    assert (work / 'knn_monitor.png').stat().st_size > 1000


def test_leaves_the_encoder_in_training_mode(trained):
    runner, _ = trained
    assert runner.model.backbone.training


def _runner_around(backbone: nn.Module, work_dir: Path):
    """What :class:`KNNMonitorHook` reads of a runner, around one backbone."""
    model = nn.Module()
    model.backbone = backbone
    return SimpleNamespace(
        model=model,
        logger=mock.Mock(),
        visualizer=mock.Mock(),
        work_dir=str(work_dir),
    )


def _identity_convnext(dims: int) -> nn.Module:
    """A one-stage 'ConvNeXt' whose embedding of a (B, D, 1, 1) input is the input."""
    backbone = nn.Module()
    project = nn.Conv2d(dims, dims, 1, bias=False)
    project.weight.data = torch.eye(dims)[..., None, None]
    backbone.downsample_layers = nn.ModuleList([project])
    backbone.stages = nn.ModuleList([nn.Identity()])
    backbone.norm0 = nn.Identity()
    return backbone


@pytest.mark.parametrize(
    'feature_norm, other', [('zscore', 'none'), ('none', 'zscore')]
)
def test_the_chosen_feature_norm_is_the_headline_the_other_beside_it(
    tmp_path, feature_norm, other
):
    features, labels = anisotropic_features()
    hook = KNNMonitorHook(str(tmp_path), k=5, feature_norm=feature_norm)
    hook._images = features[..., None, None]
    hook._labels, hook._num_classes = labels, 2
    runner = _runner_around(_identity_convnext(features.shape[1]), tmp_path)
    hook._evaluate(runner, step=7)

    expected = {
        f'top1_k{k}{suffix}': knn_accuracy(
            features,
            labels,
            features,
            labels,
            2,
            k=k,
            exclude_self=True,
            feature_norm=norm,
        )
        for norm, suffix in ((feature_norm, ''), (other, f'_{other}'))
        for k in (5, 1)
    }
    assert hook.history == [dict(iter=7, **expected)]
    zscore = 'top1_k5' + ('' if feature_norm == 'zscore' else '_zscore')
    raw = 'top1_k5' + ('' if feature_norm == 'none' else '_none')
    assert hook.history[0][zscore] == 100.0 > hook.history[0][raw]
    message = runner.logger.info.call_args[0][0]
    assert message.startswith(
        f'kNN monitor (leave-one-out, {feature_norm} features) at '
        'iteration 7: top1_k5'
    )
    saved = json.loads((tmp_path / 'knn_monitor.json').read_text())
    assert saved['feature_norm'] == feature_norm


def test_an_unknown_feature_norm_stops_before_training(tmp_path):
    hook = KNNMonitorHook(str(tmp_path), feature_norm='l2')
    with pytest.raises(ValueError, match='KNNMonitorHook feature_norm'):
        hook.before_train(_runner_around(nn.Identity(), tmp_path))
