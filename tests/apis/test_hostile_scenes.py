"""Hostile scenes for large-scene inference: strips narrower than the network's stride, a read
error mid-scene (no half-written output), headers declaring more than a window may read."""

import json
import resource
from pathlib import Path

import numpy as np
import pytest
import rasterio
from PIL import Image

from mmslffm.apis import infer_large_scene
from mmslffm.apis.raster_windows import plan_windows
from mmslffm.datasets.image_io import UnreadableImageError
from mmslffm.testing import DEMO_DATA
from mmslffm.testing.bad_files import sparse_geotiff, truncated_copy
from mmslffm.testing.in_process import run_in_process
from mmslffm.testing.peak_memory import run_tool_with_peak_memory
from .test_large_scene import (
    ORIGIN,
    _six_channel_segmentor,
    _tiny_oriented_rcnn,
    _tiny_upernet,
    _write_scene,
)

LOVEDA = DEMO_DATA / 'loveda' / 'img_dir' / '0.png'


@pytest.fixture(scope='module')
def upernet(tmp_path_factory):
    return _tiny_upernet(tmp_path_factory.mktemp('upernet'))


@pytest.mark.parametrize('shape', [(1, 1), (1, 300), (300, 1), (5, 5)])
def test_strips_narrower_than_the_stride_are_segmented(
    tmp_path, upernet, shape
):
    rgb = np.asarray(Image.open(LOVEDA))[: shape[0], : shape[1]]
    scene = _write_scene(tmp_path / 'strip.tif', rgb)
    outputs = infer_large_scene(
        *upernet, [str(scene)], str(tmp_path / 'out'), window=256, overlap=64
    )
    with rasterio.open(outputs['classes']) as classes:
        assert (classes.height, classes.width) == shape
        assert classes.read(1).max() <= 5  # every pixel predicted


def test_a_strip_pair_gives_a_change_map(tmp_path):
    config, checkpoint = _six_channel_segmentor(tmp_path)
    rgb = np.asarray(Image.open(LOVEDA))[:1, :300]
    pair = [str(_write_scene(tmp_path / f'{name}.tif', rgb)) for name in 'ab']
    outputs = infer_large_scene(
        config, checkpoint, pair, str(tmp_path / 'out'), window=128
    )
    with rasterio.open(outputs['change']) as change:
        assert set(np.unique(change.read(1))) <= {0, 1}
        assert change.shape == (1, 300)


def _cut_scene(tmp_path):
    """A 600 x 600 striped GeoTIFF cut at 70%: the first windows read."""
    rgb = np.asarray(Image.open(LOVEDA))[:600, :600]
    whole = _write_scene(tmp_path / 'whole.tif', rgb)
    return truncated_copy(whole, tmp_path / 'cut.tif', 0.7)


def test_a_read_error_mid_scene_leaves_no_output(tmp_path, upernet):
    cut = _cut_scene(tmp_path)
    out = tmp_path / 'out'
    with pytest.raises(UnreadableImageError, match=str(cut)):
        infer_large_scene(*upernet, [str(cut)], str(out), window=256)
    assert list(out.iterdir()) == []  # neither cut_classes.tif nor a partial


def test_cli_read_error_is_one_line_and_no_file(
    tmp_path, upernet, monkeypatch
):
    cut = _cut_scene(tmp_path)
    out = tmp_path / 'out'
    run = run_in_process(
        ['tools/infer_large.py', *upernet, str(cut), '--out', str(out)],
        monkeypatch,
    )
    assert run.returncode == 2 and 'Traceback' not in run.stderr
    line = run.stderr.strip().splitlines()[-1]
    assert line.startswith('infer_large.py: error: UnreadableImageError: ')
    assert str(cut) in line and 're-download it' in line
    assert list(out.iterdir()) == []


def test_window_reads_are_bounded_not_the_scene(tmp_path, upernet):
    bomb = sparse_geotiff(tmp_path / 'bomb.tif')  # 12000^2 x 3 float64
    proc, _ = run_tool_with_peak_memory(
        [
            'tools/infer_large.py',
            *upernet,
            str(bomb),
            '--out',
            str(tmp_path / 'out'),
            '--window',
            '512',
            '--max-window-bytes',
            '1000000',
        ]
    )
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert f'{bomb}: one 512x512 window of 3 band(s) needs 6 MiB' in line
    assert 'lower --window' in line
    # a header declaring a 2-million-pixel-wide scene: its output rows
    # would pass the default limit; refused before anything is allocated
    wide = sparse_geotiff(tmp_path / 'wide.tif', 2_000_000, 300, 1, 'uint8')
    proc, peak = run_tool_with_peak_memory(
        [
            'tools/infer_large.py',
            *upernet,
            str(wide),
            '--out',
            str(tmp_path / 'out'),
            '--bands',
            '1',
            '1',
            '1',
        ]
    )
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert 'declares 2000000x300 pixels' in line and 'output band' in line
    assert peak < 1500, peak  # MiB: the imports (~0.9 GiB), nothing more
    assert not (tmp_path / 'out' / 'wide_classes.tif').exists()


def test_window_plans_of_huge_headers_are_lazy():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    windows = plan_windows(10**6, 10**6, 1024, 256)
    assert len(windows) == 1302**2
    last = windows[-1]
    assert (last.window.row_off, last.window.col_off) == (10**6 - 1024,) * 2
    assert (last.core.row_off + last.core.height) == 10**6
    first = next(iter(windows))
    assert (first.window.width, first.core.col_off) == (1024, 0)
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 50_000


@pytest.mark.parametrize('shape', [(1, 300), (300, 1), (1, 1)])
def test_strips_are_detected_on_without_boxes_on_the_padding(tmp_path, shape):
    pytest.importorskip('mmcv.ops')  # rotated NMS is a compiled op
    config, checkpoint = _tiny_oriented_rcnn(tmp_path)
    rgb = np.asarray(Image.open(DEMO_DATA / 'dota' / 'images' / 'P1888.png'))
    scene = _write_scene(tmp_path / 'strip.tif', rgb[: shape[0], : shape[1]])
    out = tmp_path / 'out'
    outputs = infer_large_scene(
        config, checkpoint, [str(scene)], str(out), window=256
    )
    features = json.loads(Path(outputs['geojson']).read_text())['features']
    left, top = ORIGIN.c, ORIGIN.f
    for feature in features:  # centres inside the strip (a pixel of slack)
        ring = np.array(feature['geometry']['coordinates'][0])[:-1]
        column, row = (ring.mean(axis=0) - (left, top)) / (ORIGIN.a, ORIGIN.e)
        assert -1 <= column <= shape[1] + 1 and -1 <= row <= shape[0] + 1
    assert sorted(p.name for p in out.iterdir()) == [
        'strip_detections.geojson',
        'strip_detections.png',
    ]
