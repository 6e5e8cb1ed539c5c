"""Configs read as recipes: a shallow ``_base_`` tree and short headers that point to the docs.

* A config users run inherits at most three levels of ``_base_`` (its bases are level 1, their
  bases level 2, ...), as in mmpretrain and mmrotate: a config names a few model / dataset /
  schedule / runtime bases or the config it varies, rarely a base of a base.
* Every config starts with at most three comment lines; a config users run names its task's
  README (``configs/<task>/README.md``), where the commands, data layout and recipe live, and
  every ``configs/...`` or ``tools/...`` path a header names exists.
"""

import re
from pathlib import Path

import pytest

from mmslffm.testing import REPO_ROOT
from mmslffm.testing.config_files import (
    ConfigSources,
    config_files,
    header,
    leaf_configs,
)

MAX_DEPTH = 3
MAX_HEADER_LINES = 3
PATH_IN_TEXT = re.compile(r'(?<![\w/.])((?:configs|tools)/[\w./-]*\w)')

SOURCES = ConfigSources()


def _name(path: Path) -> str:
    return (
        path.relative_to(REPO_ROOT).as_posix()
        if path.is_relative_to(REPO_ROOT)
        else str(path)
    )


def _deepest_chain(sources: ConfigSources, path: Path) -> list[Path]:
    bases = sources.base_files(path)
    if not bases:
        return [path]
    return [path, *_deepest_chain(sources, max(bases, key=sources.depth))]


def _check_depth(sources: ConfigSources, path: Path) -> None:
    depth = sources.depth(path)
    chain = ' -> '.join(p.name for p in _deepest_chain(sources, path))
    assert depth <= MAX_DEPTH, (
        f'{_name(path)} inherits {depth} levels ({chain}): name the bases '
        'of the config it inherits instead of that config'
    )


@pytest.mark.parametrize('path', leaf_configs(), ids=_name)
def test_inherits_at_most_three_levels(path):
    _check_depth(SOURCES, path)


def test_a_config_four_levels_deep_fails(tmp_path):
    # level_i.py inherits level_{i-1}.py; the second base of level_2 has no base
    (tmp_path / 'level_0.py').write_text('x = 1\n')
    (tmp_path / 'side.py').write_text('y = 1\n')
    (tmp_path / 'level_1.py').write_text("_base_ = './level_0.py'\n")
    for i in (2, 3, 4):
        bases = [f'./level_{i - 1}.py'] + (['./side.py'] if i == 2 else [])
        (tmp_path / f'level_{i}.py').write_text(f'_base_ = {bases!r}\n')
    sources = ConfigSources()
    assert [sources.depth(tmp_path / f'level_{i}.py') for i in range(5)] == [
        0,
        1,
        2,
        3,
        4,
    ]
    _check_depth(sources, tmp_path / 'level_3.py')
    with pytest.raises(AssertionError, match='inherits 4 levels'):
        _check_depth(sources, tmp_path / 'level_4.py')


@pytest.mark.parametrize('path', config_files(), ids=_name)
def test_header_is_short_and_points_to_the_docs(path):
    lines = header(path)
    assert 1 <= len(lines) <= MAX_HEADER_LINES, (
        f'{_name(path)}: a header of {len(lines)} comment lines; say in at most '
        f'{MAX_HEADER_LINES} what the config is and point to the README for the rest'
    )
    text = ' '.join(line.lstrip('# ') for line in lines)
    for named in PATH_IN_TEXT.findall(text):
        assert (REPO_ROOT / named).exists(), f'{_name(path)} names {named}'
    if '_base_' not in path.parts:
        readme = f'configs/{path.parent.name}/README.md'
        assert readme in text, f'{_name(path)}: name {readme} in the header'
