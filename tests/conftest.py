"""Fixtures shared by the whole suite; the helpers themselves are in mmslffm.testing."""

import inspect
import re
from functools import cache
from pathlib import Path

import pytest

from mmslffm.testing import run_tool

TESTS_ROOT = Path(__file__).resolve().parent


@pytest.fixture
def tool():
    return run_tool


# Test tiers: `make test-fast` runs what is not marked `e2e` (nor `multiprocess`).
# End-to-end tests run a command-line tool or a fresh interpreter, each of which starts the
# OpenMMLab stack: every test under tests/tools/ and tests/detection/, and elsewhere each test
# whose code, fixtures or module helpers call one of PROCESS_RUNNERS.
E2E_FOLDERS = ('tools', 'detection')
PROCESS_RUNNERS = (
    'run_tool',
    'tool_output',
    'run_in_process',
    'run_tool_with_peak_memory',
    'subprocess',
)


def _source(obj) -> str:
    try:
        return inspect.getsource(obj)
    except (OSError, TypeError):
        return ''


def _calls_any(source: str, names) -> bool:
    return any(re.search(rf'\b{re.escape(n)}\b', source) for n in names)


@cache
def _process_helpers(module) -> frozenset:
    """Names of the module's own functions that start a process."""
    return frozenset(
        name
        for name, obj in vars(module).items()
        if inspect.isfunction(obj)
        and obj.__module__ == module.__name__
        and _calls_any(_source(obj), PROCESS_RUNNERS)
    )


def _starts_a_process(item) -> bool:
    if 'tool' in item.fixturenames:
        return True
    names = PROCESS_RUNNERS + tuple(_process_helpers(item.module))
    sources = [_source(item.function)] + [
        _source(definition.func)
        for definitions in item._fixtureinfo.name2fixturedefs.values()
        for definition in definitions
        if definition.baseid  # the suite's own fixtures, not pytest's
    ]
    return any(_calls_any(source, names) for source in sources)


def pytest_collection_modifyitems(config, items):
    for item in items:
        folder = item.path.relative_to(TESTS_ROOT).parts[0]
        if folder in E2E_FOLDERS or (
            isinstance(item, pytest.Function) and _starts_a_process(item)
        ):
            item.add_marker(pytest.mark.e2e)
