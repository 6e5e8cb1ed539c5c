"""Fixtures shared by the whole suite; the helpers themselves are in mmslffm.testing."""

from pathlib import Path

import pytest

from mmslffm.testing import run_tool

TESTS_ROOT = Path(__file__).resolve().parent


@pytest.fixture
def tool():
    return run_tool


# Test tiers: `make test-fast` runs what is not marked `e2e` (nor `multiprocess`).
# End-to-end tests are those that run a command-line tool (tests/tools/, tests/detection/,
# or any test using the `tool` fixture): each starts the OpenMMLab stack and trains or tests.
E2E_FOLDERS = ('tools', 'detection')


def pytest_collection_modifyitems(config, items):
    for item in items:
        folder = item.path.relative_to(TESTS_ROOT).parts[0]
        if folder in E2E_FOLDERS or 'tool' in getattr(
            item, 'fixturenames', ()
        ):
            item.add_marker(pytest.mark.e2e)
