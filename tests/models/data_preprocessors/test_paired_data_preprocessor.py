"""Pair preprocessor: one image's statistics on both halves, same as mmseg's."""

import pytest
import torch
from mmseg.models.data_preprocessor import SegDataPreProcessor

from mmslffm.models.data_preprocessors import PairedSegDataPreProcessor

pytestmark = pytest.mark.usefixtures('mmseg_scope')

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def test_each_half_is_normalized_like_mmseg_does_one_image():
    pairs = [
        torch.randint(0, 256, (6, 32, 32), dtype=torch.uint8) for _ in range(2)
    ]
    ours = PairedSegDataPreProcessor(mean=MEAN, std=STD)
    reference = SegDataPreProcessor(mean=MEAN, std=STD)
    out = ours(dict(inputs=pairs, data_samples=None))['inputs']
    assert out.shape == (2, 6, 32, 32)
    for half in (slice(0, 3), slice(3, 6)):
        expected = reference(
            dict(inputs=[pair[half] for pair in pairs], data_samples=None)
        )['inputs']
        assert torch.allclose(out[:, half], expected)
    half_a = (
        pairs[0][:3].float() - torch.tensor(MEAN).view(3, 1, 1)
    ) / torch.tensor(STD).view(3, 1, 1)
    assert torch.allclose(out[0, :3], half_a)


def test_refuses_inputs_that_are_not_a_pair():
    preprocessor = PairedSegDataPreProcessor(mean=MEAN, std=STD)
    with pytest.raises(ValueError, match='6 channels'):
        preprocessor(dict(inputs=[torch.zeros(3, 8, 8)], data_samples=None))


def test_refuses_colour_swaps():
    with pytest.raises(ValueError, match='bgr_to_rgb'):
        PairedSegDataPreProcessor(mean=MEAN, std=STD, bgr_to_rgb=True)
