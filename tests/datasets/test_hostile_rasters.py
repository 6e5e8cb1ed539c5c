"""Hostile rasters on the dataset side: declared-size bombs, names the index cannot hold, a
reader chosen by content, change pairs on different grids, multispectral pairs."""

import shutil

import numpy as np
import pytest
from PIL import Image
from rasterio.crs import CRS
from rasterio.transform import from_origin

from mmslffm.datasets import (
    GeoSense,
    InvalidSampleError,
    LEVIRCDDataset,
    LoadImagePairFromFile,
    LoadRemoteSensingImage,
    levir_cd,
    read_image,
)
from mmslffm.datasets.image_io import UnreadableImageError
from mmslffm.testing import DEMO_DATA, write_geotiff
from mmslffm.testing.bad_files import (
    DOTA_SCENE,
    bad_file_names,
    sparse_geotiff,
    truncated_copy,
    truncated_png_named_tif,
)
from mmslffm.testing.peak_memory import run_tool_with_peak_memory

UTM = CRS.from_epsg(32633)
ORIGIN = from_origin(500000.0, 5800000.0, 0.5, 0.5)
READ = """
import sys
from mmslffm.datasets.image_io import read_image
try:
    read_image(sys.argv[1])
except Exception as error:
    print(error)
"""


def test_sparse_bomb_is_refused_from_its_header_with_bounded_memory(
    tmp_path,
):
    bomb = sparse_geotiff(tmp_path / 'bomb.tif')
    assert bomb.stat().st_size < 20_000  # kilobytes declaring 3.2 GiB
    with pytest.raises(UnreadableImageError) as error:
        read_image(str(bomb))
    message = str(error.value)
    assert message.startswith(
        f'{bomb}: header declares 12000x12000 pixels x 3 band(s) of float64 '
        '= 3296 MiB decoded, more than the limit of 512 MiB'
    )
    assert 'max_image_bytes' in message and '\n' not in message
    script = tmp_path / 'read.py'
    script.write_text(READ)
    _, reference = run_tool_with_peak_memory(
        [
            script,
            DEMO_DATA / 'pretrain_unlabeled' / 'dior_00001_x0000_y0000.jpg',
        ]
    )
    proc, peak = run_tool_with_peak_memory([script, bomb])
    assert 'max_image_bytes' in proc.stdout, proc.stderr[-2000:]
    assert peak < reference + 200, (peak, reference)  # MiB


def test_the_limit_is_an_option_of_the_loaders(tmp_path):
    tile = write_geotiff(
        tmp_path / 'tile.tif', np.full((64, 64, 4), 900, np.uint16)
    )  # 32 KiB decoded for 4 bands, 24 KiB for the 3 read
    load = LoadRemoteSensingImage(max_image_bytes=20_000)
    with pytest.raises(UnreadableImageError, match='max_image_bytes'):
        load(dict(img_path=str(tile)))
    image = LoadRemoteSensingImage(max_image_bytes=30_000)(
        dict(img_path=str(tile))
    )['img']
    assert image.shape == (64, 64, 3)
    png = tmp_path / 'tile.png'
    Image.fromarray(np.zeros((64, 64, 3), np.uint8)).save(png)
    with pytest.raises(UnreadableImageError, match='64x64 pixels x 3'):
        read_image(str(png), max_bytes=64 * 64 * 3 - 1)


def test_the_reader_follows_the_content_not_the_name(tmp_path):
    cut_tif = truncated_png_named_tif(tmp_path / 'cut.tif')
    cut_png = shutil.copy(cut_tif, tmp_path / 'cut.png')
    for path in (cut_tif, cut_png):
        with pytest.raises(UnreadableImageError, match='cannot be decoded'):
            read_image(str(path))
    whole_as_tif = shutil.copy(DOTA_SCENE, tmp_path / 'whole.tif')
    np.testing.assert_array_equal(
        read_image(str(whole_as_tif)), read_image(str(DOTA_SCENE))
    )
    pixels = np.arange(48 * 40 * 3, dtype=np.uint8).reshape(48, 40, 3)
    tiff_as_png = write_geotiff(tmp_path / 'tiff.png', pixels)
    np.testing.assert_array_equal(read_image(str(tiff_as_png)), pixels)


def test_geosense_skips_bad_names_and_bombs_and_goes_on(tmp_path, monkeypatch):
    root = tmp_path / 'archive'
    root.mkdir()
    tiles = sorted((DEMO_DATA / 'pretrain_unlabeled').glob('*.jpg'))[:3]
    for tile in tiles:
        shutil.copy(tile, root)
    bad_names = bad_file_names(root / 'sub')
    sparse_geotiff(root / 'bomb.tif')
    truncated_png_named_tif(root / 'cut.tif')
    (root / 'list.txt').write_bytes(
        b'bad\xff.jpg\n' + tiles[0].name.encode() + b'\n'
    )
    logged = []
    monkeypatch.setattr(
        'mmslffm.datasets.geosense.print_log',
        lambda message, **kwargs: logged.append(message),
    )
    dataset = GeoSense(
        data_root=str(root),
        index_dir=str(tmp_path / 'index'),
        pipeline=[dict(type='mmslffm.LoadRemoteSensingImage')],
    )
    assert len(dataset) == 5  # 3 tiles, the bomb, the cut PNG
    report = '\n'.join(logged)
    assert r'two\nlines.png has a newline in its name' in report
    assert r'latin1_\xe9t\xe9.png has bytes that are not UTF-8' in report
    assert 'skipped 2 file(s)' in report and len(bad_names) == 2
    samples = [dataset[i] for i in range(len(dataset))]
    assert all(sample['img'].shape[2] == 3 for sample in samples)
    assert dataset.num_skipped == 2
    assert any('bomb.tif: header declares' in m for m in logged)
    assert any('cut.tif: cannot be decoded' in m for m in logged)
    listed = GeoSense(
        data_root=str(root),
        ann_file='list.txt',
        index_dir=str(tmp_path / 'index'),
        pipeline=[dict(type='mmslffm.LoadRemoteSensingImage')],
    )
    assert len(listed) == 1
    assert any(
        r'bad\xff.jpg has bytes that are not UTF-8' in m for m in logged
    )


def _levir_root(tmp_path, pairs):
    """<root>/train/{A,B,label}: ``pairs`` maps a name to (A, B) writers."""
    root = tmp_path / 'levir'
    for folder in ('A', 'B', 'label'):
        (root / 'train' / folder).mkdir(parents=True)
    label = np.asarray(
        Image.open(DEMO_DATA / 'levir_cd' / 'label' / 'test_2_0000_0000.png')
    )[:64, :64]
    for name, (write_a, write_b) in pairs.items():
        write_a(root / 'train' / 'A' / f'{name}.tif')
        write_b(root / 'train' / 'B' / f'{name}.tif')
        Image.fromarray(label).save(root / 'train' / 'label' / f'{name}.png')
    return root


def _writer(pixels, crs=UTM, transform=ORIGIN):
    return lambda path: write_geotiff(path, pixels, crs, transform)


def _dataset(root, test_mode=False, bands=None):
    return LEVIRCDDataset(
        data_root=str(root),
        data_prefix=dict(
            img_path='train/A', img_path2='train/B', seg_map_path='train/label'
        ),
        pipeline=[
            dict(type='mmslffm.LoadImagePairFromFile', bands=bands),
            dict(type='mmslffm.LoadBinaryChangeLabel'),
            dict(type='mmseg.PackSegInputs'),
        ],
        test_mode=test_mode,
        img_suffix='.tif',
        seg_map_suffix='.png',
    )


def test_pairs_on_other_grids_are_skipped_in_training_and_testing(
    tmp_path, monkeypatch
):
    rgb = np.asarray(Image.open(DOTA_SCENE).convert('RGB'))[:64, :64]
    km_away = from_origin(501000.0, 5800000.0, 0.5, 0.5)
    root = _levir_root(
        tmp_path,
        dict(
            good=(_writer(rgb), _writer(rgb)),
            other_crs=(_writer(rgb), _writer(rgb, CRS.from_epsg(32632))),
            km_apart=(_writer(rgb), _writer(rgb, UTM, km_away)),
        ),
    )
    messages = []
    monkeypatch.setattr(
        levir_cd, 'print_log', lambda m, **kwargs: messages.append(m)
    )
    for test_mode in (False, True):
        messages.clear()
        dataset = _dataset(root, test_mode)
        assert len(dataset) == 1
        assert dataset.get_data_info(0)['img_path'].endswith('good.tif')
        report = '\n'.join(messages)
        assert 'other_crs.tif is in EPSG:32632' in report
        assert 'reproject one' in report
        assert 'km_apart.tif has transform' in report
        assert 'skipped 2 of 3 pairs' in report


def test_a_cut_png_named_tif_in_a_pair_is_skipped_when_decoded(tmp_path):
    rgb = np.asarray(Image.open(DOTA_SCENE).convert('RGB'))[:64, :64]
    root = _levir_root(
        tmp_path,
        dict(
            good=(_writer(rgb, None), _writer(rgb, None)),
            cut=(_writer(rgb, None), _writer(rgb, None)),
        ),
    )
    png = tmp_path / 'whole.png'
    Image.fromarray(rgb).save(png)
    cut = truncated_copy(png, root / 'train' / 'B' / 'cut.tif', 0.6)
    training = _dataset(root)
    assert len(training) == 2  # the header is whole: listed
    np.random.seed(0)
    for index in range(len(training)):
        sample = training[index]
        assert sample['data_samples'].img_path.endswith('good.tif')
    assert training.num_skipped >= 1
    with pytest.raises(InvalidSampleError, match=f'{cut}: cannot be decoded'):
        _dataset(root, test_mode=True).pipeline(
            _dataset(root, test_mode=True).get_data_info(0)
        )


def test_multispectral_uint16_pairs_train_with_bands(tmp_path):
    rng = np.random.default_rng(0)
    root = _levir_root(
        tmp_path,
        {
            f'ms{i}': (
                _writer(rng.integers(0, 4000, (64, 64, 4), dtype=np.uint16)),
                _writer(rng.integers(0, 4000, (64, 64, 4), dtype=np.uint16)),
            )
            for i in range(2)
        },
    )
    dataset = _dataset(root)
    assert len(dataset) == 2  # none dropped as unreadable
    assert dataset[0]['inputs'].shape == (6, 64, 64)  # bands 1-3 of each
    false_colour = _dataset(root, bands=(4, 3, 2))
    assert false_colour[0]['inputs'].shape == (6, 64, 64)
    every_band = LoadImagePairFromFile(bands='all')(
        dict(
            img_path=dataset.get_data_info(0)['img_path'],
            img_path2=dataset.get_data_info(0)['img_path2'],
        )
    )
    assert every_band['img'].shape == (64, 64, 8)
    assert every_band['img'].dtype == np.uint8
