"""tools/dataset_converters/potsdam.py on official-style files made from the bundled tile."""

import zipfile
from pathlib import Path

import numpy as np
import rasterio
from PIL import Image

from mmslffm.testing import DEMO_DATA, run_tool, write_geotiff
from mmslffm.testing.bad_files import truncated_copy

DEMO = DEMO_DATA / 'potsdam'
TILE_NAME = '2_10_0_0_512_512.png'


def make_official_layout(root: Path, label_rgb: np.ndarray) -> list:
    """2_Ortho_RGB.zip + label folders named as the ISPRS download."""
    image = np.array(Image.open(DEMO / 'img_dir' / TILE_NAME))
    write_geotiff(root / 'top_potsdam_2_10_RGB.tif', image)
    with zipfile.ZipFile(root / '2_Ortho_RGB.zip', 'w') as archive:
        archive.write(
            root / 'top_potsdam_2_10_RGB.tif',
            '2_Ortho_RGB/top_potsdam_2_10_RGB.tif',
        )
    (root / 'top_potsdam_2_10_RGB.tif').unlink()
    labels = root / 'labels'
    labels.mkdir()
    write_geotiff(labels / 'top_potsdam_2_10_label.tif', label_rgb)
    write_geotiff(labels / 'top_potsdam_2_10_label_noBoundary.tif', label_rgb)
    return [str(root / '2_Ortho_RGB.zip'), str(labels)]


def convert(sources: list, out_dir: Path, *extra: str):
    return run_tool(
        [
            'tools/dataset_converters/potsdam.py',
            *sources,
            '-o',
            str(out_dir),
            '--train-tiles',
            '2_10',
            '--val-tiles',
            '2_10',
            *extra,
        ],
        check=False,
        timeout=300,
    )


def test_bundled_tile_converts_like_mmseg(tmp_path):
    label_rgb = np.array(Image.open(DEMO / 'label_rgb' / TILE_NAME))
    out = tmp_path / 'potsdam'
    result = convert(make_official_layout(tmp_path, label_rgb), out)
    assert result.returncode == 0, result.stderr
    expected = np.array(Image.open(DEMO / 'ann_dir' / TILE_NAME))
    for folder in ('ann_dir/train', 'ann_dir/val', 'ann_dir_eroded/val'):
        converted = np.array(Image.open(out / folder / TILE_NAME))
        np.testing.assert_array_equal(converted, expected)
    np.testing.assert_array_equal(
        np.array(Image.open(out / 'img_dir' / 'val' / TILE_NAME)),
        np.array(Image.open(DEMO / 'img_dir' / TILE_NAME)),
    )
    # The bundled label has eroded (black) boundaries: fine in the eroded
    # label, an unknown colour in the full reference label.
    black = int((label_rgb == 0).all(axis=2).sum())
    assert (
        f'top_potsdam_2_10_label.tif: colours outside the ISPRS palette '
        f'mapped to ignore (0): {black} px: (0, 0, 0) x {black}'
        in result.stderr
    )
    assert 'noBoundary.tif: colours' not in result.stderr


def test_unknown_colours_are_reported_and_ignored(tmp_path):
    label = np.zeros((300, 400, 3), np.uint8)
    label[:, :200] = (0, 0, 255)  # building
    label[:, 200:] = (0, 255, 0)  # tree
    label[10:20, 10:30] = (250, 250, 250)  # off-white: not impervious
    label[100:105, 300:304] = (255, 0, 1)  # off-red: not clutter
    image = np.full((300, 400, 3), 90, np.uint8)
    root = tmp_path / 'src'
    root.mkdir()
    write_geotiff(root / 'top_potsdam_2_10_RGB.tif', image)
    write_geotiff(root / 'top_potsdam_2_10_label.tif', label)
    out = tmp_path / 'out'
    result = convert([str(root)], out, '--crop-size', '256', '--stride', '128')
    assert result.returncode == 0, result.stderr
    assert (
        'top_potsdam_2_10_label.tif: colours outside the ISPRS palette '
        'mapped to ignore (0): 220 px: (250, 250, 250) x 200, '
        '(255, 0, 1) x 20'
    ) in result.stderr
    assert 'x 200' in (out / 'conversion_report.txt').read_text()
    crops = sorted(p.name for p in (out / 'ann_dir' / 'train').iterdir())
    # x starts 0, 128, 144 (last moved to the edge); y starts 0, 44
    assert crops == sorted(
        f'2_10_{x}_{y}_{x + 256}_{y + 256}.png'
        for x in (0, 128, 144)
        for y in (0, 44)
    )
    first = np.array(
        Image.open(out / 'ann_dir' / 'train' / '2_10_0_0_256_256.png')
    )
    assert (first[10:20, 10:30] == 0).all()
    assert (first[30:, :200] == 2).all() and (first[:, 200:] == 4).all()
    whole = np.array(
        Image.open(out / 'ann_dir' / 'val' / '2_10_0_0_400_300.png')
    )
    assert (whole[100:105, 300:304] == 0).all()
    assert int((whole == 0).sum()) == 220


def test_missing_tiles_give_a_clear_error(tmp_path):
    result = convert([str(tmp_path)], tmp_path / 'out')
    assert result.returncode == 2
    assert 'no Potsdam tile found' in result.stderr
    assert 'top_potsdam_<tile>_RGB.tif' in result.stderr


def test_truncated_and_bomb_tiles_are_reported_and_the_others_converted(
    tmp_path,
):
    image = np.array(Image.open(DEMO / 'img_dir' / TILE_NAME))
    label = np.array(Image.open(DEMO / 'label_rgb' / TILE_NAME))
    root = tmp_path / 'src'
    root.mkdir()
    for tile in ('2_10', '2_11'):
        write_geotiff(root / f'top_potsdam_{tile}_RGB.tif', image)
        write_geotiff(root / f'top_potsdam_{tile}_label.tif', label)
    bad = root / 'top_potsdam_2_11_RGB.tif'
    truncated_copy(bad, bad, 0.5)
    write_geotiff(root / 'top_potsdam_2_12_label.tif', label)
    bomb = root / 'top_potsdam_2_12_RGB.tif'  # a sparse 100000^2 header
    with rasterio.open(
        bomb,
        'w',
        driver='GTiff',
        width=100000,
        height=100000,
        count=3,
        dtype='uint8',
        tiled=True,
        sparse_ok=True,
    ):
        pass
    assert bomb.stat().st_size < 10**7
    out = tmp_path / 'out'
    result = run_tool(
        [
            'tools/dataset_converters/potsdam.py',
            root,
            '-o',
            out,
            '--train-tiles',
            '2_10',
            '2_11',
            '2_12',
            '--val-tiles',
            '2_10',
        ],
        check=False,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert 'Traceback' not in result.stderr
    assert f'tile 2_11 skipped: {bad}' in result.stderr
    assert (
        f'tile 2_12 skipped: {bomb}: header claims 100000x100000'
        in result.stderr
    )
    assert (
        f'tile 2_11 skipped: {bad}'
        in (out / 'conversion_report.txt').read_text()
    )
    assert (out / 'img_dir' / 'train' / TILE_NAME).is_file()
    assert (out / 'img_dir' / 'val' / TILE_NAME).is_file()
    assert not list(out.glob('*/train/2_11_*'))  # nothing half-written
