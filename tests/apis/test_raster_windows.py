"""Window planning (cores tile the image exactly once) and checked, stretched window reads."""

import numpy as np
import pytest
from rasterio.windows import Window

from mmslffm.apis.raster_windows import (
    is_nodata,
    open_scene,
    plan_windows,
    read_bgr,
)
from mmslffm.datasets.image_io import UnreadableImageError
from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.testing.bad_files import (
    DOTA_SCENE,
    JPEG_TILE,
    expected_stretch,
    float_scene,
    truncated_copy,
    write_geotiff,
)


@pytest.mark.parametrize(
    'height,width,size,overlap',
    [
        (700, 900, 256, 64),
        (6000, 6000, 1024, 200),
        (100, 300, 256, 64),
        (512, 512, 512, 128),
    ],
)
def test_cores_cover_every_pixel_once(height, width, size, overlap):
    coverage = np.zeros((height, width), np.int32)
    for item in plan_windows(height, width, size, overlap):
        window, core = item.window, item.core
        assert window.col_off >= 0 and window.row_off >= 0
        assert window.col_off + window.width <= width
        assert window.row_off + window.height <= height
        assert window.width == min(size, width)
        rows, cols = item.core_in_window()
        assert 0 <= rows.start < rows.stop <= window.height
        assert 0 <= cols.start < cols.stop <= window.width
        coverage[
            core.row_off : core.row_off + core.height,
            core.col_off : core.col_off + core.width,
        ] += 1
    assert (coverage == 1).all()


def test_neighbouring_windows_overlap_by_at_least_the_overlap():
    windows = plan_windows(256, 1000, 256, 64)
    starts = [int(w.window.col_off) for w in windows]
    assert starts[0] == 0 and starts[-1] == 1000 - 256
    assert all(b - a <= 256 - 64 for a, b in zip(starts, starts[1:]))


def test_overlap_must_be_smaller_than_the_window():
    with pytest.raises(ValueError, match='overlap'):
        plan_windows(100, 100, 64, 64)


def test_float_scene_is_stretched_with_scene_limits_and_nan_as_nodata(
    tmp_path,
):
    bands = float_scene(64, 80)
    path = write_geotiff(tmp_path / 'float.tif', bands)
    valid = np.isfinite(bands).all(axis=2)
    expected = expected_stretch(np.nan_to_num(bands), valid)
    with open_scene(str(path)) as scene:
        assert scene.nodata == 0 and scene.height == 64
        whole = read_bgr(scene, Window(0, 0, 80, 64))[..., ::-1]
        nan_window = read_bgr(scene, Window(0, 0, 20, 16))
        part = read_bgr(scene, Window(40, 30, 40, 34))[..., ::-1]
        assert is_nodata(scene, nan_window)
        assert not is_nodata(scene, read_bgr(scene, Window(0, 0, 21, 16)))
    assert (whole[~valid] == 0).all() and (whole[valid] >= 1).all()
    assert np.abs(whole.astype(int) - expected)[valid].max() <= 1
    np.testing.assert_array_equal(part, whole[30:64, 40:80])  # one stretch


def test_16bit_scene_is_not_saturated(tmp_path):
    rows, cols = np.mgrid[0:50, 0:60]
    bands = np.stack(
        [rows * 1000 + cols, cols * 900, rows * 500 + 7], axis=2
    ).astype(np.uint16)
    path = write_geotiff(tmp_path / 'uint16.tif', bands)
    with open_scene(str(path)) as scene:
        rgb = read_bgr(scene, Window(0, 0, 60, 50))[..., ::-1]
    assert rgb.max() == 255 and rgb.min() == 1
    expected = expected_stretch(bands, np.ones((50, 60), bool))
    assert np.abs(rgb.astype(int) - np.maximum(expected, 1)).max() <= 1


@pytest.mark.parametrize(
    'source', [DOTA_SCENE, JPEG_TILE], ids=['png', 'jpeg']
)
def test_truncated_scene_read_is_an_error_naming_the_file(tmp_path, source):
    bad = truncated_copy(source, tmp_path / f'cut{source.suffix}', 0.6)
    with pytest.raises(UnreadableImageError, match=str(bad)):
        with open_scene(str(bad)) as scene:
            for item in plan_windows(scene.height, scene.width, 128, 0):
                read_bgr(scene, item.window)


def test_infer_large_refuses_a_truncated_scene_in_one_line(tmp_path):
    from mmslffm.testing import run_tool
    from tests.apis.test_large_scene import _tiny_upernet

    config, checkpoint = _tiny_upernet(tmp_path)
    bad = truncated_copy(JPEG_TILE, tmp_path / 'scene.jpg', 0.6)
    result = run_tool(
        [
            'tools/infer_large.py',
            config,
            checkpoint,
            str(bad),
            '--out',
            str(tmp_path / 'out'),
            '--window',
            '128',
        ],
        cwd=REPO,
        check=False,
        timeout=300,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert 'Traceback' not in result.stderr
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith('infer_large.py: error: UnreadableImageError: ')
    assert str(bad) in error and 'libjpeg' in error
