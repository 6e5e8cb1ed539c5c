"""End to end on the bundled real LEVIR-CD tiles: train, resume, test (tiles and slide)."""

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mmslffm.testing import DEMO_DATA, tool_output

DEMO = DEMO_DATA / 'levir_cd'
CONFIG = 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'


@pytest.fixture(scope='module')
def data_root(tmp_path_factory) -> Path:
    """train/ (3 real tiles) and test/ (3 real tiles) folders."""
    root = tmp_path_factory.mktemp('levir_tiles')
    for image in sorted((DEMO / 'A').glob('*.png')):
        split = 'train' if image.name.startswith('train') else 'test'
        for folder in ('A', 'B', 'label'):
            (root / split / folder).mkdir(parents=True, exist_ok=True)
            shutil.copy(
                DEMO / folder / image.name, root / split / folder / image.name
            )
    return root


def data_options(root: Path) -> list:
    options = []
    for loader, split in (
        ('train', 'train'),
        ('val', 'test'),
        ('test', 'test'),
    ):
        options += [
            f'{loader}_dataloader.dataset.data_root={root}',
            f'{loader}_dataloader.dataset.ann_file=',
            f'{loader}_dataloader.dataset.data_prefix.img_path={split}/A',
            f'{loader}_dataloader.dataset.data_prefix.img_path2={split}/B',
            f'{loader}_dataloader.dataset.data_prefix.seg_map_path='
            f'{split}/label',
        ]
    return options


def test_train_resume_test(data_root, tmp_path):
    work_dir = tmp_path / 'work'
    common = [
        '--work-dir',
        str(work_dir),
        '--cfg-options',
        *data_options(data_root),
        'default_hooks.checkpoint.interval=2',
        'train_cfg.val_interval=2',
    ]
    output = tool_output(
        ['tools/train.py', CONFIG, *common, 'train_cfg.max_iters=2']
    )
    assert 'F1_change' in output
    assert (work_dir / 'iter_2.pth').is_file()

    output = tool_output(
        [
            'tools/train.py',
            CONFIG,
            '--resume',
            *common,
            'train_cfg.max_iters=4',
        ]
    )
    assert 'resumed epoch: 0, iter: 2' in output
    assert (work_dir / 'iter_4.pth').is_file()

    maps = tmp_path / 'maps'
    output = tool_output(
        [
            'tools/test.py',
            CONFIG,
            str(work_dir / 'iter_4.pth'),
            '--work-dir',
            str(tmp_path / 'test'),
            '--cfg-options',
            *data_options(data_root),
            f'test_evaluator.output_dir={maps}',
        ]
    )
    for key in (
        'Precision_change',
        'Recall_change',
        'F1_change',
        'IoU_change',
        'OA',
        'mFscore',
    ):
        assert key in output
    change_map = np.asarray(Image.open(maps / 'test_2_0000_0000.png'))
    assert change_map.shape == (256, 256)
    assert set(np.unique(change_map).tolist()) <= {0, 255}
    assert (maps / 'test_2_0000_0000_errors.png').is_file()


def test_slide_test_on_whole_large_pairs(data_root, tmp_path):
    """A 512x512 pair of 4 real tiles, tested with sliding 256 windows."""
    large = tmp_path / 'large'
    names = sorted(path.name for path in (DEMO / 'A').glob('*.png'))[:4]
    for folder in ('A', 'B', 'label'):
        tiles = [
            np.asarray(Image.open(DEMO / folder / name)) for name in names
        ]
        mosaic = np.concatenate(
            [
                np.concatenate(tiles[:2], axis=1),
                np.concatenate(tiles[2:], axis=1),
            ],
            axis=0,
        )
        (large / 'test' / folder).mkdir(parents=True)
        Image.fromarray(mosaic).save(large / 'test' / folder / 'scene.png')
    work_dir = tmp_path / 'work'
    tool_output(
        [
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(work_dir),
            '--no-validate',
            '--cfg-options',
            *data_options(data_root),
            'train_cfg.max_iters=1',
            'default_hooks.checkpoint.interval=1',
        ]
    )
    maps = tmp_path / 'maps'
    output = tool_output(
        [
            'tools/test.py',
            CONFIG,
            str(work_dir / 'iter_1.pth'),
            '--work-dir',
            str(tmp_path / 'test'),
            '--cfg-options',
            *data_options(large),
            'model.test_cfg.mode=slide',
            'model.test_cfg.crop_size=[256,256]',
            'model.test_cfg.stride=[256,256]',
            f'test_evaluator.output_dir={maps}',
        ]
    )
    assert 'F1_change' in output
    assert np.asarray(Image.open(maps / 'scene.png')).shape == (512, 512)
