"""A corrupt tile is reported and replaced in training, and never skipped in testing."""

import copy
import shutil
from pathlib import Path

import pytest
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmseg.datasets import PotsdamDataset

from mmslffm.testing.bad_files import truncated_copy

DEMO = Path(__file__).resolve().parents[3] / 'demo' / 'data' / 'potsdam'
GOOD = '2_10_0_0_512_512.png'
BAD = '2_10_0_256_512_768.png'
PIPELINE = [
    dict(
        type='mmslffm.SkipUnreadable',
        transforms=[
            dict(type='mmslffm.LoadRemoteSensingImage', channel_order='bgr'),
            dict(type='LoadAnnotations', reduce_zero_label=True),
        ],
    ),
    dict(type='PackSegInputs'),
]


def _dataset(root: Path, test_mode: bool) -> PotsdamDataset:
    for folder in ('img_dir', 'ann_dir'):
        (root / folder).mkdir(exist_ok=True)
        shutil.copy(DEMO / folder / GOOD, root / folder / GOOD)
        shutil.copy(DEMO / folder / GOOD, root / folder / BAD)
    (root / 'img_dir' / BAD).write_bytes(b'not a png: truncated download')
    init_default_scope('mmseg')
    return PotsdamDataset(
        data_root=str(root),
        test_mode=test_mode,
        data_prefix=dict(img_path='img_dir', seg_map_path='ann_dir'),
        pipeline=PIPELINE,
    )


def test_training_replaces_a_corrupt_tile_and_logs_it(tmp_path):
    log_file = tmp_path / 'train.log'
    MMLogger.get_instance('skip_unreadable_test', log_file=str(log_file))
    dataset = _dataset(tmp_path, test_mode=False)
    bad_index = [
        Path(dataset.get_data_info(i)['img_path']).name
        for i in range(len(dataset))
    ].index(BAD)
    sample = dataset[bad_index]
    assert Path(sample['data_samples'].img_path).name == GOOD
    log = log_file.read_text()
    assert f'skipped unreadable sample {tmp_path / "img_dir" / BAD}' in log
    skipped = dataset.pipeline.transforms[0].num_skipped
    assert skipped >= 1 and f'({skipped} skipped so far)' in log


def test_a_truncated_tile_is_skipped_too(tmp_path):
    dataset = _dataset(tmp_path, test_mode=False)
    truncated_copy(DEMO / 'img_dir' / GOOD, tmp_path / 'img_dir' / BAD, 0.7)
    bad_index = [
        Path(dataset.get_data_info(i)['img_path']).name
        for i in range(len(dataset))
    ].index(BAD)
    assert Path(dataset[bad_index]['data_samples'].img_path).name == GOOD
    skip = dataset.pipeline.transforms[0]
    assert skip.num_skipped >= 1  # the redraw may hit the bad tile again
    assert copy.deepcopy(skip).num_skipped == skip.num_skipped  # picklable


def test_testing_never_skips(tmp_path):
    dataset = _dataset(tmp_path, test_mode=True)
    bad_index = [
        Path(dataset.get_data_info(i)['img_path']).name
        for i in range(len(dataset))
    ].index(BAD)
    with pytest.raises(Exception, match='should not get `None`'):
        dataset[bad_index]
