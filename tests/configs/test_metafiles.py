"""Every task folder under configs/ documents its configs in a metafile.yml.

The metafiles follow OpenMMLab's model-index format (``Collections`` and ``Models``, as in
mmpretrain's ``configs/*/metafile.yml``). What is checked:

* each task folder (a folder of configs/ other than ``_base_``) has a ``README.md`` and a
  ``metafile.yml`` that parses;
* every ``Config:`` names an existing config, and every model's ``Name`` is its config's
  file name without ``.py`` (the OpenMMLab convention that lets a name find its config);
* every config that is not a small one (``demo`` in the file name) appears in exactly one
  metafile entry, so a new recipe cannot ship undocumented;
* ``Results`` are ``null`` or a list of ``{Task, Dataset, Metrics}`` whose metric values
  are numbers (reference figures, not strings such as ``'79.15 (server)'``);
* a ``Weights`` entry, if any, names a file that exists or an https URL: no empty
  placeholder promising a checkpoint nobody released.
"""

from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_ROOT = REPO_ROOT / 'configs'
TASK_FOLDERS = sorted(
    folder.name
    for folder in CONFIG_ROOT.iterdir()
    if folder.is_dir() and folder.name != '_base_'
)
RESULT_KEYS = {'Task', 'Dataset', 'Metrics'}


def _metafile(folder: str) -> dict:
    """The parsed ``configs/<folder>/metafile.yml``: a dict with ``Models``."""
    with open(CONFIG_ROOT / folder / 'metafile.yml', encoding='utf-8') as file:
        return yaml.safe_load(file)


def _documented_configs() -> Counter:
    """How many metafile entries name each config path (relative to the repo)."""
    counts = Counter()
    for folder in TASK_FOLDERS:
        path = CONFIG_ROOT / folder / 'metafile.yml'
        if path.is_file():
            counts.update(
                model['Config'] for model in _metafile(folder)['Models']
            )
    return counts


def test_task_folders_are_discovered():
    assert {'pretrain', 'dota', 'potsdam', 'levir_cd'} <= set(TASK_FOLDERS)


@pytest.mark.parametrize('folder', TASK_FOLDERS)
def test_metafile_parses_and_points_at_configs(folder):
    assert (CONFIG_ROOT / folder / 'README.md').is_file()
    metafile = _metafile(folder)
    collections = {
        collection['Name'] for collection in metafile['Collections']
    }
    for collection in metafile['Collections']:
        assert (REPO_ROOT / collection['README']).is_file(), collection
    assert metafile['Models'], f'{folder}/metafile.yml lists no model'
    for model in metafile['Models']:
        config = REPO_ROOT / model['Config']
        assert config.is_file(), f'{model["Name"]}: no {model["Config"]}'
        assert config.parent == CONFIG_ROOT / folder, model['Config']
        assert model['Name'] == config.stem
        assert model['In Collection'] in collections, model['Name']
        assert model['Metadata']['Training Data'], model['Name']


@pytest.mark.parametrize('folder', TASK_FOLDERS)
def test_every_recipe_config_is_documented_once(folder):
    counts = _documented_configs()
    for config in sorted((CONFIG_ROOT / folder).glob('*.py')):
        if 'demo' in config.stem:
            continue
        name = config.relative_to(REPO_ROOT).as_posix()
        assert counts[name] == 1, (
            f'{name} is named by {counts[name]} metafile entries, expected 1'
        )


@pytest.mark.parametrize('folder', TASK_FOLDERS)
def test_results_are_numbers_and_weights_exist(folder):
    for model in _metafile(folder)['Models']:
        for result in model['Results'] or []:
            assert set(result) == RESULT_KEYS, (model['Name'], result)
            assert result['Metrics'], model['Name']
            for metric, value in result['Metrics'].items():
                is_number = isinstance(value, (int, float))
                assert is_number and not isinstance(value, bool), (
                    f'{model["Name"]}: {metric} = {value!r} is not a number'
                )
        if 'Weights' in model:
            weights = model['Weights']
            assert weights and (
                weights.startswith('https://')
                or (REPO_ROOT / weights).is_file()
            ), f'{model["Name"]}: Weights {weights!r} is no released file'
