"""No dead keys: every top-level key of a merged config is read by something.

A key is read when mmengine's Runner or our code reads it (the allow-list below is built from
``Runner``'s signature and source and a grep of ``tools/*.py`` and ``mmslffm/``), or when a
config reads it: the file that assigns it uses the name, or a config inheriting that file reads
``_base_.key`` (e.g. ``tiny_demo_detector``, ``cpu_demo_poly_lr``). A key nothing reads, or an
override nothing reads (a ConvNeXt-L config setting ``backbone_checkpoint`` while its model takes
the checkpoint elsewhere), misleads whoever edits it. Keys other configs read across files
carry a comment where they are assigned, so the base documents what its users take from it.
"""

import inspect
import re
from pathlib import Path

import pytest
from mmengine.config import Config, ConfigDict
from mmengine.runner import Runner

from mmslffm.testing import REPO_ROOT
from mmslffm.testing.config_files import (
    ConfigSources,
    config_files,
    leaf_configs,
)

# `cfg.get('key')`, `cfg['key']`, `'key' in cfg`, `cfg.key` (also `self.cfg...`)
READ_PATTERNS = (
    r"(?<!\w)cfg\.get\(\s*['\"](\w+)['\"]",
    r"(?<!\w)cfg\[['\"](\w+)['\"]\]",
    r"['\"](\w+)['\"] (?:not )?in (?:self\.)?cfg\b",
    r'(?<!\w)cfg\.(\w+)\b',
)
# the dataset keys every OpenMMLab config has, documented by OpenMMLab's config guide
CONVENTIONAL_KEYS = {
    'dataset_type',
    'data_root',
    'train_pipeline',
    'test_pipeline',
}
CONFIG_METHODS = set(dir(Config)) | set(dir(ConfigDict))
# the code that is handed whole configs (models get their own sub-configs)
CODE_FILES = sorted(
    path
    for path in [
        *(REPO_ROOT / 'tools').glob('*.py'),
        *(REPO_ROOT / 'mmslffm').rglob('*.py'),
    ]
    if 'models' not in path.relative_to(REPO_ROOT).parts
)

SOURCES = ConfigSources()
LEAVES = leaf_configs()


def _shown(path: Path) -> str:
    return str(
        path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path
    )


def _keys_read_in(source: str) -> set[str]:
    found = set()
    for pattern in READ_PATTERNS:
        found.update(re.findall(pattern, source))
    return {key for key in found - CONFIG_METHODS if not key.startswith('_')}


def _keys_read_by_code() -> set[str]:
    """Top-level keys mmengine's Runner or our tools and package read."""
    runner = set(inspect.signature(Runner.__init__).parameters)
    runner -= {'self', 'cfg'}
    runner |= _keys_read_in(inspect.getsource(Runner))
    ours = set()
    for path in CODE_FILES:
        ours |= _keys_read_in(path.read_text())
    return runner | ours


CODE_KEYS = _keys_read_by_code()


def _unread(path: Path, readers: list[Path]) -> dict[str, Path]:
    keys = set(Config.fromfile(str(path)).keys())
    return SOURCES.unread_assignments(path, keys, CODE_KEYS, readers)


def test_the_allow_list_holds_what_runner_and_tools_read():
    # Runner.__init__ arguments, Runner's cfg.get reads, ours (SafeCheckpointRunner,
    # tools/*.py through mmslffm.apis.cli, the inference API)
    assert {
        'model',
        'train_dataloader',
        'default_hooks',
        'model_wrapper_cfg',
        'allow_partial_load',
        'runner_type',
        'test_pipeline',
    } <= CODE_KEYS
    assert not {'get', 'merge_from_dict', 'backbone_checkpoint'} & CODE_KEYS


@pytest.mark.parametrize(
    'path', LEAVES, ids=lambda p: p.relative_to(REPO_ROOT).as_posix()
)
def test_every_top_level_key_is_read(path):
    unread = _unread(path, config_files())
    assert not unread, '; '.join(
        f'{_shown(source)} sets `{key}` that no runner, tool or '
        f'config reads: remove it, or read it where it is needed'
        for key, source in unread.items()
    )


def test_an_injected_dead_key_is_found(tmp_path):
    recipe = (
        REPO_ROOT
        / 'configs/dota/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py'
    )
    leaf = tmp_path / 'leaf.py'
    leaf.write_text(
        f'_base_ = [{str(recipe)!r}]\n'
        'stray_setting = 3\n'
        # an override nobody reads although the base value it replaces is read
        "backbone_checkpoint = 'checkpoints/other.pth'\n"
        # read here: alive
        'num_outs = 4\n'
        'model = dict(neck=dict(num_outs=num_outs))\n'
    )
    assert _unread(leaf, [*config_files(), leaf]) == {
        'stray_setting': leaf,
        'backbone_checkpoint': leaf,
    }


def test_a_key_read_by_an_inheriting_config_is_alive(tmp_path):
    base = tmp_path / 'base.py'
    base.write_text('# helper\nhelper_lr = [dict(type="ConstantLR")]\n')
    leaf = tmp_path / 'leaf.py'
    leaf.write_text(
        "_base_ = ['./base.py']\nparam_scheduler = _base_.helper_lr\n"
    )
    assert _unread(leaf, [base, leaf]) == {}
    assert _unread(base, [base]) == {'helper_lr': base}


def _undocumented_helpers(files: list[Path]) -> list[str]:
    """Keys other configs read through ``_base_.key`` that have no comment where assigned."""
    missing = []
    for source in files:
        lines = source.read_text().splitlines()
        readers = [f for f in files if source in SOURCES.ancestors(f)]
        read_below = set().union(*(SOURCES.base_keys_read(f) for f in readers))
        for key, line in SOURCES.assigned_keys(source).items():
            if key not in read_below or key in CODE_KEYS | CONVENTIONAL_KEYS:
                continue
            above = lines[line - 2].lstrip() if line > 1 else ''
            if not above.startswith('#') and '#' not in lines[line - 1]:
                missing.append(f'{_shown(source)}:{line} {key}')
    return missing


def test_helper_keys_read_by_other_configs_are_documented():
    missing = _undocumented_helpers(config_files())
    assert not missing, (
        'say in a comment above each what the configs take it for: '
        + ', '.join(missing)
    )


def test_an_undocumented_helper_is_found(tmp_path):
    base = tmp_path / 'base.py'
    base.write_text('helper_lr = 1\n# documented\nother_lr = 2\n')
    leaf = tmp_path / 'leaf.py'
    leaf.write_text(
        "_base_ = ['./base.py']\nlr = _base_.helper_lr + _base_.other_lr\n"
    )
    (message,) = _undocumented_helpers([base, leaf])
    assert message.endswith('base.py:1 helper_lr')
