"""Scene classification end to end on the bundled UC Merced scenes: train.py, then test.py."""

import json
import re

import numpy as np
import pytest
import torch

from mmslffm.evaluation.metrics.scene_metric import (
    SceneClassificationMetric,
    scene_scores,
)
from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.testing import run_tool

CONFIG = str(
    REPO / 'configs/scene_cls/cls_convnext-atto-slffm_cpu-demo_ucm-mini.py'
)
TINY = [
    'model.backbone.arch=test',
    'model.backbone.init_cfg=None',
    'model.head.in_channels=64',
    'train_cfg.max_epochs=1',
    'train_cfg.val_interval=1',
    'default_hooks.checkpoint.interval=1',
]


def test_scores_by_hand():
    scores = scene_scores(np.array([[3, 1, 0], [0, 2, 0], [0, 0, 0]]))
    assert scores['OA'] == pytest.approx(100 * 5 / 6)
    assert scores['per_class'][:2].tolist() == [75.0, 100.0]
    assert np.isnan(scores['per_class'][2])  # no test image: not averaged
    assert scores['mAcc'] == pytest.approx(87.5)


def test_metric_equals_mmpretrain_accuracy_and_macro_recall(tmp_path):
    from mmpretrain.evaluation import Accuracy, SingleLabelMetric

    rng = np.random.default_rng(0)
    scores = torch.from_numpy(rng.random((40, 5))).float()
    labels = torch.from_numpy(rng.integers(0, 5, 40))
    samples = [
        dict(pred_score=s, gt_label=y.view(1)) for s, y in zip(scores, labels)
    ]
    ours = SceneClassificationMetric(out_dir=str(tmp_path))
    ours.dataset_meta = dict(classes=[f'c{i}' for i in range(5)])
    ours.process(None, samples)
    theirs = Accuracy()
    theirs.process(None, samples)
    recall = SingleLabelMetric(items=('recall',), average='macro')
    recall.process(None, samples)
    metrics = ours.evaluate(40)
    assert metrics['scene/OA'] == pytest.approx(
        theirs.evaluate(40)['accuracy/top1']
    )
    assert metrics['scene/mAcc'] == pytest.approx(
        recall.evaluate(40)['single-label/recall']
    )
    saved = json.loads((tmp_path / 'scene_scores.json').read_text())
    assert sum(map(sum, saved['confusion_matrix'])) == 40
    assert (tmp_path / 'confusion_matrix.png').stat().st_size > 1000


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    work = tmp_path_factory.mktemp('scene_cls')
    run_tool(
        [
            str(REPO / 'tools/train.py'),
            CONFIG,
            '--work-dir',
            str(work),
            '--cfg-options',
            *TINY,
        ],
        cwd=REPO,
    )
    return work


def test_train_validates_with_the_scene_metric(trained):
    log = next(trained.glob('*/*.log')).read_text()
    assert re.search(r'scene/OA: \d+\.\d+', log)
    assert 'scene/mAcc' in log


def test_test_prints_oa_table_and_writes_the_matrix(trained, tmp_path):
    proc = run_tool(
        [
            str(REPO / 'tools/test.py'),
            CONFIG,
            str(trained / 'epoch_1.pth'),
            '--work-dir',
            str(tmp_path),
            '--cfg-options',
            *TINY,
            f'test_evaluator.out_dir={tmp_path}/scores',
        ],
        cwd=REPO,
    )
    output = proc.stdout + proc.stderr
    assert 'scene classification, per class:' in output
    assert re.search(r'mean per class\s+\d+\.\d\d', output)
    assert re.search(r'tenniscourt\s+\d+\.\d\d\s+1', output)
    oa = float(re.search(r'scene/OA: (\d+\.\d+)', output)[1])
    saved = json.loads((tmp_path / 'scores/scene_scores.json').read_text())
    matrix = np.array(saved['confusion_matrix'])
    assert matrix.sum() == 21  # one test scene per class
    assert oa == pytest.approx(100 * np.trace(matrix) / 21, abs=0.01)
    assert list(tmp_path.glob('*/vis_data/vis_image/confusion_matrix_*.png'))


def test_show_dir_draws_every_test_scene_and_the_matrix(trained, tmp_path):
    show = tmp_path / 'show'
    run_tool(
        [
            str(REPO / 'tools/test.py'),
            CONFIG,
            str(trained / 'epoch_1.pth'),
            '--work-dir',
            str(tmp_path),
            '--show-dir',
            str(show),
            '--cfg-options',
            *TINY,
        ],
        cwd=REPO,
    )
    drawn = sorted(show.glob('*.png'))
    # mmpretrain's VisualizationHook: each test scene with its true and
    # predicted class, beside the scene metric's confusion matrix
    assert len([p for p in drawn if p.name != 'confusion_matrix.png']) == 21
    assert (show / 'confusion_matrix.png').is_file()
