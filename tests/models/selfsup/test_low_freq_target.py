import numpy as np
import pytest
import torch

from mmslffm.models.selfsup import LowFreqFilteredTarget
from mmslffm.testing import REPO_ROOT

MEAN = (123.675, 116.28, 103.53)
STD = (58.395, 57.12, 57.375)


def _target(**kwargs):
    return LowFreqFilteredTarget(mean=MEAN, std=STD, **kwargs)


def _normalized(pixels):
    return (pixels - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(
        STD
    ).view(1, 3, 1, 1)


def _pixels(normalized):
    return normalized * torch.tensor(STD).view(1, 3, 1, 1) + torch.tensor(
        MEAN
    ).view(1, 3, 1, 1)


def _spectrum(pixels):
    return torch.fft.fftshift(torch.fft.fft2(pixels.double()), dim=(-2, -1))


@pytest.fixture
def image():
    # positive everywhere, so the low-pass has no negative lobes to fold
    return _normalized(
        100
        + 55
        * torch.rand(
            2, 3, 224, 224, generator=torch.Generator().manual_seed(0)
        )
    )


def test_no_energy_outside_the_radius(image):
    target = _target(radius=40)
    filtered = _pixels(target.low_pass(image))
    spectrum = _spectrum(filtered).abs() ** 2
    rows = torch.arange(224) - 112
    distance = torch.hypot(rows[:, None].double(), rows[None, :].double())
    outside = spectrum[..., distance > 40].sum()
    assert outside / spectrum.sum() < 1e-9
    # and the input did have energy there
    original = _spectrum(_pixels(image)).abs() ** 2
    assert original[..., distance > 40].sum() / original.sum() > 1e-4


def test_full_radius_gives_back_the_input(image):
    target = _target(radius=1000)
    torch.testing.assert_close(
        target.low_pass(image), image, atol=1e-4, rtol=0
    )


def test_mean_is_preserved(image):
    filtered = _pixels(_target(radius=5).low_pass(image))
    torch.testing.assert_close(
        filtered.mean((-2, -1)),
        _pixels(image).mean((-2, -1)),
        atol=1e-3,
        rtol=0,
    )


def test_radius_scales_with_image_side():
    target = _target(radius=40)
    mask = target.frequency_mask(448, 448, torch.device('cpu'))
    assert mask[224, 224 + 80] == 1 and mask[224, 224 + 81] == 0
    mask = target.frequency_mask(224, 224, torch.device('cpu'))
    assert mask[112, 112 + 40] == 1 and mask[112, 112 + 41] == 0


def test_frequency_mask_is_built_once_per_size(image):
    target = _target()
    first = target.frequency_mask(224, 224, image.device)
    for _ in range(3):
        target(image)
    assert len(target._masks) == 1
    assert target.frequency_mask(224, 224, image.device) is first
    target(image[..., :128, :128])
    assert len(target._masks) == 2


def test_patches_have_zero_mean_unit_std(image):
    out = _target()(image)
    patches = (
        out.reshape(2, 3, 7, 32, 7, 32)
        .permute(0, 2, 4, 1, 3, 5)
        .reshape(2, 49, -1)
    )
    torch.testing.assert_close(
        patches.mean(-1), torch.zeros(2, 49), atol=1e-5, rtol=0
    )
    torch.testing.assert_close(
        patches.std(-1), torch.ones(2, 49), atol=1e-4, rtol=0
    )


def test_raw_pixel_target_for_ablation(image):
    target = _target(radius=None)
    assert target.low_pass(image) is image
    torch.testing.assert_close(target(image), target.normalize_patches(image))


def test_gaussian_pass_band():
    target = _target(radius=40, filter_type='gaussian')
    mask = target.frequency_mask(224, 224, torch.device('cpu'))
    assert mask[112, 112] == 1
    assert mask[112, 152] == pytest.approx(torch.exp(torch.tensor(-0.5)))
    assert (mask[112, 112:].diff() < 0).all()


def test_runs_in_float32_under_autocast(image):
    target = _target()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        out = target(image.bfloat16())
    assert out.dtype == torch.float32 and torch.isfinite(out).all()


def test_bad_options_are_clear_errors(image):
    with pytest.raises(ValueError, match="filter_type 'box'"):
        _target(filter_type='box')
    with pytest.raises(ValueError, match='needs the input mean/std'):
        LowFreqFilteredTarget()(image)
    with pytest.raises(ValueError, match='whole number of 32x32'):
        _target()(image[..., :100, :100])


# ---------------------------------------------- the official release's target
# Golden values computed by the official SLFFM release's own code on real tiles
# (tests/data/official/target/README.md gives the commands).
OFFICIAL = REPO_ROOT / 'tests/data/official/target'
OFFICIAL_224 = (
    'dota_P1888_x0000_y0000_224.npz',
    'loveda_1_x0000_y0000_224.npz',
)
OFFICIAL_ODD = 'dior_00001_x0256_y0256_97.npz'


def _official(name):
    arrays = np.load(OFFICIAL / name)
    image = _normalized(torch.from_numpy(arrays['image']).float()[None])
    return arrays, image


def _stored_patches(target, patches, p=32):
    """(N, C, p, p): the patches at the (row, column) pairs ``patches``."""
    return torch.stack(
        [
            target[0, :, r * p : (r + 1) * p, c * p : (c + 1) * p]
            for r, c in patches
        ]
    )


def _assert_matches_release(ours, golden):
    """Equal to 1e-5 of the golden's largest magnitude (float32 rounding)."""
    torch.testing.assert_close(
        ours, golden, rtol=1e-5, atol=1e-5 * golden.abs().max().item()
    )


@pytest.mark.parametrize('name', OFFICIAL_224)
def test_ideal_official_gives_the_release_target_at_224(name):
    arrays, image = _official(name)
    assert arrays['radius'] == 40
    target = _target(radius=40, filter_type='ideal_official')(image)
    golden = torch.from_numpy(arrays['target'])
    _assert_matches_release(_stored_patches(target, arrays['patches']), golden)


@pytest.mark.parametrize('name', OFFICIAL_224)
def test_default_target_differs_from_the_release_at_224(name):
    """Measured: up to 4.2% (DOTA tile) and 2.3% (LoveDA tile) of a patch's
    range on the stored patches."""
    arrays, image = _official(name)
    target = _target(radius=40)(image)
    golden = torch.from_numpy(arrays['target'])
    difference = (_stored_patches(target, arrays['patches']) - golden).abs()
    patch_range = golden.amax((1, 2, 3)) - golden.amin((1, 2, 3))
    assert (difference.amax((1, 2, 3)) / patch_range).max() > 0.02


@pytest.mark.parametrize('filter_type', ['ideal', 'ideal_official'])
def test_both_ideal_filters_give_the_release_low_pass_at_an_odd_size(
    filter_type,
):
    arrays, image = _official(OFFICIAL_ODD)
    assert image.shape[-1] == 97 and arrays['radius'] == 40 * 97 / 224
    low_pass = _target(radius=40, filter_type=filter_type).low_pass(image)
    _assert_matches_release(low_pass[0], torch.from_numpy(arrays['low_pass']))


def test_ideal_pass_bands_differ_only_at_even_sides():
    def bands(side):
        cpu = torch.device('cpu')
        return [
            _target(filter_type=f).frequency_mask(side, side, cpu).bool()
            for f in ('ideal', 'ideal_official')
        ]

    ours, official = bands(224)
    assert (official & ~ours).sum() == 56 and (ours & ~official).sum() == 57
    # the release's circle is off-centre: not symmetric under k -> -k
    assert not torch.equal(official[1:, 1:], official[1:, 1:].flip(0, 1))
    assert torch.equal(ours[1:, 1:], ours[1:, 1:].flip(0, 1))
    ours, official = bands(97)
    assert torch.equal(ours, official)
