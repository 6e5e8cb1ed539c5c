"""tools/dataset_converters/levir_cd.py on a 1024x1024 mosaic of the bundled real tiles."""

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from mmslffm.testing import DEMO_DATA, run_tool
from mmslffm.testing.bad_files import bomb_png, truncated_copy

DEMO = DEMO_DATA / 'levir_cd'
TOOL = 'tools/dataset_converters/levir_cd.py'


def mosaic(folder: str) -> np.ndarray:
    """16 real 256 tiles (the 6 bundled ones, repeated) as one 1024 image."""
    tiles = [
        np.asarray(Image.open(path))
        for path in sorted((DEMO / folder).glob('*.png'))
    ]
    rows = [
        np.concatenate(
            [tiles[(4 * r + c) % len(tiles)] for c in range(4)], axis=1
        )
        for r in range(4)
    ]
    return np.concatenate(rows, axis=0)


def make_release(root: Path, names=('test_1.png', 'test_2.png')) -> dict:
    images = {folder: mosaic(folder) for folder in ('A', 'B', 'label')}
    for folder, image in images.items():
        (root / 'test' / folder).mkdir(parents=True)
        for name in names:
            Image.fromarray(image).save(root / 'test' / folder / name)
    return images


def run(*args) -> subprocess.CompletedProcess:
    """The converter with ``args``; its exit status is the test's to check."""
    return run_tool([TOOL, *args], check=False)


def test_cuts_each_pair_into_16_exact_tiles(tmp_path):
    images = make_release(tmp_path / 'LEVIR-CD')
    result = run(tmp_path / 'LEVIR-CD', tmp_path / 'tiles', '--splits', 'test')
    assert result.returncode == 0, result.stderr
    assert 'wrote 32 tiles' in result.stdout
    for folder, image in images.items():
        tiles = sorted((tmp_path / 'tiles' / 'test' / folder).glob('*.png'))
        assert len(tiles) == 32
        tile = np.asarray(Image.open(tiles[0].parent / 'test_2_0512_0256.png'))
        np.testing.assert_array_equal(tile, image[256:512, 512:768])
    label = np.asarray(
        Image.open(
            tmp_path / 'tiles' / 'test' / 'label' / 'test_1_0000_0000.png'
        )
    )
    assert set(np.unique(label).tolist()) <= {0, 255}


def test_incomplete_pair_is_reported_and_skipped(tmp_path):
    make_release(tmp_path / 'LEVIR-CD')
    (tmp_path / 'LEVIR-CD' / 'test' / 'label' / 'test_1.png').unlink()
    result = run(tmp_path / 'LEVIR-CD', tmp_path / 'tiles', '--splits', 'test')
    assert result.returncode == 1
    assert 'label/test_1.png' in result.stderr
    assert len(list((tmp_path / 'tiles' / 'test' / 'A').glob('*.png'))) == 16


def test_missing_split_folder_is_a_one_line_error(tmp_path):
    (tmp_path / 'LEVIR-CD').mkdir()
    result = run(
        tmp_path / 'LEVIR-CD', tmp_path / 'tiles', '--splits', 'train'
    )
    assert result.returncode == 2
    assert 'train/A' in result.stderr and 'Traceback' not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    missing_root = run(tmp_path / 'nowhere', tmp_path / 'tiles')
    assert missing_root.returncode == 2
    assert 'nowhere' in missing_root.stderr


def test_truncated_and_bomb_files_are_reported_and_the_rest_converted(
    tmp_path,
):
    root = tmp_path / 'LEVIR-CD'
    make_release(root, names=('test_1.png', 'test_2.png', 'test_3.png'))
    truncated_copy(
        root / 'test' / 'B' / 'test_1.png',
        root / 'test' / 'B' / 'test_1.png',
        0.5,
    )
    bomb_png(root / 'test' / 'label' / 'test_3.png')
    result = run(root, tmp_path / 'tiles', '--splits', 'test')
    assert result.returncode == 1, result.stderr
    assert 'Traceback' not in result.stderr
    assert 'wrote 16 tiles' in result.stdout
    skipped = [
        line
        for line in result.stderr.splitlines()
        if line.startswith('skipped: ')
    ]
    assert len(skipped) == 2
    assert str(root / 'test' / 'B' / 'test_1.png') in skipped[0]
    assert str(root / 'test' / 'label' / 'test_3.png') in skipped[1]
    tiles = sorted((tmp_path / 'tiles' / 'test' / 'A').glob('*.png'))
    assert {t.name.split('_0')[0] for t in tiles} == {'test_2'}
