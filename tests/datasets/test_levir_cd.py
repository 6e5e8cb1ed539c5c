"""LEVIR-CD dataset on the bundled real tiles: layouts, bad pairs, bad labels."""

import numpy as np
import pytest
from PIL import Image

from mmslffm.datasets import (
    InvalidSampleError,
    LEVIRCDDataset,
    levir_cd,
)
from mmslffm.testing.bad_files import truncated_copy

PIPELINE = [
    dict(type='mmslffm.LoadImagePairFromFile'),
    dict(type='mmslffm.LoadBinaryChangeLabel'),
    dict(type='mmseg.PackSegInputs'),
]
BIT_PREFIX = dict(img_path='A', img_path2='B', seg_map_path='label')


def split_dataset(root, split='train', **kwargs):
    prefix = dict(
        img_path=f'{split}/A',
        img_path2=f'{split}/B',
        seg_map_path=f'{split}/label',
    )
    return LEVIRCDDataset(
        data_root=str(root), data_prefix=prefix, pipeline=PIPELINE, **kwargs
    )


def test_bit_layout_with_list_file(levir_bit_layout):
    dataset = LEVIRCDDataset(
        data_root=str(levir_bit_layout),
        ann_file='list/all.txt',
        data_prefix=BIT_PREFIX,
        pipeline=PIPELINE,
    )
    assert len(dataset) == 6
    sample = dataset[0]
    assert sample['inputs'].shape == (6, 256, 256)
    assert set(sample['data_samples'].gt_sem_seg.data.unique().tolist()) <= {
        0,
        1,
    }
    assert dataset.metainfo['classes'] == ('unchanged', 'changed')


def test_split_layout(levir_split_layout):
    assert len(split_dataset(levir_split_layout, 'train')) == 3
    dataset = split_dataset(levir_split_layout, 'test', test_mode=True)
    assert len(dataset) == 2
    info = dataset.get_data_info(0)
    assert info['img_path2'].endswith('test/B/test_2_0000_0000.png')


def test_incomplete_pairs_are_reported_and_skipped(
    levir_split_layout, monkeypatch
):
    train = levir_split_layout / 'train'
    (train / 'B' / 'train_36_0512_0512.png').unlink()
    label = train / 'label' / 'train_386_0512_0768.png'
    Image.open(label).crop((0, 0, 128, 128)).save(label)
    messages = []
    monkeypatch.setattr(
        levir_cd,
        'print_log',
        lambda message, **kwargs: messages.append(message),
    )
    dataset = split_dataset(levir_split_layout, 'train')
    assert len(dataset) == 1
    report = '\n'.join(messages)
    assert 'missing' in report and 'B/train_36_0512_0512.png' in report
    assert 'sizes differ' in report and '128x128' in report
    assert 'skipped 2 of 3 pairs' in report
    assert dataset.get_data_info(0)['img_path'].endswith(
        'train_412_0512_0768.png'
    )


def test_missing_folder_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match='dataset_converters'):
        split_dataset(tmp_path, 'train')


def corrupt_label(path):
    values = np.asarray(Image.open(path)).copy()
    values[:2, :2] = 7
    Image.fromarray(values).save(path)


def test_non_binary_label_is_skipped_in_training(levir_split_layout):
    corrupt_label(
        levir_split_layout / 'train' / 'label' / 'train_36_0512_0512.png'
    )
    dataset = split_dataset(levir_split_layout, 'train')
    np.random.seed(0)
    for index in range(len(dataset)):
        sample = dataset[index]
        assert not sample['data_samples'].img_path.endswith(
            'train_36_0512_0512.png'
        )


def test_non_binary_label_fails_at_test_time(levir_split_layout):
    corrupt_label(
        levir_split_layout / 'test' / 'label' / 'test_2_0000_0000.png'
    )
    dataset = split_dataset(levir_split_layout, 'test', test_mode=True)
    with pytest.raises(InvalidSampleError, match='test_2_0000_0000'):
        dataset[0]


def test_truncated_image_is_named_skipped_and_counted_in_training(
    levir_split_layout,
):
    bad = levir_split_layout / 'train' / 'B' / 'train_36_0512_0512.png'
    truncated_copy(bad, bad, 0.5)
    dataset = split_dataset(levir_split_layout, 'train')
    with pytest.raises(InvalidSampleError, match=f'{bad}: cannot be decoded'):
        dataset.pipeline(
            dataset.get_data_info(
                [
                    dataset.get_data_info(i)['img_path2']
                    for i in range(len(dataset))
                ].index(str(bad))
            )
        )
    np.random.seed(0)
    for index in range(len(dataset)):
        sample = dataset[index]
        assert not sample['data_samples'].img_path.endswith(
            'train_36_0512_0512.png'
        )
    assert dataset.num_skipped >= 1  # a redraw may hit it again
