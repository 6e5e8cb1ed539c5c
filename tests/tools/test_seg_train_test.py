"""End to end on the bundled real tiles: convert, train, resume, test (Potsdam and LoveDA).

The real configs run with a tiny backbone/heads through --cfg-options.
"""

import re
import shutil
from pathlib import Path

import numpy as np
from mmengine.config import Config
from PIL import Image

from mmslffm.testing import (
    DEMO_DATA,
    REPO_ROOT,
    as_cfg_options,
    run_tool,
    tiny_model_overrides,
    write_geotiff,
)

UPERNET = Config.fromfile(
    REPO_ROOT / 'configs/potsdam/upernet_convnext-b-slffm_160k_potsdam.py'
)
TINY = (
    as_cfg_options(tiny_model_overrides(UPERNET.model))
    + [
        'model.decode_head.channels=16',
        'model.auxiliary_head.channels=8',
        'train_dataloader.batch_size=2',
        'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=2',
    ]
    + [
        f'{loader}.{key}'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
        for key in ('num_workers=0', 'persistent_workers=False')
    ]
)


def _potsdam_download(root: Path) -> Path:
    """The bundled tile as the official top_potsdam_2_10_{RGB,label}.tif."""
    root.mkdir()
    name = '2_10_0_0_512_512.png'
    for kind, folder in (('RGB', 'img_dir'), ('label', 'label_rgb')):
        rgb = np.array(Image.open(DEMO_DATA / 'potsdam' / folder / name))
        write_geotiff(root / f'top_potsdam_2_10_{kind}.tif', rgb)
    shutil.copy(
        root / 'top_potsdam_2_10_label.tif',
        root / 'top_potsdam_2_10_label_noBoundary.tif',
    )
    return root


def _data_root(root: Path) -> list:
    return [
        f'{loader}.dataset.data_root={root}'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]


def _metrics(output: str) -> dict:
    found = re.findall(
        r'([\w.]+): (\d+\.\d+|nan)', output.split('Iter(test)')[-1]
    )
    return {key: float(value) for key, value in found}


def test_potsdam_convert_train_resume_test(tmp_path):
    data = tmp_path / 'potsdam'
    run_tool(
        [
            'tools/dataset_converters/potsdam.py',
            str(_potsdam_download(tmp_path / 'download')),
            '-o',
            str(data),
            '--train-tiles',
            '2_10',
            '--val-tiles',
            '2_10',
        ]
    )
    config = 'configs/potsdam/upernet_convnext-b-slffm_160k_potsdam.py'
    work = tmp_path / 'work'
    options = TINY + _data_root(data)
    run_tool(
        [
            'tools/train.py',
            config,
            '--work-dir',
            str(work),
            '--cfg-options',
            'train_cfg.max_iters=2',
            'train_cfg.val_interval=2',
            *options,
        ]
    )
    assert (work / 'iter_2.pth').is_file()
    resumed = run_tool(
        [
            'tools/train.py',
            config,
            '--work-dir',
            str(work),
            '--resume',
            '--cfg-options',
            'train_cfg.max_iters=4',
            'train_cfg.val_interval=2',
            *options,
        ]
    )
    assert 'resumed' in (resumed.stdout + resumed.stderr).lower()
    assert 'Iter(train) [3/4]' in resumed.stdout + resumed.stderr
    assert (work / 'iter_4.pth').is_file()

    tested = run_tool(
        [
            'tools/test.py',
            config,
            str(work / 'iter_4.pth'),
            '--work-dir',
            str(tmp_path / 'test'),
            '--cfg-options',
            *options,
        ]
    )
    print(tested.stdout[-2000:])
    metrics = _metrics(tested.stdout + tested.stderr)
    classes = [
        'impervious_surface',
        'building',
        'low_vegetation',
        'tree',
        'car',
    ]
    expected = {
        'OA',
        'mIoU',
        'mF1',
        'mPrecision',
        'mRecall',
        *(f'{kind}.{name}' for kind in ('IoU', 'F1') for name in classes),
    }
    assert expected <= set(metrics), metrics
    assert not any('clutter' in key for key in metrics)
    assert 0 <= metrics['OA'] <= 100

    eroded = run_tool(
        [
            'tools/test.py',
            config,
            str(work / 'iter_4.pth'),
            '--work-dir',
            str(tmp_path / 'test_eroded'),
            '--cfg-options',
            *options,
            'test_dataloader.dataset.data_prefix.seg_map_path='
            'ann_dir_eroded/val',
        ]
    )
    assert 'mF1' in _metrics(eroded.stdout + eroded.stderr)


def _loveda_layout(root: Path) -> None:
    """mmseg's LoveDA layout from the two bundled tiles (both splits)."""
    for split in ('train', 'val', 'test'):
        for folder in ('img_dir', 'ann_dir'):
            if split == 'test' and folder == 'ann_dir':
                continue
            shutil.copytree(
                DEMO_DATA / 'loveda' / folder, root / folder / split
            )


def test_loveda_train_test_and_submission(tmp_path):
    data = tmp_path / 'loveDA'
    _loveda_layout(data)
    work = tmp_path / 'work'
    options = TINY + _data_root(data)
    run_tool(
        [
            'tools/train.py',
            'configs/loveda/upernet_convnext-b-slffm_160k_loveda.py',
            '--work-dir',
            str(work),
            '--no-validate',
            '--cfg-options',
            'train_cfg.max_iters=2',
            *options,
        ]
    )
    tested = run_tool(
        [
            'tools/test.py',
            'configs/loveda/upernet_convnext-b-slffm_160k_loveda.py',
            str(work / 'iter_2.pth'),
            '--work-dir',
            str(tmp_path / 'test'),
            '--cfg-options',
            *options,
        ]
    )
    metrics = _metrics(tested.stdout + tested.stderr)
    classes = [
        'background',
        'building',
        'road',
        'water',
        'barren',
        'forest',
        'agricultural',
    ]
    assert {'OA', 'mIoU', *(f'IoU.{c}' for c in classes)} <= set(metrics)

    submission = tmp_path / 'submission'
    # its training set concatenates train and val: each has its data_root
    submit_options = [
        option
        for option in options
        if not option.startswith('train_dataloader.dataset.data_root')
    ] + [
        f'train_dataloader.dataset.datasets.{i}.data_root={data}'
        for i in (0, 1)
    ]
    run_tool(
        [
            'tools/test.py',
            'configs/loveda/upernet_convnext-b-slffm_160k_loveda-trainval-submit.py',
            str(work / 'iter_2.pth'),
            '--work-dir',
            str(tmp_path / 'submit'),
            '--cfg-options',
            *submit_options,
            f'test_evaluator.output_dir={submission}',
        ]
    )
    written = sorted(p.name for p in submission.iterdir())
    assert written == ['0.png', '1.png']
    mask = np.array(Image.open(submission / '0.png'))
    assert mask.shape == (1024, 1024) and mask.max() <= 6
