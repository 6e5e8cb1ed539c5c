"""Cutting scenes into patches: window layout, names, kept/cut objects, empty patches."""

import os

import cv2
import numpy as np

from mmslffm.dataset_converters.dota_split import (
    SplitSettings,
    patch_name,
    sliding_windows,
    split_scene,
)
from mmslffm.datasets.dota_labels import DOTA_CLASSES, read_dota_labels


def test_windows_cover_the_image_and_end_flush():
    starts = list(sliding_windows(1500, 1024, patch_size=1024, gap=200))
    # step 824: x 0, then the last window flush with the right edge (476)
    assert starts == [(0, 0), (476, 0)]
    starts = list(sliding_windows(2000, 900, patch_size=1024, gap=200))
    assert starts == [(0, 0), (824, 0), (976, 0)]


def test_patch_names_follow_the_devkit():
    assert patch_name('P0001', 1.0, 824, 0) == 'P0001__1__824___0'
    assert patch_name('P0001', 0.5, 0, 412) == 'P0001__0.5__0___412'


def _scene(tmp_path, lines, size=(300, 400)):
    image = np.random.default_rng(0).integers(0, 255, size + (3,), np.uint8)
    image_path = str(tmp_path / 'S1.png')
    cv2.imwrite(image_path, image)
    label_path = tmp_path / 'S1.txt'
    label_path.write_text(''.join(line + '\n' for line in lines))
    out_images, out_labels = tmp_path / 'images', tmp_path / 'annfiles'
    out_images.mkdir()
    out_labels.mkdir()
    return image_path, str(label_path), str(out_images), str(out_labels)


def test_split_keeps_whole_and_mostly_inside_objects(tmp_path):
    # 400 x 300 image, 256 patches, gap 56 -> step 200: x 0, 144; y 0, 44
    image_path, label_path, out_images, out_labels = _scene(
        tmp_path,
        [
            '10 10 40 10 40 30 10 30 plane 0',  # only in x=0 patches
            '230 100 280 100 280 120 230 120 ship 1',  # 52% in x=0, all in x=144
        ],
    )
    report = split_scene(
        image_path,
        label_path,
        DOTA_CLASSES,
        out_images,
        out_labels,
        SplitSettings(patch_size=256, gap=56),
    )
    assert report.problems == []
    names = sorted(os.listdir(out_labels))
    # the x=0, y=44 patch holds no object and is not written
    assert names == [
        'S1__1__0___0.txt',
        'S1__1__144___0.txt',
        'S1__1__144___44.txt',
    ]
    first = read_dota_labels(
        os.path.join(out_labels, names[0]), DOTA_CLASSES
    ).objects
    assert [o.class_name for o in first] == ['plane']  # ship 52% < 0.7
    right = read_dota_labels(
        os.path.join(out_labels, 'S1__1__144___0.txt'), DOTA_CLASSES
    ).objects
    assert [(o.class_name, o.difficult) for o in right] == [('ship', 1)]
    np.testing.assert_allclose(
        right[0].polygon, [86, 100, 136, 100, 136, 120, 86, 120]
    )
    patch = cv2.imread(os.path.join(out_images, 'S1__1__144___44.png'))
    assert patch.shape == (256, 256, 3)


def test_cut_object_gets_difficulty_2_and_keeps_its_whole_polygon(tmp_path):
    image_path, label_path, out_images, out_labels = _scene(
        tmp_path,
        [
            '190 100 270 100 270 120 190 120 ship 0',  # 82.5% in the x=0 patch
        ],
        size=(256, 400),
    )
    split_scene(
        image_path,
        label_path,
        DOTA_CLASSES,
        out_images,
        out_labels,
        SplitSettings(patch_size=256, gap=56),
    )
    cut = read_dota_labels(
        os.path.join(out_labels, 'S1__1__0___0.txt'), DOTA_CLASSES
    ).objects
    assert cut[0].difficult == 2
    np.testing.assert_allclose(
        cut[0].polygon, [190, 100, 270, 100, 270, 120, 190, 120]
    )


def test_empty_patches_only_when_asked_and_rates_rescale(tmp_path):
    image_path, label_path, out_images, out_labels = _scene(
        tmp_path, ['10 10 40 10 40 30 10 30 plane 0']
    )
    report = split_scene(
        image_path,
        label_path,
        DOTA_CLASSES,
        out_images,
        out_labels,
        SplitSettings(
            patch_size=256, gap=56, rates=(1.0, 0.5), keep_empty=True
        ),
    )
    # rate 1: 4 windows; rate 0.5: a 200 x 150 image -> one padded window
    assert report.patches == 5
    half = read_dota_labels(
        os.path.join(out_labels, 'S1__0.5__0___0.txt'), DOTA_CLASSES
    ).objects
    np.testing.assert_allclose(half[0].polygon, [5, 5, 20, 5, 20, 15, 5, 15])
    assert (
        os.path.getsize(os.path.join(out_labels, 'S1__1__144___44.txt')) == 0
    )


def test_undecodable_image_is_reported_not_fatal(tmp_path):
    broken = tmp_path / 'broken.png'
    broken.write_bytes(b'not a png at all')
    report = split_scene(
        str(broken),
        None,
        DOTA_CLASSES,
        str(tmp_path),
        None,
        SplitSettings(patch_size=256, gap=56),
    )
    assert report.patches == 0
    assert report.problems and str(broken) in report.problems[0]
