"""Tools on a machine without CUDA do not print the toolkits' notices about CUDA-only ops.

mmdet and mmcv print them on import when mmcv's compiled extension lacks those ops, as the
ops-less mmcv of the base environment (``make demo``) does. The subprocesses below hide the
extension to see the toolkits' real notices, whatever this environment's mmcv has.
"""

import subprocess
import sys

import pytest
import torch

from mmslffm.testing import REPO_ROOT
from mmslffm.utils.cuda_only_notices import CUDA_ONLY_NOTICES

pytestmark = pytest.mark.skipif(
    torch.cuda.is_available(), reason='the notices are kept where CUDA is'
)

WITHOUT_MMCV_EXT = """
import sys

class HideMmcvExtension:
    def find_spec(self, name, path=None, target=None):
        if name == 'mmcv._ext':
            raise ModuleNotFoundError("No module named 'mmcv._ext'")

sys.meta_path.insert(0, HideMmcvExtension())
"""
SILENCE = (
    'from mmslffm.utils.cuda_only_notices import silence_cuda_only_notices\n'
    'silence_cuda_only_notices()\n'
)
# what a model build imports: mmpretrain's models pull in mmdet's and mmcv's
IMPORT_MODELS = 'import mmpretrain.models\n'


def python_output(code: str) -> str:
    proc = subprocess.run(
        [sys.executable, '-c', code],
        cwd=REPO_ROOT,
        env={'PYTHONPATH': str(REPO_ROOT), 'PATH': '/usr/bin:/bin'},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return proc.stdout + proc.stderr


def test_the_toolkits_print_the_notices_without_the_filter():
    # the control: without it the test below would prove nothing
    output = python_output(WITHOUT_MMCV_EXT + IMPORT_MODELS)
    for notice in CUDA_ONLY_NOTICES:
        assert notice in output


def test_silenced_process_prints_neither_notice_but_other_warnings():
    output = python_output(
        WITHOUT_MMCV_EXT
        + SILENCE
        + IMPORT_MODELS
        + 'import warnings\nwarnings.warn("an unrelated warning")\n'
        + 'from mmengine.logging import MMLogger\n'
        + 'MMLogger.get_current_instance().warning("an unrelated line")\n'
    )
    for notice in CUDA_ONLY_NOTICES:
        assert notice not in output
    assert 'an unrelated warning' in output
    assert 'an unrelated line' in output
