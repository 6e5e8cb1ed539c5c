"""Fixtures shared by the whole suite; the helpers themselves are in mmslffm.testing."""

import pytest

from mmslffm.testing import run_tool


@pytest.fixture
def tool():
    return run_tool
