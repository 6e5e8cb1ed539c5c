"""The SLFFM reconstruction target: a low-pass filtered image, normalized per patch.

mmpretrain has PixMIM's low-frequency generator only inside its ViT algorithm, rebuilt on every
call on the CPU (the reference's defect too). This one caches each frequency mask per (size,
device), runs in float32 under AMP, and returns the target in image layout so mmpretrain's
``SparKPretrainHead`` can patchify it.

References: the target is SLFFM's (Dong et al., IEEE TGRS 2024: an ideal circular low-pass of
radius 40 at 224 px in the centred 2-D spectrum); the low-frequency target itself comes from
PixMIM (Liu et al., "PixMIM: Rethinking Pixel Reconstruction in Masked Image Modeling", 2023).

Two ideal filters: ``'ideal'`` centres the circle on zero frequency, so its pass band is
symmetric under k -> -k and the inverse transform is real (its magnitude is the filtered
image). ``'ideal_official'`` is the pass band of the official SLFFM release (PixMIM's
generator): the circle centred at ((H-1)/2, (W-1)/2) of the shifted spectrum, half a bin off
zero frequency when a side is even, so the inverse is complex and the target is its
magnitude. At odd sides the two are the same filter.
"""

from typing import Dict, Optional, Sequence, Tuple

import torch
from torch import nn

from mmslffm.registry import MODELS

FILTERS = ('ideal', 'ideal_official', 'gaussian')


@MODELS.register_module()
class LowFreqFilteredTarget(nn.Module):
    """Low-pass filter images in the Fourier domain, then normalize each patch.

    Args:
        radius: cut-off radius in frequency bins at ``reference_size`` (40 at
            224 in SLFFM), scaled with the image side for other sizes. ``None``
            keeps raw pixels (plain SparK target, for ablations).
        reference_size: the side ``radius`` is given for.
        filter_type: 'ideal' (circular pass band centred on zero frequency,
            SLFFM), 'ideal_official' (the official release's circle, centred
            half a bin off zero frequency at even sides; see the module
            docstring) or 'gaussian' (``exp(-d^2 / 2 radius^2)``).
        mean, std: the dataset normalization of the inputs (0-255 scale),
            undone before filtering and applied again after. When None,
            :meth:`set_normalization` must be called (SLFFM passes its data
            preprocessor's).
        patch_size: side of the patches normalized to mean 0 / std 1
            (statistics over the patch_size^2 * C values; 0 disables).

    Shapes:
        forward: images (B, C, H, W) normalized -> target (B, C, H, W).
    """

    def __init__(
        self,
        radius: Optional[float] = 40.0,
        reference_size: int = 224,
        filter_type: str = 'ideal',
        mean: Optional[Sequence[float]] = None,
        std: Optional[Sequence[float]] = None,
        patch_size: int = 32,
    ):
        super().__init__()
        if filter_type not in FILTERS:
            raise ValueError(
                f"Unknown filter_type '{filter_type}': choose one of {FILTERS}"
            )
        self.radius = radius
        self.reference_size = reference_size
        self.filter_type = filter_type
        self.patch_size = patch_size
        self.register_buffer('mean', None, persistent=False)
        self.register_buffer('std', None, persistent=False)
        if mean is not None and std is not None:
            self.set_normalization(mean, std)
        self._masks: Dict[Tuple[int, int, torch.device], torch.Tensor] = {}

    def set_normalization(
        self, mean: Sequence[float], std: Sequence[float]
    ) -> None:
        """The per-channel mean/std the inputs were normalized with."""
        self.mean = torch.as_tensor(mean, dtype=torch.float32).view(
            1, -1, 1, 1
        )
        self.std = torch.as_tensor(std, dtype=torch.float32).view(1, -1, 1, 1)

    def frequency_mask(
        self, height: int, width: int, device: torch.device
    ) -> torch.Tensor:
        """(H, W) float pass band of the shifted spectrum (zero frequency at
        (H // 2, W // 2)); cached."""
        key = (height, width, torch.device(device))
        if key not in self._masks:
            # distance to the centre in bins of a reference-size image
            rows = (
                torch.arange(height, device=device) - self._centre(height)
            ) * (self.reference_size / height)
            cols = (
                torch.arange(width, device=device) - self._centre(width)
            ) * (self.reference_size / width)
            distance = torch.hypot(rows[:, None], cols[None, :])
            if self.filter_type.startswith('ideal'):
                mask = (distance <= self.radius).float()
            else:
                mask = torch.exp(-(distance**2) / (2 * self.radius**2))
            self._masks[key] = mask
        return self._masks[key]

    def _centre(self, side: int) -> float:
        """Index of the pass band's centre along a side of the shifted spectrum."""
        if self.filter_type == 'ideal_official':
            return (side - 1) / 2
        return side // 2

    def low_pass(self, images: torch.Tensor) -> torch.Tensor:
        """Filtered images (B, C, H, W), in the same normalized space."""
        if self.radius is None:
            return images
        if self.mean is None:
            raise ValueError(
                'LowFreqFilteredTarget needs the input mean/std: '
                'pass mean= and std=, or call set_normalization'
            )
        with torch.autocast(device_type=images.device.type, enabled=False):
            pixels = images.float() * self.std + self.mean
            spectrum = torch.fft.fftshift(
                torch.fft.fft2(pixels, dim=(-2, -1)), dim=(-2, -1)
            )
            spectrum = spectrum * self.frequency_mask(
                *pixels.shape[-2:], pixels.device
            )
            filtered = torch.fft.ifft2(
                torch.fft.ifftshift(spectrum, dim=(-2, -1)), dim=(-2, -1)
            ).abs()
            return (filtered - self.mean) / self.std

    def patch_statistics(
        self, images: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Per-patch mean and sqrt(unbiased var + 1e-6) over C*p*p values.

        Returns:
            Two (B, 1, H, W) tensors, constant inside each p x p patch.
        """
        p = self.patch_size
        batch, channels, height, width = images.shape
        if height % p or width % p:
            raise ValueError(
                f'image {height}x{width} is not a whole number '
                f'of {p}x{p} patches'
            )
        patches = images.reshape(
            batch, channels, height // p, p, width // p, p
        )
        mean = patches.mean(dim=(1, 3, 5), keepdim=True)
        std = torch.sqrt(patches.var(dim=(1, 3, 5), keepdim=True) + 1e-6)
        full = (batch, 1, height // p, p, width // p, p)
        return (
            mean.expand(full).reshape(batch, 1, height, width),
            std.expand(full).reshape(batch, 1, height, width),
        )

    def normalize_patches(self, images: torch.Tensor) -> torch.Tensor:
        """Each p x p patch to mean 0 and unit (unbiased) variance."""
        if not self.patch_size:
            return images
        mean, std = self.patch_statistics(images)
        return (images - mean) / std

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.normalize_patches(self.low_pass(images))

    def extra_repr(self) -> str:
        return (
            f'radius={self.radius}, reference_size='
            f'{self.reference_size}, filter_type={self.filter_type}, '
            f'patch_size={self.patch_size}'
        )
