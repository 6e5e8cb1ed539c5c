"""DOTA labelTxt parsing: header lines, bad lines reported with file and line, writing."""

import numpy as np

from mmslffm.datasets.dota_labels import (
    DOTA_CLASSES,
    DotaObject,
    read_dota_labels,
    write_dota_labels,
)


def test_reads_real_label_file_with_header():
    label_file = read_dota_labels(
        'demo/data/dota/labelTxt/P0075.txt', DOTA_CLASSES
    )
    assert label_file.problems == []
    assert [o.class_name for o in label_file.objects] == [
        'swimming-pool',
        'roundabout',
    ]
    np.testing.assert_array_equal(
        label_file.objects[0].polygon, [218, 108, 249, 101, 260, 146, 224, 150]
    )


def test_bad_lines_are_reported_with_file_and_line_and_skipped(tmp_path):
    path = tmp_path / 'bad.txt'
    path.write_text(
        'imagesource:GoogleEarth\n'
        'gsd:0.1\n'
        '1 2 3 4 5 6 7 plane 0\n'  # 7 coordinates
        '0 0 10 0 10 10 0 10 spaceship 0\n'  # unknown class
        '0 0 10 0 10 ten 0 10 plane 0\n'  # not a number
        '\n'
        '0 0 20 0 20 20 0 20 ship\n'  # no difficulty
        '0 0 30 0 30 30 0 30 plane 1\n'
    )
    label_file = read_dota_labels(str(path), DOTA_CLASSES)
    assert [(o.class_name, o.difficult) for o in label_file.objects] == [
        ('ship', 0),
        ('plane', 1),
    ]
    assert len(label_file.problems) == 3
    for line_number, problem in zip((3, 4, 5), label_file.problems):
        assert problem.startswith(f'{path}:{line_number}: ')
    assert 'spaceship' in label_file.problems[1]


def test_write_then_read_round_trip(tmp_path):
    objects = [
        DotaObject(
            np.array([1.5, 2, 30, 4, 25, 16, 7, 18.25], np.float32), 'plane', 0
        ),
        DotaObject(
            np.array([0, 0, 8, 0, 8, 5, 0, 5], np.float32), 'harbor', 2
        ),
    ]
    path = str(tmp_path / 'out.txt')
    write_dota_labels(path, objects)
    read_back = read_dota_labels(path, DOTA_CLASSES)
    assert read_back.problems == []
    for original, parsed in zip(objects, read_back.objects):
        np.testing.assert_allclose(parsed.polygon, original.polygon)
        assert (parsed.class_name, parsed.difficult) == (
            original.class_name,
            original.difficult,
        )


def test_non_finite_absurd_and_degenerate_coordinates_are_skipped(tmp_path):
    path = tmp_path / 'corrupt.txt'
    path.write_text(
        '0 0 10 0 10 10 0 10 plane 0\n'
        'nan 0 10 0 10 10 0 10 plane 0\n'  # NaN
        '0 0 inf 0 10 10 0 10 ship 0\n'  # inf
        '0 0 1e300 0 10 10 0 10 ship 0\n'  # absurd
        '0 0 5e7 0 5e7 5e7 0 5e7 ship 0\n'  # absurd
        '3 3 3 3 3 3 3 3 small-vehicle 0\n'  # a point
        '0 0 10 10 20 20 30 30 small-vehicle 0\n'  # a line
        '20 20 40 20 40 40 20 40 harbor 1\n'
    )
    label_file = read_dota_labels(str(path), DOTA_CLASSES)
    assert [(o.class_name, o.line) for o in label_file.objects] == [
        ('plane', 1),
        ('harbor', 8),
    ]
    assert all(np.isfinite(o.polygon).all() for o in label_file.objects)
    reasons = [
        'not finite',
        'not finite',
        'absurd',
        'absurd',
        'degenerate',
        'degenerate',
    ]
    assert len(label_file.problems) == len(reasons)
    for line_number, reason, problem in zip(
        range(2, 8), reasons, label_file.problems
    ):
        assert problem.startswith(f'{path}:{line_number}: ')
        assert reason in problem, problem
