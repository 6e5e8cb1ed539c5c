"""tools/eval_representation.py on the bundled UC Merced scenes: table, JSON, cache, errors."""

import json

import numpy as np
import torch

from mmslffm.datasets.scene_split import scan_class_folders, split_per_class
from mmslffm.evaluation.representation import knn_accuracy
from mmslffm.models.backbones import SparseConvNeXt
from mmslffm.testing import DEMO_DATA, run_tool
from mmslffm.testing import REPO_ROOT as REPO

TOOL = str(REPO / 'tools/eval_representation.py')


def _backbone(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / 'backbone.pth'
    model = SparseConvNeXt(arch='test', out_indices=(3,))
    model.init_weights()
    torch.save(dict(state_dict=model.state_dict()), path)
    return str(path)


def test_knn_and_linear_over_seeds_then_from_cache(tmp_path):
    args = [
        TOOL,
        _backbone(tmp_path),
        '--data',
        str(DEMO_DATA / 'ucm_mini'),
        '--train-per-class',
        '2',
        '--seeds',
        '0',
        '1',
        '--img-size',
        '64',
        '--cache-dir',
        str(tmp_path / 'cache'),
        '--out',
        str(tmp_path / 'result.json'),
    ]
    first = run_tool(args, cwd=tmp_path)
    assert 'embedding 63 images of 21 classes at 64 px' in first.stdout
    assert '| knn_k20 |' in first.stdout and '| linear |' in first.stdout
    result = json.loads((tmp_path / 'result.json').read_text())
    for name in ('knn_k20', 'knn_k1', 'linear'):
        runs = result['results'][name]
        assert len(runs['per_split']) == 2
        assert all(0 <= a <= 100 for a in runs['per_split'])
    assert len(list((tmp_path / 'cache').glob('*.npy'))) == 1
    again = run_tool(args, cwd=tmp_path)
    assert 'task/s' not in again.stdout  # no progress bar: features cached
    assert (
        json.loads((tmp_path / 'result.json').read_text())['results']
        == result['results']
    )


def test_split_lists_of_the_converter(tmp_path):
    lists = DEMO_DATA / 'ucm_mini_splits/train2_seed0'
    proc = run_tool(
        [
            TOOL,
            _backbone(tmp_path),
            '--data',
            str(DEMO_DATA / 'ucm_mini'),
            '--train-list',
            str(lists / 'train.txt'),
            '--test-list',
            str(lists / 'test.txt'),
            '--protocols',
            'knn',
            '--img-size',
            '64',
            '--cache-dir',
            str(tmp_path / 'cache'),
            '--out',
            str(tmp_path / 'r.json'),
        ],
        cwd=tmp_path,
    )
    result = json.loads((tmp_path / 'r.json').read_text())
    assert set(result['results']) == {'knn_k20', 'knn_k1'}
    assert '| linear |' not in proc.stdout


def test_a_checkpoint_of_another_model_is_refused_in_one_line(tmp_path):
    path = tmp_path / 'detector.pth'
    torch.save(
        dict(state_dict={'roi_head.fc.weight': torch.zeros(2, 2)}), path
    )
    proc = run_tool(
        [TOOL, str(path), '--data', str(DEMO_DATA / 'ucm_mini')],
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert 'neither a ConvNeXt nor a ViT' in proc.stderr


def test_feature_norm_zscore_by_default_none_on_request(tmp_path):
    args = [
        TOOL,
        _backbone(tmp_path),
        '--data',
        str(DEMO_DATA / 'ucm_mini'),
        '--train-per-class',
        '2',
        '--protocols',
        'knn',
        '--img-size',
        '64',
        '--cache-dir',
        str(tmp_path / 'cache'),
    ]
    samples = scan_class_folders(str(DEMO_DATA / 'ucm_mini'))
    train, test = split_per_class(samples.labels, None, 0, 2)
    labels = torch.tensor(samples.labels)
    for flag, norm in (([], 'zscore'), (['--feature-norm', 'none'], 'none')):
        out = tmp_path / f'{norm}.json'
        proc = run_tool([*args, *flag, '--out', str(out)], cwd=tmp_path)
        assert f'kNN on {norm} features' in proc.stdout
        result = json.loads(out.read_text())
        assert result['feature_norm'] == norm
        (cache,) = (tmp_path / 'cache').glob('*.npy')
        x = torch.from_numpy(np.load(cache))
        for k in (20, 1):
            assert result['results'][f'knn_k{k}']['mean'] == knn_accuracy(
                x[train],
                labels[train],
                x[test],
                labels[test],
                21,
                k=k,
                feature_norm=norm,
            )


def test_an_unknown_feature_norm_is_an_argument_error(tmp_path):
    proc = run_tool(
        [
            TOOL,
            _backbone(tmp_path),
            '--data',
            str(DEMO_DATA / 'ucm_mini'),
            '--feature-norm',
            'l2',
        ],
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert "--feature-norm: invalid choice: 'l2'" in proc.stderr
