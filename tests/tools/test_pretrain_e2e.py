"""SLFFM pretraining through the tools on bundled real tiles: train, resume, extract, preview."""

import json
import shutil

import numpy as np
import pytest
import torch
from PIL import Image

from mmslffm.checkpoint import load_checkpoint_file
from mmslffm.testing import DEMO_DATA, REPO_ROOT, run_tool
from mmslffm.testing.in_process import run_in_process
from mmslffm.visualization.reconstruction import TITLE_HEIGHT

TEST_CONFIG = """
_base_ = ['{base}']
train_pipeline = [
    dict(type='mmslffm.LoadRemoteSensingImage'),
    dict(type='RandomResizedCrop', scale=128, crop_ratio_range=(0.67, 1.0),
         interpolation='bicubic', backend='cv2'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=4, num_workers=0,
    dataset=dict(data_root='{data}', index_dir='{index}',
                 pipeline=train_pipeline))
model = dict(backbone=dict(arch='test'), neck=dict(feature_dim=64))
train_cfg = dict(max_iters=4)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, max_keep_ckpts=5))
custom_hooks = [
    dict(type='mmslffm.RandomStateHook'),
    dict(type='mmslffm.ReconstructionPreviewHook', interval=2, num_images=2),
]
log_processor = dict(window_size=1)
"""


@pytest.fixture(scope='module')
def workspace(tmp_path_factory):
    """6 real tiles and the 4 kinds of bad file, and a tiny test config."""
    root = tmp_path_factory.mktemp('pretrain')
    data = root / 'tiles'
    data.mkdir()
    tiles = sorted((DEMO_DATA / 'pretrain_unlabeled').glob('*.jpg'))[::19]
    for tile in tiles[:6]:
        shutil.copy(tile, data)
    (data / 'zero.png').write_bytes(b'')
    raw = tiles[0].read_bytes()
    (data / 'cut.jpg').write_bytes(raw[: len(raw) // 3])
    (data / 'text.tif').write_text('hello')
    Image.fromarray(np.zeros((1, 1, 3), np.uint8)).save(data / 'one.png')
    config = root / 'slffm_test.py'
    config.write_text(
        TEST_CONFIG.format(
            base=REPO_ROOT
            / 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py',
            data=data,
            index=root / 'index',
        )
    )
    return root


def _losses(work_dir):
    losses = {}
    for scalars in sorted(work_dir.glob('*/vis_data/scalars.json')):
        for line in scalars.read_text().splitlines():
            record = json.loads(line)
            if 'loss' in record:
                losses[record['iter']] = record['loss']
    return losses


@pytest.fixture(scope='module')
def runs(workspace):
    config = str(workspace / 'slffm_test.py')
    train = str(REPO_ROOT / 'tools/train.py')
    whole = run_tool([train, config, '--work-dir', 'whole'], cwd=workspace)
    first = run_tool(
        [
            train,
            config,
            '--work-dir',
            'split',
            '--cfg-options',
            'train_cfg.max_iters=2',
        ],
        cwd=workspace,
    )
    resumed = run_tool(
        [train, config, '--work-dir', 'split', '--resume'], cwd=workspace
    )
    return dict(whole=whole, first=first, resumed=resumed)


def test_resume_continues_exactly(workspace, runs):
    whole = _losses(workspace / 'whole')
    split = _losses(workspace / 'split')
    assert sorted(whole) == [1, 2, 3, 4]
    assert split == whole
    assert 'resumed epoch: 0, iter: 2' in runs['resumed'].stdout
    # and the same state: weights after 2 + 2 iterations == after 4
    from mmengine.runner import CheckpointLoader

    whole_state, split_state = (
        CheckpointLoader.load_checkpoint(str(workspace / run / 'iter_4.pth'))[
            'state_dict'
        ]
        for run in ('whole', 'split')
    )
    assert whole_state.keys() == split_state.keys()
    for key, value in whole_state.items():
        assert value.equal(split_state[key]), key


def test_bad_images_reported_once_and_counted(runs):
    log = runs['whole'].stdout
    for name in ('zero.png', 'cut.jpg', 'text.tif', 'one.png'):
        assert (
            sum(
                name in line and 'skipped unreadable image' in line
                for line in log.splitlines()
            )
            == 1
        ), name
    assert '(4 skipped so far)' in log


def test_previews_are_written(workspace, runs):
    previews = workspace / 'whole' / 'previews'
    # the last iteration's preview is not repeated as another file
    assert sorted(p.name for p in previews.glob('*.png')) == [
        'iter_2.png',
        'iter_4.png',
    ]
    picture = np.array(Image.open(previews / 'iter_4.png'))
    # a title strip (dark text on white) over 2 rows of 4 panels
    assert picture.shape == (TITLE_HEIGHT + 2 * 128 + 4, 4 * 128 + 3 * 4, 3)
    assert picture[:TITLE_HEIGHT].min() < 128
    assert 'reconstruction preview written to' in runs['whole'].stdout


def test_extracted_backbone_loads_into_mmpretrain(workspace, runs, tool):
    from mmengine.runner import CheckpointLoader
    from mmpretrain.models import ConvNeXt

    tool(
        [
            str(REPO_ROOT / 'tools/extract_backbone.py'),
            'split/iter_4.pth',
            'backbone.pth',
        ],
        cwd=workspace,
    )
    checkpoint = CheckpointLoader.load_checkpoint(
        str(workspace / 'backbone.pth')
    )
    convnext = ConvNeXt(
        arch=dict(depths=[1, 1, 2, 1], channels=[8, 16, 32, 64]),
        out_indices=(0, 1, 2, 3),
        gap_before_final_norm=False,
    )
    result = convnext.load_state_dict(checkpoint['state_dict'], strict=True)
    assert not result.missing_keys and not result.unexpected_keys
    assert checkpoint['meta']['method'] == 'SLFFM'


def test_visualize_reconstruction_tool(workspace, runs, tool):
    image = sorted((DEMO_DATA / 'pretrain_unlabeled').glob('*.jpg'))[3]
    proc = tool(
        [
            str(REPO_ROOT / 'tools/visualize_reconstruction.py'),
            'slffm_test.py',
            'split/iter_4.pth',
            str(image),
            '--out',
            'one.png',
            '--size',
            '128',
        ],
        cwd=workspace,
    )
    assert 'reconstruction written to one.png' in proc.stdout
    assert Image.open(workspace / 'one.png').size == (
        4 * 128 + 12,
        TITLE_HEIGHT + 128,
    )


def test_train_refuses_missing_config(workspace, tool):
    proc = tool(
        [str(REPO_ROOT / 'tools/train.py'), 'configs/nope.py'],
        cwd=workspace,
        check=False,
    )
    assert proc.returncode == 2
    assert 'config not found: configs/nope.py' in proc.stderr


def test_train_refuses_unknown_arch(workspace, tool):
    proc = tool(
        [
            str(REPO_ROOT / 'tools/train.py'),
            'slffm_test.py',
            '--work-dir',
            'bad',
            '--cfg-options',
            'model.backbone.arch=gigantic',
        ],
        cwd=workspace,
        check=False,
    )
    assert proc.returncode == 2
    assert "Unknown SparseConvNeXt arch 'gigantic'" in proc.stderr


def test_train_refuses_missing_pretrained_checkpoint(workspace, tool):
    proc = tool(
        [
            str(REPO_ROOT / 'tools/train.py'),
            'slffm_test.py',
            '--work-dir',
            'bad',
            '--cfg-options',
            'model.backbone.init_cfg.type=Pretrained',
            'model.backbone.init_cfg.checkpoint=missing.pth',
        ],
        cwd=workspace,
        check=False,
    )
    assert proc.returncode == 2
    assert 'checkpoint not found: missing.pth' in proc.stderr


def _assert_resume_refused(
    workspace, checkpoint: dict, name: str, what: str, monkeypatch
) -> None:
    """``train.py --resume`` from ``checkpoint`` (saved as ``name``) fails in
    one line naming the file and ``what`` is wrong, before any iteration."""
    damaged = workspace / f'{name}.pth'
    torch.save(checkpoint, damaged)
    proc = run_in_process(
        [
            'tools/train.py',
            str(workspace / 'slffm_test.py'),
            '--work-dir',
            str(workspace / f'{name}_resume'),
            '--resume',
            str(damaged),
        ],
        monkeypatch,
    )
    assert proc.returncode == 2, proc.stderr[-3000:]
    errors = [line for line in proc.stderr.splitlines() if 'error' in line]
    assert len(errors) == 1, errors
    assert errors[0].startswith(
        f'train.py: error: CheckpointError: {damaged}: {what} '
    ), errors[0]
    assert 'Traceback' not in proc.stderr
    assert 'Iter(train)' not in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    'damage',
    [
        lambda states: 7,
        lambda states: [
            dict(states[0], torch=torch.zeros(3, dtype=torch.uint8))
        ],
        lambda states: [{'torch': states[0]['torch']}],
    ],
    ids=['not a list', 'torch state cut short', 'numpy state missing'],
)
def test_resume_refuses_damaged_random_states(
    workspace, runs, damage, monkeypatch
):
    """A checkpoint whose RNG states cannot be restored is refused in one
    line naming it, before any iteration (not a traceback mid-run)."""
    checkpoint = load_checkpoint_file(str(workspace / 'split' / 'iter_2.pth'))
    checkpoint['random_state'] = damage(checkpoint['random_state'])
    _assert_resume_refused(
        workspace, checkpoint, 'damaged_rng', 'random_state', monkeypatch
    )


def _first_moment_key(optimizer_state):
    return next(iter(optimizer_state['state']))


@pytest.mark.parametrize(
    'damage',
    [
        lambda opt: opt['state'][_first_moment_key(opt)].update(
            exp_avg=torch.zeros(3)
        ),
        lambda opt: opt['state'][_first_moment_key(opt)].update(
            exp_avg_sq='moments'
        ),
        lambda opt: opt['param_groups'].pop(),
    ],
    ids=['moment of another shape', 'moment not a tensor', 'group missing'],
)
def test_resume_refuses_damaged_optimizer_states(
    workspace, runs, damage, monkeypatch
):
    """Optimizer moments that do not fit the model's parameters are refused
    in one line naming the checkpoint, before any iteration."""
    checkpoint = load_checkpoint_file(str(workspace / 'split' / 'iter_2.pth'))
    damage(checkpoint['optimizer'])
    _assert_resume_refused(
        workspace, checkpoint, 'damaged_optimizer', 'optimizer', monkeypatch
    )
