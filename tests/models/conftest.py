import pytest
from mmengine.registry import init_default_scope


@pytest.fixture
def mmseg_scope():
    """Build as the change-detection configs do (``default_scope='mmseg'``),
    whatever scope an earlier test left current."""
    init_default_scope('mmseg')
