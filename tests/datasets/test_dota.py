"""DOTAPatchDataset: mmrotate's data_list, with bad lines and missing images skipped."""

import logging
import shutil

import numpy as np
from mmengine.logging import MMLogger

from mmslffm.datasets import DOTAPatchDataset


class _Messages(logging.Handler):
    """Collects what the current mmengine logger emits (its stream handler
    may hold another test's stdout, so capsys cannot be relied on)."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        MMLogger.get_current_instance().addHandler(self)
        return self

    def __exit__(self, *exc):
        MMLogger.get_current_instance().removeHandler(self)


def _layout(tmp_path):
    images, labels = tmp_path / 'images', tmp_path / 'annfiles'
    images.mkdir()
    labels.mkdir()
    shutil.copy('demo/data/dota/images/P0075.png', images / 'P0075.png')
    shutil.copy('demo/data/dota/labelTxt/P0075.txt', labels / 'P0075.txt')
    (labels / 'P0075.txt').open('a').write(
        '1 2 3 plane 0\n'  # too short
        '0 0 10 0 10 10 0 10 spaceship 0\n'  # unknown class
        '0 0 10 0 10 10 0 10 plane 1\n'
        '0 0 nan 0 10 10 0 10 plane 0\n'
    )  # not finite
    (labels / 'P9999.txt').write_text('0 0 10 0 10 10 0 10 plane 0\n')
    shutil.copy(images / 'P0075.png', images / 'P0076.png')
    (labels / 'P0076.txt').mkdir()  # not a file
    return tmp_path


def test_bad_lines_and_missing_image_are_warned_and_skipped(tmp_path):
    root = _layout(tmp_path)
    with _Messages() as log:
        dataset = DOTAPatchDataset(
            data_root=str(root),
            ann_file='annfiles/',
            data_prefix=dict(img_path='images/'),
            diff_thr=0,
            pipeline=[],
            test_mode=True,
        )
    assert len(dataset) == 1
    info = dataset.get_data_info(0)
    assert info['img_id'] == 'P0075'
    classes = dataset.metainfo['classes']
    assert [classes[i['bbox_label']] for i in info['instances']] == [
        'swimming-pool',
        'roundabout',
        'plane',
    ]
    assert [i['ignore_flag'] for i in info['instances']] == [0, 0, 1]
    np.testing.assert_allclose(
        info['instances'][0]['bbox'], [218, 108, 249, 101, 260, 146, 224, 150]
    )
    warnings = log.messages
    assert any(
        'P0075.txt:5:' in w and 'expected 8 coordinates' in w for w in warnings
    )
    assert any('P0075.txt:6:' in w and 'spaceship' in w for w in warnings)
    assert any('P9999.txt' in w and 'not found' in w for w in warnings)
    assert any('P0075.txt:8:' in w and 'not finite' in w for w in warnings)
    assert any('P0076.txt: cannot be read' in w for w in warnings)
    assert all(np.isfinite(i['bbox']).all() for i in info['instances'])
