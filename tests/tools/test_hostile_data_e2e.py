"""Hostile data and options through the tools: train.py (pretraining and LEVIR-CD), test.py and
--amp on the CPU. A bad file is skipped, named and counted and the run goes on; a bad option is
one line; memory stays bounded."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from rasterio.crs import CRS
from rasterio.transform import from_origin

from mmslffm.testing import DEMO_DATA, REPO_ROOT, run_tool, write_geotiff
from mmslffm.testing.bad_files import (
    bad_file_names,
    sparse_geotiff,
    truncated_png_named_tif,
)
from mmslffm.testing.in_process import run_in_process
from mmslffm.testing.peak_memory import run_tool_with_peak_memory

PRETRAIN = """
_base_ = ['{base}']
train_pipeline = [
    dict(type='mmslffm.LoadRemoteSensingImage'),
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.67, 1.0),
         backend='cv2'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=4, num_workers=0,
    dataset=dict(data_root='{data}', index_dir='{index}',
                 pipeline=train_pipeline))
model = dict(backbone=dict(arch='test'), neck=dict(feature_dim=48))
train_cfg = dict(max_iters=2)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=2))
custom_hooks = []
log_processor = dict(window_size=1)
"""
LEVIR = 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
UTM = CRS.from_epsg(32633)
ORIGIN = from_origin(500000.0, 5800000.0, 0.5, 0.5)


def _one_line(proc) -> str:
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert 'Traceback' not in proc.stderr, proc.stderr[-3000:]
    return proc.stderr.strip().splitlines()[-1]


@pytest.fixture(scope='module')
def pretrain_config(tmp_path_factory) -> Path:
    """6 real tiles, a sparse bomb, a cut PNG named .tif, two bad names."""
    root = tmp_path_factory.mktemp('hostile_pretrain')
    data = root / 'tiles'
    data.mkdir()
    for tile in sorted((DEMO_DATA / 'pretrain_unlabeled').glob('*.jpg'))[:6]:
        shutil.copy(tile, data)
    sparse_geotiff(data / 'bomb.tif')
    truncated_png_named_tif(data / 'cut.tif')
    bad_file_names(data / 'names', '.jpg')
    config = root / 'slffm_hostile.py'
    config.write_text(
        PRETRAIN.format(
            base=REPO_ROOT
            / 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py',
            data=data,
            index=root / 'index',
        )
    )
    return config


def _losses(work_dir: Path) -> list:
    losses = []
    for scalars in work_dir.glob('*/vis_data/scalars.json'):
        for line in scalars.read_text().splitlines():
            record = json.loads(line)
            if 'loss' in record:
                losses.append(record['loss'])
    return losses


def test_pretraining_skips_bad_files_with_bounded_memory(
    pretrain_config, tmp_path
):
    work = tmp_path / 'work'
    proc, peak = run_tool_with_peak_memory(
        ['tools/train.py', pretrain_config, '--work-dir', work]
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert 'Traceback' not in log
    assert 'bomb.tif: header declares 12000x12000 pixels' in log
    assert 'cut.tif: cannot be decoded' in log
    assert r'two\nlines.jpg has a newline' in log
    assert 'skipped 2 file(s)' in log
    assert (work / 'iter_2.pth').is_file()
    assert peak < 2000, peak  # MiB; the bomb alone asked for 3.2 GiB
    assert len(_losses(work)) == 2


def test_amp_on_the_cpu_trains_in_bfloat16(pretrain_config, tmp_path):
    work = tmp_path / 'work'
    proc = run_tool(
        ['tools/train.py', pretrain_config, '--work-dir', work, '--amp'],
        check=False,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert 'training in bfloat16 autocast on the CPU' in log
    assert 'AssertionError' not in log
    losses = _losses(work)
    assert len(losses) == 2 and all(np.isfinite(losses)), losses


@pytest.mark.parametrize(
    'options, expected',
    [
        (['model=None'], 'model=None: model cannot be removed'),
        (
            ['train_dataloader.dataset=None'],
            'train_dataloader.dataset cannot be removed',
        ),
        (
            ['optim_wrapper.optimizer=None'],
            'optim_wrapper.optimizer cannot be removed',
        ),
        (['train_cfg.val_interval=0'], 'expected a positive integer'),
        (['train_cfg.max_iters=2.5'], 'expected an integer'),
        (['train_cfg.max_iters=[1,2]'], 'expected one number'),
        (['optim_wrapper.optimizer.lr=inf'], 'expected a finite number'),
    ],
)
def test_bad_option_values_are_one_line(
    tmp_path, options, expected, monkeypatch
):
    for tool in ('tools/train.py', 'tools/test.py'):
        checkpoint = [] if tool.endswith('train.py') else ['x.pth']
        (tmp_path / 'x.pth').write_bytes(b'')
        run = run_in_process(
            [
                tool,
                LEVIR,
                *[str(tmp_path / c) for c in checkpoint],
                '--work-dir',
                str(tmp_path),
                '--cfg-options',
                *options,
            ],
            monkeypatch,
        )
        line = _one_line(run)
        assert line.startswith(
            f'{Path(tool).name}: error: ConfigError: --cfg-options '
        )
        assert expected in line


def _levir_hostile(root: Path) -> Path:
    """train/ and test/ of 4-band uint16 GeoTIFF pairs, plus pairs in another
    CRS and a kilometre apart."""
    rng = np.random.default_rng(0)
    label = np.asarray(
        Image.open(DEMO_DATA / 'levir_cd' / 'label' / 'test_2_0000_0000.png')
    )[:64, :64]
    km_away = from_origin(501000.0, 5800000.0, 0.5, 0.5)
    for split in ('train', 'test'):
        for folder in ('A', 'B', 'label'):
            (root / split / folder).mkdir(parents=True)
        for name, crs_b, origin_b in (
            ('good0', UTM, ORIGIN),
            ('good1', UTM, ORIGIN),
            ('other_crs', CRS.from_epsg(32632), ORIGIN),
            ('km_apart', UTM, km_away),
        ):
            for folder, crs, origin in (
                ('A', UTM, ORIGIN),
                ('B', crs_b, origin_b),
            ):
                pixels = rng.integers(0, 4000, (64, 64, 4), dtype=np.uint16)
                write_geotiff(
                    root / split / folder / f'{name}.tif', pixels, crs, origin
                )
            Image.fromarray(label).save(root / split / 'label' / f'{name}.png')
    return root


def _levir_options(root: Path) -> list:
    options = []
    for loader, split in (
        ('train', 'train'),
        ('val', 'test'),
        ('test', 'test'),
    ):
        dataset = f'{loader}_dataloader.dataset'
        options += [
            f'{dataset}.data_root={root}',
            f'{dataset}.ann_file=',
            f'{dataset}.img_suffix=.tif',
            f'{dataset}.data_prefix.img_path={split}/A',
            f'{dataset}.data_prefix.img_path2={split}/B',
            f'{dataset}.data_prefix.seg_map_path={split}/label',
        ]
    return options


def test_levir_train_and_test_on_multispectral_and_mismatched_pairs(
    tmp_path,
):
    root = _levir_hostile(tmp_path / 'levir')
    work = tmp_path / 'work'
    common = ['--work-dir', work, '--cfg-options', *_levir_options(root)]
    proc = run_tool(
        [
            'tools/train.py',
            LEVIR,
            *common,
            'train_cfg.max_iters=2',
            'train_cfg.val_interval=2',
            'default_hooks.checkpoint.interval=2',
        ],
        check=False,
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert 'Traceback' not in log
    for split in ('train', 'test'):
        assert f'{split}/B/other_crs.tif is in EPSG:32632' in log
        assert f'{split}/A/km_apart.tif has transform' in log
    assert log.count('skipped 2 of 4 pairs') == 2  # train, and val/test
    assert 'unreadable' not in log  # the 4-band uint16 pairs are read
    assert 'F1_change' in log
    proc = run_tool(
        ['tools/test.py', LEVIR, work / 'iter_2.pth', *common], check=False
    )
    log = proc.stdout + proc.stderr
    assert proc.returncode == 0, log[-3000:]
    assert 'test/B/other_crs.tif is in EPSG:32632' in log
    assert 'F1_change' in log
