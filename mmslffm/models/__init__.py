"""Models of mmslffm; importing this registers them in the ``mmslffm`` scope."""

from .backbones import *  # noqa: F401,F403
from .change_detection import *  # noqa: F401,F403
from .cpu_distributed import CPUDistributedDataParallel, CPUSyncBatchNorm  # noqa: F401
from .selfsup import *  # noqa: F401,F403
