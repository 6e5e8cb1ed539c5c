"""Folder-per-class scanning, seeded per-class splits and the split converter."""

import numpy as np
import pytest
from PIL import Image

from mmslffm.datasets.scene_split import (
    scan_class_folders,
    split_per_class,
    write_split_lists,
)
from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.testing import run_tool

TOOL = str(REPO / 'tools/dataset_converters/scene_cls_split.py')


@pytest.fixture
def scenes(tmp_path):
    """3 classes with 10, 5 and 20 tiny images; a stray file at the root."""
    root = tmp_path / 'scenes'
    for name, count in (('river', 10), ('beach', 5), ('forest', 20)):
        (root / name).mkdir(parents=True)
        for i in range(count):
            Image.new('RGB', (8, 8), (i, 0, 0)).save(root / name / f'{i}.png')
    (root / 'beach' / 'notes.txt').write_text('not an image')
    (root / 'readme.md').write_text('not a class')
    return root


def test_scan_sorts_classes_and_keeps_only_images(scenes):
    samples = scan_class_folders(str(scenes))
    assert samples.classes == ['beach', 'forest', 'river']
    assert len(samples.files) == 35
    assert samples.labels.count(0) == 5 and samples.labels.count(2) == 10
    assert all(f.endswith('.png') for f in samples.files)
    assert samples.files[0].startswith('beach/')


def test_scan_refuses_a_missing_folder_or_an_empty_class(tmp_path, scenes):
    with pytest.raises(NotADirectoryError, match='no such folder'):
        scan_class_folders(str(tmp_path / 'nowhere'))
    (scenes / 'empty').mkdir()
    with pytest.raises(ValueError, match="without images: \\['empty'\\]"):
        scan_class_folders(str(scenes))


def test_split_keeps_the_fraction_of_every_class():
    labels = [0] * 10 + [1] * 5 + [2] * 20
    train, test = split_per_class(labels, train_fraction=0.8, seed=3)
    labels = np.array(labels)
    assert [int((labels[train] == c).sum()) for c in range(3)] == [8, 4, 16]
    assert [int((labels[test] == c).sum()) for c in range(3)] == [2, 1, 4]
    assert sorted([*train, *test]) == list(range(35))


def test_split_is_seeded():
    labels = [0] * 60 + [1] * 60
    first = split_per_class(labels, seed=0, train_per_class=48)
    again = split_per_class(labels, seed=0, train_per_class=48)
    other = split_per_class(labels, seed=1, train_per_class=48)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[0], other[0])
    assert len(first[0]) == 96 and len(first[1]) == 24


def test_split_refuses_an_impossible_count():
    with pytest.raises(ValueError, match='class 1 has 2 samples'):
        split_per_class([0, 0, 0, 1, 1], train_per_class=2)
    with pytest.raises(ValueError, match='exactly one'):
        split_per_class([0, 1])


def test_lists_load_in_mmpretrain_custom_dataset(scenes, tmp_path):
    from mmpretrain.datasets import CustomDataset

    samples = scan_class_folders(str(scenes))
    train, test = split_per_class(samples.labels, train_fraction=0.6, seed=0)
    written = write_split_lists(
        samples, str(tmp_path / 'split'), dict(train=train, test=test)
    )
    dataset = CustomDataset(
        data_root=str(scenes),
        data_prefix='',
        ann_file=written['train'],
        classes=str(tmp_path / 'split/classes.txt'),
        lazy_init=False,
    )
    assert dataset.metainfo['classes'] == ('beach', 'forest', 'river')
    assert len(dataset) == len(train)
    for i, index in enumerate(train):
        info = dataset.get_data_info(i)
        assert info['img_path'] == str(scenes / samples.files[index])
        assert info['gt_label'] == samples.labels[index]


def test_converter_writes_the_lists(scenes, tmp_path):
    out = tmp_path / 'lists'
    proc = run_tool(
        [
            TOOL,
            str(scenes),
            str(out),
            '--train-fraction',
            '0.8',
            '--seed',
            '1',
        ],
        cwd=tmp_path,
    )
    assert (
        '3 classes, 35 images: 28 train (4-16 per class), 7 test'
        in proc.stdout
    )
    lines = (out / 'train.txt').read_text().splitlines()
    assert len(lines) == 28 and lines[0].split(' ')[1] in '012'
    assert (out / 'classes.txt').read_text().split() == [
        'beach',
        'forest',
        'river',
    ]


def test_converter_refuses_a_bad_root_in_one_line(tmp_path):
    proc = run_tool(
        [
            TOOL,
            str(tmp_path / 'nowhere'),
            str(tmp_path / 'o'),
            '--train-fraction',
            '0.8',
        ],
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert 'no such folder' in proc.stderr
