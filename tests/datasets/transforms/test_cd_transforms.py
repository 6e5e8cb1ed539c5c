"""Pair loading and pair augmentation: one geometry for A, B and the label."""

import numpy as np
import pytest
from mmcv.transforms import RandomFlip
from mmseg.datasets.transforms import RandomCrop, RandomRotate
from PIL import Image

from mmslffm.datasets.transforms import (
    ApplyToEachImage,
    InvalidSampleError,
    LoadBinaryChangeLabel,
    LoadImagePairFromFile,
    RandomSwapPair,
)

TILE = 'train_36_0512_0512.png'


def synthetic_pair(size=16):
    """A: a unique value per pixel; B = 255 - A; label: A's top-left quarter."""
    values = np.arange(size * size, dtype=np.uint8).reshape(size, size)
    image_a = np.stack([values, values // 2, 255 - values], axis=2)
    label = np.zeros((size, size), np.uint8)
    label[: size // 2, : size // 4] = 1
    return dict(
        img=np.concatenate([image_a, 255 - image_a], axis=2),
        gt_seg_map=label,
        seg_fields=['gt_seg_map'],
        img_shape=(size, size),
        ori_shape=(size, size),
    )


def assert_same_geometry(results, original):
    """A, B and the label still satisfy the relations they were built with."""
    image_a, image_b = results['img'][..., :3], results['img'][..., 3:]
    np.testing.assert_array_equal(image_b, 255 - image_a)
    # Where does each output pixel come from? Pixel value -> source position.
    source = image_a[..., 0].astype(int)
    expected_label = original['gt_seg_map'].ravel()[source]
    np.testing.assert_array_equal(results['gt_seg_map'], expected_label)


@pytest.mark.parametrize(
    'transform',
    [
        RandomFlip(prob=1.0, direction='horizontal'),
        RandomFlip(prob=1.0, direction='vertical'),
        RandomRotate(prob=1.0, degree=(90, 90)),
        RandomCrop(crop_size=(8, 12)),
    ],
)
def test_geometric_transforms_move_a_b_and_label_together(transform):
    np.random.seed(3)
    original = synthetic_pair()
    results = transform(dict(original, img=original['img'].copy()))
    moved = results['img'].shape != original['img'].shape or not (
        np.array_equal(results['img'], original['img'])
    )
    assert moved
    assert_same_geometry(results, original)


def test_rotation_pads_images_with_zero_and_label_with_ignore():
    np.random.seed(0)
    results = RandomRotate(
        prob=1.0, degree=(45, 45), pad_val=0, seg_pad_val=255
    )(synthetic_pair(size=32))
    corner = results['img'][0, 0]
    assert corner.tolist() == [0] * 6
    assert results['gt_seg_map'][0, 0] == 255


def test_swap_exchanges_the_dates():
    original = synthetic_pair()
    results = RandomSwapPair(prob=1.0)(
        dict(original, img=original['img'].copy())
    )
    np.testing.assert_array_equal(
        results['img'][..., :3], original['img'][..., 3:]
    )
    np.testing.assert_array_equal(
        results['img'][..., 3:], original['img'][..., :3]
    )
    assert results['pair_swapped']
    kept = RandomSwapPair(prob=0.0)(dict(original, img=original['img'].copy()))
    np.testing.assert_array_equal(kept['img'], original['img'])


def test_photometric_change_is_drawn_for_each_date():
    np.random.seed(1)
    image = np.random.randint(40, 200, (16, 16, 3), dtype=np.uint8)
    transform = ApplyToEachImage(
        transforms=[
            dict(type='mmseg.PhotoMetricDistortion', brightness_delta=30)
        ]
    )
    results = transform(dict(img=np.concatenate([image, image], axis=2)))
    assert results['img'].shape == (16, 16, 6)
    assert not np.array_equal(results['img'][..., :3], results['img'][..., 3:])


def test_size_changing_transform_is_refused_per_image():
    transform = ApplyToEachImage(
        transforms=[dict(type='mmseg.RandomCrop', crop_size=(4, 4))]
    )
    with pytest.raises(ValueError, match='keep the image'):
        transform(synthetic_pair())


def paths(root, name=TILE):
    return dict(
        img_path=str(root / 'A' / name),
        img_path2=str(root / 'B' / name),
        seg_map_path=str(root / 'label' / name),
    )


def test_load_real_pair_and_label(levir_bit_layout):
    results = LoadImagePairFromFile()(paths(levir_bit_layout))
    results = LoadBinaryChangeLabel()(results)
    image_a = np.asarray(Image.open(levir_bit_layout / 'A' / TILE))
    image_b = np.asarray(Image.open(levir_bit_layout / 'B' / TILE))
    assert results['img'].shape == (256, 256, 6)
    np.testing.assert_array_equal(results['img'][..., :3], image_a[..., :3])
    np.testing.assert_array_equal(results['img'][..., 3:], image_b[..., :3])
    label = np.asarray(Image.open(levir_bit_layout / 'label' / TILE))
    np.testing.assert_array_equal(results['gt_seg_map'], label > 0)
    assert results['gt_seg_map'].max() == 1
    assert results['seg_fields'] == ['gt_seg_map']


def test_pair_of_different_sizes_names_both_files(levir_bit_layout):
    image_b = levir_bit_layout / 'B' / TILE
    Image.open(image_b).crop((0, 0, 200, 256)).save(image_b)
    with pytest.raises(InvalidSampleError) as error:
        LoadImagePairFromFile()(paths(levir_bit_layout))
    assert str(levir_bit_layout / 'A' / TILE) in str(error.value)
    assert str(image_b) in str(error.value)


def test_missing_partner_is_named(levir_bit_layout):
    (levir_bit_layout / 'B' / TILE).unlink()
    with pytest.raises(InvalidSampleError, match='B/' + TILE):
        LoadImagePairFromFile()(paths(levir_bit_layout))


def test_non_binary_label_is_refused(levir_bit_layout):
    label = levir_bit_layout / 'label' / TILE
    values = np.asarray(Image.open(label)).copy()
    values[0, :3] = [0, 128, 255]
    Image.fromarray(values).save(label)
    results = LoadImagePairFromFile()(paths(levir_bit_layout))
    with pytest.raises(InvalidSampleError, match='not binary.*128'):
        LoadBinaryChangeLabel()(results)
