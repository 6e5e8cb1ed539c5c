"""tools/dataset_converters/dota_split.py as a user runs it: bad input reported, resumable."""
import os
import shutil

from mmslffm.testing import DEMO_DATA, run_tool

TOOL = 'tools/dataset_converters/dota_split.py'


def test_split_reports_bad_input_and_resumes(tmp_path):
    images, labels = tmp_path / 'images', tmp_path / 'labelTxt'
    shutil.copytree(DEMO_DATA / 'dota' / 'images', images)
    shutil.copytree(DEMO_DATA / 'dota' / 'labelTxt', labels)
    (images / 'P0666.png').write_bytes(b'\x89PNG truncated')   # undecodable
    (labels / 'P0666.txt').write_text('0 0 9 0 9 9 0 9 plane 0\n')
    (labels / 'P0777.txt').write_text('0 0 9 0 9 9 0 9 plane 0\n')  # no image
    with (labels / 'P0075.txt').open('a') as handle:
        handle.write('1 2 3 4 plane 0\n')
    out = tmp_path / 'split'
    args = ['--img-dir', str(images), '--ann-dir', str(labels), '--out-dir',
            str(out), '--patch-size', '256', '--gap', '64']

    first = run_tool([TOOL, *args, '--nproc', '2'])
    assert '3 scenes, 0 already split, 3 to do' in first.stdout
    problems = (out / 'split_problems.log').read_text()
    assert f'{labels / "P0777.txt"}: no image' in problems
    assert f'{images / "P0666.png"}: image could not be decoded' in problems
    assert f'{labels / "P0075.txt"}:5: expected 8 coordinates' in problems
    names = sorted(os.listdir(out / 'images'))
    assert names and all('__1__' in n and '___' in n for n in names)
    assert sorted(os.listdir(out / 'annfiles')) == [
        n.replace('.png', '.txt') for n in names
    ]

    again = run_tool([TOOL, *args])
    assert '3 scenes, 3 already split, 0 to do' in again.stdout
    assert sorted(os.listdir(out / 'images')) == names
