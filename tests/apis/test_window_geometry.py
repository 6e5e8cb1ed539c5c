"""Large-scene windows: defaults from the config, --scale, and change-pair grid checks."""

from pathlib import Path

import numpy as np
import pytest
import rasterio
from mmengine.config import Config
from PIL import Image
from rasterio.crs import CRS
from rasterio.transform import from_origin

from mmslffm.apis import infer_large_scene
from mmslffm.apis.window_geometry import (
    check_same_grid,
    default_overlap,
    settle_window,
    window_from_config,
)
from tests.apis.test_large_scene import _tiny_upernet, _write_scene

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / 'demo' / 'data'


@pytest.mark.parametrize(
    'config, window',
    [
        # slide crop
        ('potsdam/upernet_convnext-b-slffm_160k_potsdam.py', 512),
        ('potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py', 256),
        # test Resize scale
        ('dota/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py', 1024),
        ('dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py', 256),
        # whole-image test: training crop
        ('levir_cd/bit_convnext-b-slffm_20k_levir-cd.py', 256),
    ],
)
def test_window_follows_the_config(config, window):
    cfg = Config.fromfile(REPO / 'configs' / config)
    assert window_from_config(cfg)[0] == window


def test_detection_overlap_is_the_dota_gap_at_1024():
    assert default_overlap(1024, 'detection') == 200
    assert default_overlap(256, 'detection') == 50
    assert default_overlap(256, 'segmentation') == 64


def test_scale_maps_an_upsampled_scene_back_exactly(tmp_path):
    """A scene at twice the resolution with --scale 0.5 gives the mask of the
    original scene, upsampled (nearest): same windows in model pixels."""
    config, checkpoint = _tiny_upernet(tmp_path)
    rgb = np.array(Image.open(DEMO / 'loveda' / 'img_dir' / '0.png'))[
        :256, :256
    ]
    original = _write_scene(tmp_path / 'original.tif', rgb)
    doubled = _write_scene(
        tmp_path / 'doubled.tif', rgb.repeat(2, axis=0).repeat(2, axis=1)
    )
    masks = []
    for scene, scale in ((original, 1.0), (doubled, 0.5)):
        outputs = infer_large_scene(
            config,
            checkpoint,
            [str(scene)],
            str(tmp_path / scene.stem),
            window=128,
            overlap=32,
            scale=scale,
        )
        with rasterio.open(outputs['classes']) as classes:
            masks.append(classes.read(1))
    assert masks[1].shape == (512, 512)
    np.testing.assert_array_equal(
        masks[1], masks[0].repeat(2, axis=0).repeat(2, axis=1)
    )


def _pair(tmp_path, crs_b=None, transform_b=None):
    rgb = np.zeros((32, 32, 3), np.uint8)
    a = _write_scene(tmp_path / 'a.tif', rgb)
    b = tmp_path / 'b.tif'
    with rasterio.open(
        b,
        'w',
        driver='GTiff',
        width=32,
        height=32,
        count=3,
        dtype='uint8',
        crs=crs_b or CRS.from_epsg(32633),
        transform=transform_b or from_origin(500000.0, 5800000.0, 0.5, 0.5),
    ) as out:
        out.write(rgb.transpose(2, 0, 1))
    return rasterio.open(a), rasterio.open(b), str(a), str(b)


@pytest.mark.parametrize(
    'change, message',
    [
        (dict(crs_b=CRS.from_epsg(4326)), 'in one CRS'),
        (
            dict(transform_b=from_origin(500010.0, 5800000.0, 0.5, 0.5)),
            'on one pixel grid',
        ),
    ],
)
def test_change_pair_on_another_grid_is_refused(tmp_path, change, message):
    scene_a, scene_b, a, b = _pair(tmp_path, **change)
    with scene_a, scene_b, pytest.raises(ValueError) as error:
        check_same_grid(scene_a, scene_b, a, b)
    text = str(error.value)
    assert message in text and a in text and b in text
    assert '\n' not in text


def test_change_pair_on_one_grid_passes(tmp_path):
    scene_a, scene_b, a, b = _pair(tmp_path)
    with scene_a, scene_b:
        check_same_grid(scene_a, scene_b, a, b)


def test_settled_window_is_in_scene_pixels():
    cfg = Config.fromfile(
        REPO / 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
    )
    assert settle_window(cfg, 'change', None, None, 1.0) == (256, 64)
    assert settle_window(cfg, 'change', None, None, 0.5) == (512, 128)
    assert settle_window(cfg, 'change', 100, 10, 2.0) == (50, 5)
    with pytest.raises(ValueError, match='--scale must be positive'):
        settle_window(cfg, 'change', None, None, 0)


def test_cli_prints_each_output_once(tmp_path):
    """tools/infer_large.py on a change pair: 'task: change', then one line
    per output (no 'change: change:')."""
    import os
    import subprocess
    import sys

    from tests.apis.test_large_scene import _levir_pair, _six_channel_segmentor

    config, checkpoint = _six_channel_segmentor(tmp_path)
    a, b = _levir_pair(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            'tools/infer_large.py',
            config,
            checkpoint,
            str(a),
            str(b),
            '--out',
            str(tmp_path / 'out'),
            '--window',
            '128',
        ],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.strip().splitlines()[-3:]
    assert lines == [
        'task: change',
        f'  change: {tmp_path / "out" / "a_change.tif"}',
        f'  change_png: {tmp_path / "out" / "a_change.png"}',
    ]
    assert 'OneDL' not in result.stdout
