"""tools/dataset_converters/dota_split.py as a user runs it: bad input reported, resumable."""

import os
import shutil

from mmslffm.testing import DEMO_DATA, run_tool
from mmslffm.testing.bad_files import DOTA_SCENE, bomb_png, truncated_copy

TOOL = 'tools/dataset_converters/dota_split.py'
DOTA_IMAGES = DOTA_SCENE.parent


def _run(*args, returncode=0):
    result = run_tool([TOOL, *args], check=False)
    assert result.returncode == returncode, result.stdout + result.stderr
    assert 'Traceback' not in result.stderr
    return result


def test_split_reports_bad_input_and_resumes(tmp_path):
    images, labels = tmp_path / 'images', tmp_path / 'labelTxt'
    shutil.copytree(DEMO_DATA / 'dota' / 'images', images)
    shutil.copytree(DEMO_DATA / 'dota' / 'labelTxt', labels)
    (images / 'P0666.png').write_bytes(b'\x89PNG truncated')  # undecodable
    (labels / 'P0666.txt').write_text('0 0 9 0 9 9 0 9 plane 0\n')
    (labels / 'P0777.txt').write_text('0 0 9 0 9 9 0 9 plane 0\n')  # no image
    with (labels / 'P0075.txt').open('a') as handle:
        handle.write(
            '1 2 3 4 plane 0\n'
            'nan 0 50 0 50 50 0 50 plane 0\n'
            '9000 9000 9050 9000 9050 9050 9000 9050 plane 0\n'
        )
    out = tmp_path / 'split'
    args = [
        '--img-dir',
        images,
        '--ann-dir',
        labels,
        '--out-dir',
        out,
        '--patch-size',
        '256',
        '--gap',
        '64',
    ]

    first = _run(*args, '--nproc', '2', returncode=1)
    assert '3 scenes, 0 already split, 3 to do' in first.stdout
    problems = (out / 'split_problems.log').read_text()
    assert f'{labels / "P0777.txt"}: no image' in problems
    assert f'{images / "P0666.png"}: ' in problems
    assert f'{labels / "P0075.txt"}:5: expected 8 coordinates' in problems
    assert f'{labels / "P0075.txt"}:6: coordinates are not finite' in problems
    assert f'{labels / "P0075.txt"}:7: polygon lies outside' in problems
    names = sorted(os.listdir(out / 'images'))
    assert names and all('__1__' in n and '___' in n for n in names)
    assert not any(n.startswith('P0666') for n in names)
    assert sorted(os.listdir(out / 'annfiles')) == [
        n.replace('.png', '.txt') for n in names
    ]
    for name in os.listdir(out / 'annfiles'):
        assert 'nan' not in (out / 'annfiles' / name).read_text()
    # the undecodable scene is not marked done: a re-downloaded copy is split
    assert 'P0666.png' not in (out / 'split_done.txt').read_text()
    shutil.copy(images / 'P1888.png', images / 'P0666.png')
    (labels / 'P0666.txt').write_text((labels / 'P1888.txt').read_text())
    again = _run(*args, returncode=1)  # P0777.txt still has no image
    assert '3 scenes, 2 already split, 1 to do' in again.stdout
    new = sorted(set(os.listdir(out / 'images')) - set(names))
    assert new and all(n.startswith('P0666__') for n in new)
    assert (out / 'split_problems.log').read_text().startswith(problems)

    done = _run(*args, returncode=1)
    assert '3 scenes, 3 already split, 0 to do' in done.stdout


def test_truncated_bomb_and_looping_scenes_are_logged_as_they_come(tmp_path):
    images = tmp_path / 'images'
    images.mkdir()
    truncated_copy(DOTA_IMAGES / 'P0075.png', images / 'A_cut.png', 0.6)
    shutil.copy(DOTA_IMAGES / 'P1888.png', images / 'B_good.png')
    bomb_png(images / 'C_bomb.png')
    (images / 'D_loop.png').symlink_to(images / 'D_loop.png')
    out = tmp_path / 'split'
    result = _run(
        '--img-dir',
        images,
        '--out-dir',
        out,
        '--patch-size',
        '512',
        '--gap',
        '0',
        returncode=1,
    )
    log = (out / 'split_problems.log').read_text().splitlines()
    assert log[0].startswith('# ')  # one header line per run
    assert log[1].startswith(f'{images / "A_cut.png"}: ')
    assert log[2].startswith(f'{images / "C_bomb.png"}: ')
    assert 'decompression bomb' in log[2]
    assert log[3].startswith(f'{images / "D_loop.png"}: broken or looping')
    assert '3 problems' in result.stderr
    assert (out / 'split_done.txt').read_text() == 'B_good.png\n'
    assert sorted(os.listdir(out / 'images'))[0].startswith('B_good__1__0')


def test_missing_input_folder_is_exit_2_in_one_line(tmp_path):
    result = _run(
        '--img-dir',
        tmp_path / 'nowhere',
        '--out-dir',
        tmp_path / 'out',
        returncode=2,
    )
    assert 'nowhere' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
