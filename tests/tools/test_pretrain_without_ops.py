"""Pretraining runs on an mmcv installed without its compiled ops (the base environment that
`make demo` starts from while the ops build): nothing it imports may load ``mmcv._ext``."""

import subprocess
import sys

from mmslffm.testing import REPO_ROOT as REPO

SCRIPT = """
import sys
sys.modules['mmcv._ext'] = None  # as in an ops-less mmcv wheel: importing it fails
import torch
from mmengine.registry import MODELS, init_default_scope
from mmslffm.utils import load_config
cfg = load_config('configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py',
                  {'model.backbone.arch': 'test', 'model.neck.feature_dim': 64})
init_default_scope(cfg.default_scope)
cfg.model.setdefault('data_preprocessor', cfg.data_preprocessor)  # as Runner
model = MODELS.build(cfg.model)
import mmslffm.datasets, mmslffm.engine  # noqa: E401  (dataset, hooks)
from mmslffm.apis import export_backbone  # noqa: F401
from mmslffm.visualization import render_reconstruction  # noqa: F401
batch = model.data_preprocessor(dict(
    inputs=[torch.rand(2, 3, 128, 128) * 255], data_samples=None))['inputs']
loss = model.loss(batch, None)
print('loss keys', sorted(loss))
"""


def test_pretraining_imports_no_compiled_op():
    result = subprocess.run(
        [sys.executable, '-c', SCRIPT],
        cwd=REPO,
        env={'PYTHONPATH': str(REPO), 'PATH': '/usr/bin'},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'loss keys' in result.stdout
