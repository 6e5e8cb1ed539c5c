"""Fixtures: copies of the bundled real LEVIR-CD tiles in tmp_path."""

import shutil
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / 'demo' / 'data' / 'levir_cd'


@pytest.fixture
def levir_bit_layout(tmp_path) -> Path:
    """BIT layout: A/ B/ label/ list/all.txt (a copy of demo/data/levir_cd)."""
    root = tmp_path / 'levir'
    shutil.copytree(DEMO, root)
    return root


@pytest.fixture
def levir_split_layout(tmp_path) -> Path:
    """Converter layout: <split>/{A,B,label}, split taken from the tile name."""
    root = tmp_path / 'levir_tiles'
    for image in sorted((DEMO / 'A').glob('*.png')):
        split = image.name.split('_')[0]
        for folder in ('A', 'B', 'label'):
            target = root / split / folder
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(DEMO / folder / image.name, target / image.name)
    return root
