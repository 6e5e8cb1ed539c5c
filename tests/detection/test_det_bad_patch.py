"""A detection training run that meets a zero-byte and a truncated DOTA patch finishes, with
both skipped, named and counted (tools/train.py on the bundled scenes, 2 iterations, 2 dataloader
workers: no worker dies)."""

import os
import re
import subprocess
import sys

from mmslffm.dataset_converters.dota_split import SplitSettings, split_scene
from mmslffm.datasets.dota_labels import DOTA_CLASSES
from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.testing.bad_files import DOTA_SCENE, truncated_copy

CONFIG = 'configs/dota/oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py'


def test_training_skips_and_counts_unreadable_patches(tmp_path):
    split = tmp_path / 'split'
    for folder in ('images', 'annfiles'):
        (split / folder).mkdir(parents=True)
    labels = DOTA_SCENE.parent.parent / 'labelTxt'
    report = split_scene(
        str(DOTA_SCENE),
        str(labels / 'P0075.txt'),
        DOTA_CLASSES,
        str(split / 'images'),
        str(split / 'annfiles'),
        SplitSettings(patch_size=256, gap=64),
    )
    assert report.patches >= 3 and report.problems == []
    patches = sorted((split / 'images').glob('*.png'))[:3]
    for label in (split / 'annfiles').glob('*.txt'):
        if label.stem not in {p.stem for p in patches}:
            label.unlink()
    empty, truncated = patches[0], patches[1]
    empty.write_bytes(b'')
    truncated_copy(truncated, truncated, 0.5)

    work = tmp_path / 'work'
    roots = [
        f'{loader}.dataset.data_root={split}/'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]
    env = dict(os.environ, PYTHONPATH=str(REPO), OMP_NUM_THREADS='2')
    result = subprocess.run(
        [
            sys.executable,
            'tools/train.py',
            CONFIG,
            '--work-dir',
            str(work),
            '--no-validate',
            '--cfg-options',
            *roots,
            'train_cfg.max_iters=2',
            'train_dataloader.num_workers=2',
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert (work / 'iter_2.pth').is_file()
    # 3 patches, batch 2, 2 iterations: both bad ones are drawn
    assert (
        f'skipped unreadable sample {empty}: UnreadableImageError: '
        f'{empty}: empty file' in output
    )
    assert f'skipped unreadable sample {truncated}: ' in output
    counts = [int(n) for n in re.findall(r'\((\d+) skipped so far\)', output)]
    assert counts and max(counts) >= 2
