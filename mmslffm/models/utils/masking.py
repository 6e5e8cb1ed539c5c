"""The explicit active-patch mask of sparse masked image modeling and its per-level views.

SparK/SLFFM keep the mask in a module-global; here it is a tensor passed as an argument and
wrapped per forward call in :class:`ActiveSites`, so two models in one process never interfere.
The masking itself follows SparK (Tian et al., ICLR 2023): a uniform random choice of
``round(h * w * (1 - ratio))`` visible cells per sample, one cell per stride-32 position.
"""

from typing import Dict, Optional, Tuple

import torch


def random_active_mask(
    batch_size: int,
    grid_size: Tuple[int, int],
    mask_ratio: float,
    device: Optional[torch.device] = None,
    generator: Optional[torch.Generator] = None,
) -> torch.Tensor:
    """Draw an independent random patch mask for every sample.

    Args:
        batch_size: B.
        grid_size: (h, w), the patch grid (image side / 32).
        mask_ratio: fraction of patches hidden; ``round(h * w * (1 - ratio))``
            patches per sample stay active (20 of 49 at 224 and ratio 0.6).
        device: where the mask lives.
        generator: optional RNG for reproducible masks.

    Returns:
        Bool tensor (B, 1, h, w), True at active (visible) patches.
    """
    h, w = grid_size
    num_patches = h * w
    num_active = round(num_patches * (1 - mask_ratio))
    if not 0 < num_active <= num_patches:
        raise ValueError(
            f'mask_ratio={mask_ratio} leaves {num_active} of '
            f'{num_patches} patches active; keep at least one'
        )
    noise = torch.rand(
        batch_size,
        num_patches,
        generator=generator,
        device=generator.device if generator else None,
    )
    keep = noise.argsort(dim=1)[:, :num_active].to(device)
    active = torch.zeros(
        batch_size, num_patches, dtype=torch.bool, device=device
    )
    active.scatter_(1, keep, True)
    return active.view(batch_size, 1, h, w)


class ActiveSites:
    """Views of one active-patch mask at every feature resolution.

    Args:
        active: bool (B, 1, h, w), True where a patch is visible.
        image_size: (H, W) of the input; each must be ``h`` (``w``) times the
            patch size, so that every stride-s level tiles patches exactly.

    Example:
        >>> sites = ActiveSites(active, (224, 224))
        >>> mask56 = sites.mask((56, 56))        # bool (B, 1, 56, 56)
        >>> idx = sites.flat_indices((56, 56))   # long (N,), into B*56*56
        >>> win = sites.window_indices((56, 56), 2)  # long (4N,), into B*56*56:
        >>> # the 2x2 windows under the N active positions of the 28x28 grid
    """

    def __init__(self, active: torch.Tensor, image_size: Tuple[int, int]):
        if (
            active.dtype != torch.bool
            or active.dim() != 4
            or active.shape[1] != 1
        ):
            raise ValueError(
                'active must be a bool tensor (B, 1, h, w), got '
                f'{tuple(active.shape)} {active.dtype}'
            )
        height, width = image_size
        grid_h, grid_w = active.shape[-2:]
        if height % grid_h or width % grid_w:
            raise ValueError(
                f'image {height}x{width} is not a whole number of '
                f'patches of the {grid_h}x{grid_w} mask grid'
            )
        self.active = active
        self.image_size = (height, width)
        self._masks: Dict[Tuple[int, int], torch.Tensor] = {}
        self._indices: Dict[Tuple[int, int], torch.Tensor] = {}
        self._windows: Dict[Tuple[int, int, int], torch.Tensor] = {}

    @property
    def patch_size(self) -> int:
        return self.image_size[0] // self.active.shape[-2]

    def mask(self, size: Tuple[int, int]) -> torch.Tensor:
        """Bool (B, 1, H_l, W_l): the mask upsampled (nearest) to ``size``."""
        size = tuple(size)
        if size not in self._masks:
            grid_h, grid_w = self.active.shape[-2:]
            if size[0] % grid_h or size[1] % grid_w:
                raise ValueError(
                    f'feature size {size} does not tile the '
                    f'{grid_h}x{grid_w} patch grid'
                )
            self._masks[size] = self.active.repeat_interleave(
                size[0] // grid_h, dim=2
            ).repeat_interleave(size[1] // grid_w, dim=3)
        return self._masks[size]

    def flat_indices(self, size: Tuple[int, int]) -> torch.Tensor:
        """Long (N,): active positions of a (B, H_l, W_l) grid, row-major."""
        size = tuple(size)
        if size not in self._indices:
            self._indices[size] = (
                self.mask(size).flatten().nonzero(as_tuple=True)[0]
            )
        return self._indices[size]

    def window_indices(
        self, size: Tuple[int, int], stride: int
    ) -> torch.Tensor:
        """Long (N * stride**2,): the stride x stride window of a (B, H_l, W_l)
        grid under each of the N active positions of the (H_l / stride,
        W_l / stride) grid, row-major, ordered (position, window row, window
        column). Windows lie inside one patch when stride divides the
        patch's side at this level."""
        height, width = size
        key = (height, width, stride)
        if key not in self._windows:
            if height % stride or width % stride:
                raise ValueError(
                    f'feature size {size} is not a whole number of '
                    f'{stride}x{stride} windows'
                )
            out_h, out_w = height // stride, width // stride
            active = self.flat_indices((out_h, out_w))
            sample, position = (
                active // (out_h * out_w),
                active % (out_h * out_w),
            )
            row, col = position // out_w, position % out_w
            corner = (sample * height + row * stride) * width + col * stride
            offsets = torch.arange(stride, device=active.device)
            window = (offsets.view(-1, 1) * width + offsets).flatten()
            self._windows[key] = (corner.unsqueeze(1) + window).flatten()
        return self._windows[key]
