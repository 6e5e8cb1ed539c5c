"""The ConvNeXt-B and -L pretraining configs build the official SLFFM release's model.

Golden figures: the release's own pretraining model (its sparse encoder, densify layers and
768-wide light decoder, built as its ``main.py`` builds them), summarised per part in
tests/data/official/model/pcfm_convnext.json (README.md there gives the commands).
"""

import json
from collections import Counter

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from torch import nn
from torch.overrides import TorchFunctionMode

from mmslffm.registry import MODELS
from mmslffm.testing import REPO_ROOT

RELEASE = json.loads(
    (REPO_ROOT / 'tests/data/official/model/pcfm_convnext.json').read_text()
)
CONFIGS = {
    'convnext_base': 'configs/pretrain/slffm_convnext-b_200e_geosense.py',
    'convnext_large': 'configs/pretrain/slffm_convnext-l_200e_geosense.py',
}
# our parameter-name prefix of each part of the release's summary
PARTS = {'encoder': 'backbone.', 'densify': 'densify.', 'decoder': 'neck.'}


class MetaTensors(TorchFunctionMode):
    """Tensor factories called without a device make meta tensors: shapes
    without memory or initialisation cost (ConvNeXt-L has 196 M encoder
    parameters). ``torch.device('meta')`` cannot be used: mmpretrain's
    ConvNeXt reads its drop-path rates from ``torch.linspace(...).item()``.
    """

    FACTORIES = {torch.empty, torch.zeros, torch.ones, torch.full}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = dict(kwargs or {})
        if func in self.FACTORIES and kwargs.get('device') is None:
            kwargs['device'] = 'meta'
        return func(*args, **kwargs)


@pytest.fixture(scope='module', params=sorted(CONFIGS))
def built(request):
    """(release summary, our model built from the config)."""
    cfg = Config.fromfile(REPO_ROOT / CONFIGS[request.param])
    cfg.model.data_preprocessor = cfg.data_preprocessor
    init_default_scope('mmpretrain')
    with MetaTensors():
        model = MODELS.build(cfg.model)
    return RELEASE[request.param], model


def _shape(tensor):
    return 'x'.join(map(str, tensor.shape))


def test_parameter_count_and_shapes_per_part(built):
    release, model = built
    params = dict(model.named_parameters())
    assert all(p.is_meta for p in params.values())
    assert sum(p.numel() for p in params.values()) == release['parameters']
    for part, prefix in PARTS.items():
        ours = [p for name, p in params.items() if name.startswith(prefix)]
        expected = release['parts'][part]
        assert sum(p.numel() for p in ours) == expected['parameters'], part
        assert len(ours) == expected['tensors'], part
        assert Counter(map(_shape, ours)) == expected['shapes'], part


def test_decoder_and_densify_widths(built):
    release, model = built
    up_steps = [
        m for m in model.neck.modules() if isinstance(m, nn.ConvTranspose2d)
    ]
    decoder_widths = [m.in_channels for m in up_steps]
    assert (
        decoder_widths + [model.neck.proj.in_channels]
        == (release['decoder_widths'])
    )
    assert [p.out_channels for p in model.densify.projections] == (
        release['densify_widths']
    )
    assert [t.shape[1] for t in model.densify.mask_tokens] == (
        release['mask_token_widths']
    )
