"""Oriented R-CNN end to end on the bundled real scenes, through the user's commands:
split -> tools/train.py (2 iterations) -> --resume (2 more) -> tools/test.py (patch and
scene mAP, Task1 files). DIOR-R: train and test on its bundled sample."""

import glob
import math
import os
import re
import zipfile

from mmslffm.checkpoint import load_checkpoint_file
from mmslffm.testing import tool_output

DOTA_CONFIG = (
    'configs/dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py'
)
DIOR_CONFIG = (
    'configs/dior/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dior-r.py'
)


def _metric(output, key):
    values = re.findall(rf'{re.escape(key)}: (\S+?)(?:\s|$)', output)
    assert values, f'{key} not printed'
    return float(values[-1])


def test_dota_split_train_resume_test(tmp_path):
    split = tmp_path / 'split'
    tool_output(
        [
            'tools/dataset_converters/dota_split.py',
            '--img-dir',
            'demo/data/dota/images',
            '--ann-dir',
            'demo/data/dota/labelTxt',
            '--out-dir',
            str(split),
            '--patch-size',
            '256',
            '--gap',
            '64',
        ]
    )
    work = tmp_path / 'work'
    data = [
        f'{loader}.dataset.data_root={split}/'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]
    tool_output(
        [
            'tools/train.py',
            DOTA_CONFIG,
            '--work-dir',
            str(work),
            '--no-validate',
            '--cfg-options',
            *data,
            'train_cfg.max_iters=2',
        ]
    )
    assert (work / 'iter_2.pth').is_file()

    resumed = tool_output(
        [
            'tools/train.py',
            DOTA_CONFIG,
            '--work-dir',
            str(work),
            '--resume',
            '--no-validate',
            '--cfg-options',
            *data,
            'train_cfg.max_iters=4',
        ]
    )
    assert 'resumed' in resumed.lower()
    assert re.search(r'Iter\(train\) \[3/4\]', resumed)
    assert not re.search(r'Iter\(train\) \[1/4\]', resumed)
    checkpoint = load_checkpoint_file(str(work / 'iter_4.pth'))
    assert checkpoint['meta']['iter'] == 4

    show = tmp_path / 'show'
    tested = tool_output(
        [
            'tools/test.py',
            DOTA_CONFIG,
            str(work / 'iter_4.pth'),
            '--work-dir',
            str(work),
            '--show-dir',
            str(show),
            '--show-score-thr',
            '0.05',
            '--cfg-options',
            *data,
        ]
    )
    assert 'Could not import OneDL' not in tested
    assert math.isfinite(_metric(tested, 'dota/mAP'))
    scene_map = _metric(tested, 'dota/scene_mAP')
    assert 0 <= scene_map <= 1
    zips = glob.glob(str(work / '*' / 'submission' / 'Task1.zip'))
    assert len(zips) == 1
    with zipfile.ZipFile(zips[0]) as archive:
        assert 'Task1_small-vehicle.txt' in archive.namelist()
    # --show-dir: every test patch drawn, named after the patch
    patches = sorted(p.name for p in (split / 'images').iterdir())
    assert sorted(p.name for p in show.iterdir()) == patches
    scene_pngs = glob.glob(
        str(work / '*' / 'submission' / 'scene_detections' / '*.png')
    )
    assert sorted(os.path.basename(p) for p in scene_pngs) == [
        'P0075.png',
        'P1888.png',
    ]


def test_dior_train_and_test(tmp_path):
    work = tmp_path / 'work'
    tool_output(
        [
            'tools/train.py',
            DIOR_CONFIG,
            '--work-dir',
            str(work),
            '--no-validate',
        ]
    )
    tested = tool_output(
        [
            'tools/test.py',
            DIOR_CONFIG,
            str(work / 'iter_2.pth'),
            '--work-dir',
            str(work),
        ]
    )
    assert math.isfinite(_metric(tested, 'dota/mAP'))
    assert 'golffield' in tested  # the per-class table
