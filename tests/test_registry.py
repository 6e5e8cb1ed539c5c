"""Our modules resolve by name from our scope and, prefixed, from other libraries' scopes.

Each check runs in a fresh interpreter that never imports mmslffm itself, so it proves that
registry ``locations`` do the importing (no ``custom_imports`` needed).
"""

import subprocess
import sys

import pytest

from mmslffm.testing import REPO_ROOT

BUILD = """
from mmengine.registry import init_default_scope
from {registry} import MODELS
init_default_scope('{scope}')
model = MODELS.build(dict(type='{type}', arch='test'))
print(type(model).__module__, type(model).__name__)
"""


@pytest.mark.parametrize(
    'scope, registry, type_name',
    [
        ('mmslffm', 'mmslffm.registry', 'SparseConvNeXt'),
        ('mmrotate', 'mmrotate.registry', 'mmslffm.SparseConvNeXt'),
        ('mmseg', 'mmseg.registry', 'mmslffm.SparseConvNeXt'),
        ('mmpretrain', 'mmpretrain.registry', 'mmslffm.SparseConvNeXt'),
    ],
)
def test_backbone_builds_from_scope(scope, registry, type_name):
    code = BUILD.format(registry=registry, scope=scope, type=type_name)
    proc = subprocess.run(
        [sys.executable, '-c', code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={'PYTHONPATH': str(REPO_ROOT), 'PATH': ''},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().splitlines()[-1].split() == [
        'mmslffm.models.backbones.sparse_convnext',
        'SparseConvNeXt',
    ]
