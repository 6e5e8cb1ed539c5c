"""Models of mmslffm; importing this registers them in the ``mmslffm`` scope."""

from .backbones import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .decode_heads import *  # noqa: F401,F403
from .segmentors import *  # noqa: F401,F403
from .selfsup import *  # noqa: F401,F403
from .wrappers import *  # noqa: F401,F403
