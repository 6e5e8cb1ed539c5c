"""Strict image reading: truncated files, bomb headers, 16-bit and float rasters, 8-bit as is."""

import time

import cv2
import numpy as np
import pytest
from mmcv.transforms import LoadImageFromFile
from PIL import Image

from mmslffm.datasets import LoadRemoteSensingImage, read_image
from mmslffm.datasets.image_io import UnreadableImageError
from mmslffm.testing import DEMO_DATA
from mmslffm.testing.bad_files import (
    DOTA_SCENE,
    JPEG_TILE,
    bomb_png,
    expected_stretch,
    float_scene,
    truncated_copy,
    write_geotiff,
)


@pytest.mark.parametrize(
    'source', [DOTA_SCENE, JPEG_TILE], ids=['png', 'jpeg']
)
def test_truncated_image_is_unreadable_and_named(tmp_path, source):
    bad = truncated_copy(source, tmp_path / f'cut{source.suffix}', 0.6)
    if source.suffix == '.jpg':  # OpenCV decodes it with grey rows, silently
        assert cv2.imread(str(bad)) is not None
    with pytest.raises(UnreadableImageError, match=str(bad)):
        read_image(str(bad))


def test_bomb_header_is_refused_before_decoding(tmp_path):
    bomb = bomb_png(tmp_path / 'bomb.png')
    start = time.perf_counter()
    with pytest.raises(
        UnreadableImageError, match=f'{bomb}.*decompression bomb'
    ):
        read_image(str(bomb))
    assert time.perf_counter() - start < 1
    # an explicit limit applies even where Pillow's own check is off
    small = bomb_png(tmp_path / 'small.png', 300, 200)
    with pytest.raises(UnreadableImageError, match='300x200'):
        read_image(str(small), max_pixels=300 * 199)


@pytest.mark.parametrize(
    'path',
    [
        DOTA_SCENE,
        JPEG_TILE,
        DEMO_DATA / 'dior_r' / 'JPEGImages' / '00001.jpg',
        DEMO_DATA / 'levir_cd' / 'A' / 'test_2_0000_0000.png',
    ],
    ids=['dota-png', 'jpeg-tile', 'dior-jpeg', 'levir-png'],
)
def test_8bit_images_are_bit_identical_to_mmcv_loading(path):
    expected = LoadImageFromFile()(dict(img_path=str(path)))['img']
    strict = LoadRemoteSensingImage(channel_order='bgr', min_size=1)(
        dict(img_path=str(path))
    )
    assert strict['img'].dtype == np.uint8
    np.testing.assert_array_equal(strict['img'], expected)
    assert strict['img_shape'] == expected.shape[:2]
    np.testing.assert_array_equal(read_image(str(path)), expected[..., ::-1])


def test_16bit_png_is_stretched_not_saturated(tmp_path):
    rows, cols = np.mgrid[0:48, 0:64]
    values = (300 + rows * 400 + cols * 150).astype(np.uint16)  # 300..28550
    path = tmp_path / 'dem16.png'
    Image.fromarray(values).save(path)
    assert Image.open(path).mode.startswith('I')
    image = read_image(str(path))
    assert image.shape == (48, 64, 3)
    assert image.min() == 0 and image.max() == 255  # not all 255
    expected = expected_stretch(values[..., None], np.ones(values.shape, bool))
    assert np.abs(image[..., :1].astype(int) - expected).max() <= 1
    assert (image == image[..., :1]).all()


def test_float_geotiff_nan_region_is_nodata(tmp_path):
    bands = float_scene()
    path = write_geotiff(tmp_path / 'reflectance.tif', bands)
    image = read_image(str(path))
    valid = np.isfinite(bands).all(axis=2)
    assert (image[~valid] == 0).all()
    expected = expected_stretch(np.nan_to_num(bands), valid)
    assert np.abs(image.astype(int) - expected).max() <= 1
    assert image[valid].max() == 255 and len(np.unique(image[valid])) > 100


def test_nodata_value_is_left_out_of_the_stretch(tmp_path):
    bands = (np.nan_to_num(float_scene(), nan=-9999) * 10000).astype(np.int16)
    bands[bands < 0] = -9999
    path = write_geotiff(tmp_path / 'int16.tif', bands, nodata=-9999)
    image = read_image(str(path))
    valid = (bands != -9999).all(axis=2)
    assert (image[~valid] == 0).all()
    expected = expected_stretch(bands, valid)
    assert np.abs(image.astype(int) - expected).max() <= 1


def test_truncated_geotiff_is_unreadable(tmp_path):
    rgb = np.asarray(Image.open(DOTA_SCENE).convert('RGB'))[:256, :256]
    whole = write_geotiff(tmp_path / 'whole.tif', rgb)
    bad = truncated_copy(whole, tmp_path / 'cut.tif', 0.5)
    with pytest.raises(UnreadableImageError, match=str(bad)):
        read_image(str(bad))
