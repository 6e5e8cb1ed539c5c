"""DIORRDataset on the bundled DIOR-R sample laid out as the release, with its quirks."""

import logging
import shutil

import numpy as np
import pytest
from mmengine.logging import MMLogger

from mmslffm.datasets import DIORRDataset

SAMPLE = 'demo/data/dior_r'


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


def _release_layout(tmp_path):
    """JPEGImages-test, 'Oriented Bounding Boxes' with spaces, CRLF id list."""
    root = tmp_path / 'DIOR'
    (root / 'JPEGImages-test').mkdir(parents=True)
    shutil.copy(
        f'{SAMPLE}/JPEGImages/00001.jpg',
        root / 'JPEGImages-test' / '00001.jpg',
    )
    shutil.copy(
        f'{SAMPLE}/JPEGImages/00001.jpg',
        root / 'JPEGImages-test' / '00003.jpg',
    )
    ann = root / 'Annotations' / 'Oriented Bounding Boxes'
    ann.mkdir(parents=True)
    xml = open(
        f'{SAMPLE}/Annotations/Oriented_Bounding_Boxes/00001.xml'
    ).read()
    # the release spells two classes in mixed case; add one, plus a bad object
    extra = xml[xml.index('<object>') : xml.index('</object>') + 9]
    expressway = extra.replace('golffield', 'Expressway-Service-area')
    no_box = extra.replace('<robndbox>', '<bndbox>').replace(
        '</robndbox>', '</bndbox>'
    )
    unknown = extra.replace('golffield', 'volcano')
    xml = xml.replace(
        '</annotation>', expressway + no_box + unknown + '</annotation>'
    )
    (ann / '00001.xml').write_text(xml)
    (ann / '00003.xml').write_text('<annotation><object>')  # broken XML
    sets = root / 'ImageSets' / 'Main'
    sets.mkdir(parents=True)
    (sets / 'test.txt').write_bytes(b'00001 \r\n\r\n00002\r\n00003\r\n')
    return root


def test_release_layout_and_quirks(tmp_path):
    root = _release_layout(tmp_path)
    with _Messages() as log:
        dataset = DIORRDataset(
            data_root=str(root),
            ann_file='ImageSets/Main/test.txt',
            pipeline=[],
            test_mode=True,
        )
    assert len(dataset) == 1
    info = dataset.get_data_info(0)
    assert info['img_id'] == '00001'
    assert info['img_path'].endswith('JPEGImages-test/00001.jpg')
    assert (info['width'], info['height']) == (800, 800)
    classes = dataset.metainfo['classes']
    assert [classes[i['bbox_label']] for i in info['instances']] == [
        'golffield',
        'expressway-service-area',
    ]
    assert info['instances'][0]['bbox'] == [
        133,
        237,
        684,
        237,
        684,
        672,
        133,
        672,
    ]
    warnings = ' '.join(log.messages)
    assert '00002.jpg not found' in warnings
    assert '00003.xml: cannot read annotation' in warnings
    assert 'object 3: missing or non-numeric <robndbox>' in warnings
    assert "unknown class 'volcano'" in warnings


def test_bundled_underscore_layout_reads_as_is():
    dataset = DIORRDataset(
        data_root=SAMPLE,
        ann_file='ImageSets/Main/test.txt',
        pipeline=[],
        test_mode=True,
    )
    assert len(dataset) == 1
    assert len(dataset.get_data_info(0)['instances']) == 1


def test_missing_id_list_names_the_expected_layout(tmp_path):
    with pytest.raises(FileNotFoundError, match='ImageSets/Main'):
        DIORRDataset(
            data_root=str(tmp_path),
            ann_file='ImageSets/Main/test.txt',
            pipeline=[],
        )


def _corrupt_layout(tmp_path, size_xml: str, corners):
    """One real image whose XML has the given <size> and extra objects' corners."""
    root = tmp_path / 'DIOR'
    (root / 'JPEGImages').mkdir(parents=True)
    shutil.copy(
        f'{SAMPLE}/JPEGImages/00001.jpg', root / 'JPEGImages' / '00001.jpg'
    )
    ann = root / 'Annotations' / 'Oriented Bounding Boxes'
    ann.mkdir(parents=True)
    xml = open(
        f'{SAMPLE}/Annotations/Oriented_Bounding_Boxes/00001.xml'
    ).read()
    xml = (
        xml[: xml.index('<size>')] + size_xml + xml[xml.index('</size>') + 7 :]
    )
    good = xml[xml.index('<object>') : xml.index('</object>') + 9]
    box = good[good.index('<robndbox>') : good.index('</robndbox>') + 11]
    extra = ''
    for values in corners:
        tags = ''.join(
            f'<{tag}>{value}</{tag}>'
            for tag, value in zip(
                (
                    'x_left_top',
                    'y_left_top',
                    'x_right_top',
                    'y_right_top',
                    'x_right_bottom',
                    'y_right_bottom',
                    'x_left_bottom',
                    'y_left_bottom',
                ),
                values,
            )
        )
        extra += good.replace(box, f'<robndbox>{tags}</robndbox>')
    (ann / '00001.xml').write_text(
        xml.replace('</annotation>', extra + '</annotation>')
    )
    sets = root / 'ImageSets' / 'Main'
    sets.mkdir(parents=True)
    (sets / 'test.txt').write_text('00001\n')
    return root


def test_non_finite_absurd_degenerate_and_outside_objects_are_skipped(
    tmp_path,
):
    root = _corrupt_layout(
        tmp_path,
        '<size><width>800</width><height>800</height></size>',
        [
            ('nan', 10, 50, 10, 50, 40, 10, 40),
            (10, 10, 'inf', 10, 50, 40, 10, 40),
            (0, 0, 3e7, 0, 3e7, 3e7, 0, 3e7),
            (5, 5, 5, 5, 5, 5, 5, 5),
            (900, 900, 950, 900, 950, 950, 900, 950),
        ],
    )
    with _Messages() as log:
        dataset = DIORRDataset(
            data_root=str(root),
            ann_file='ImageSets/Main/test.txt',
            pipeline=[],
            test_mode=True,
        )
    instances = dataset.get_data_info(0)['instances']
    assert len(instances) == 1
    assert all(np.isfinite(i['bbox']).all() for i in instances)
    xml = root / 'Annotations' / 'Oriented Bounding Boxes' / '00001.xml'
    for index, reason in zip(
        range(2, 7),
        [
            'not finite',
            'not finite',
            'absurd',
            'degenerate',
            'outside the 800x800 image',
        ],
    ):
        assert any(
            m.startswith(f'{xml}: object {index}: ') and reason in m
            for m in log.messages
        ), (index, log.messages)


def test_non_numeric_size_is_reported_and_read_from_the_image(tmp_path):
    root = _corrupt_layout(
        tmp_path,
        '<size><width>eight hundred</width><height>800</height></size>',
        [],
    )
    with _Messages() as log:
        dataset = DIORRDataset(
            data_root=str(root),
            ann_file='ImageSets/Main/test.txt',
            pipeline=[],
            test_mode=True,
        )
    info = dataset.get_data_info(0)
    assert (info['width'], info['height']) == (800, 800)
    assert len(info['instances']) == 1
    xml = root / 'Annotations' / 'Oriented Bounding Boxes' / '00001.xml'
    assert any(
        m.startswith(f'{xml}: <size> is missing or not numeric')
        for m in log.messages
    ), log.messages
