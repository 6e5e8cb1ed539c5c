"""Loading backbone weights with a report, refusing loads that silently match nothing.

mmengine's ``Pretrained`` init loads with ``strict=False`` and only warns: a checkpoint whose keys
are wrapped (``module.``, ``sparse_encoder.sp_cnn.``) loads nothing and training goes on from
random weights, the reference's most common failure. Here every load prints matched / missing /
unexpected counts and raises :class:`CheckpointMismatchError` below a matched fraction.
"""

import os.path as osp
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Union

import torch
from mmengine.logging import print_log
from torch import nn

from .keys import convert_to_convnext_layout
from .safe_load import CheckpointError, load_checkpoint_file

STEM_KEY = 'downsample_layers.0.0.weight'
# where the SLFFM release's with-decoder checkpoint keeps its model settings
RELEASE_CONFIG_KEY = 'config'


class CheckpointMismatchError(CheckpointError):
    """A checkpoint does not fit the model it is loaded into."""


@dataclass
class LoadReport:
    """What a load matched, by key and by number of weights."""

    source: str
    matched: List[str] = field(default_factory=list)
    missing: List[str] = field(default_factory=list)
    unexpected: List[str] = field(default_factory=list)
    shape_mismatch: List[str] = field(default_factory=list)
    dropped: List[str] = field(default_factory=list)
    matched_fraction: float = 0.0

    def summary(self) -> str:
        return (
            f'loaded {self.source}: {len(self.matched)} keys matched '
            f'({self.matched_fraction:.1%} of backbone weights), '
            f'{len(self.missing)} missing, {len(self.unexpected)} '
            f'unexpected, {len(self.shape_mismatch)} of another shape, '
            f'{len(self.dropped)} non-backbone keys dropped'
        )


def read_state_dict(
    filename: str, map_location: str = 'cpu'
) -> Dict[str, torch.Tensor]:
    """Read a checkpoint file and unwrap its weights.

    Accepts mmengine checkpoints (``state_dict``), the reference's (``model``
    / ``module``, with or without the release's ``config`` entry of settings)
    and bare state dicts.
    """
    if '://' not in filename and not osp.isfile(filename):
        raise FileNotFoundError(
            f'checkpoint not found: {filename} (give the path of a file '
            'written by tools/train.py, tools/extract_backbone.py or '
            'tools/convert_official.py)'
        )
    checkpoint = load_checkpoint_file(filename, map_location=map_location)
    for key in ('state_dict', 'model', 'module'):
        if isinstance(checkpoint, dict) and isinstance(
            checkpoint.get(key), dict
        ):
            checkpoint = checkpoint[key]
    if isinstance(checkpoint, dict) and isinstance(
        checkpoint.get(RELEASE_CONFIG_KEY), dict
    ):  # the SLFFM release's model settings (plain values) beside its weights
        checkpoint = {
            k: v for k, v in checkpoint.items() if k != RELEASE_CONFIG_KEY
        }
    if not isinstance(checkpoint, dict) or not all(
        torch.is_tensor(v) for v in checkpoint.values()
    ):
        raise CheckpointMismatchError(
            f'{filename} holds no state dict of tensors'
        )
    return checkpoint


def adapt_stem_weight(weight: torch.Tensor, in_channels: int) -> torch.Tensor:
    """Fit a stem conv weight (C0, c, k, k) to ``in_channels`` input bands.

    The rule (as timm's ``adapt_input_conv``): one band takes the sum of the
    checkpoint's bands; N bands take the checkpoint's bands cyclically
    (R, G, B, R, G, ...) scaled by c / N, which keeps the activation scale
    (exactly, for equal bands, when N is a multiple of c).
    """
    ckpt_channels = weight.shape[1]
    if ckpt_channels == in_channels:
        return weight
    if in_channels == 1:
        adapted = weight.sum(dim=1, keepdim=True)
    else:
        repeats = -(-in_channels // ckpt_channels)
        adapted = weight.repeat(1, repeats, 1, 1)[:, :in_channels]
        adapted = adapted * (ckpt_channels / in_channels)
    print_log(
        f'stem weight adapted from {ckpt_channels} to {in_channels} '
        'input channels',
        logger='current',
    )
    return adapted


def load_backbone_weights(
    model: nn.Module,
    checkpoint: Union[str, Dict[str, torch.Tensor]],
    prefix: Optional[str] = None,
    min_matched: float = 0.95,
    source: Optional[str] = None,
) -> LoadReport:
    """Load ConvNeXt-family weights into ``model`` and report what matched.

    Args:
        model: a backbone in mmpretrain's ConvNeXt layout.
        checkpoint: a file path or a state dict.
        prefix: keep only keys under this prefix (e.g. ``'backbone.'``) and
            strip it, as mmengine's ``Pretrained(prefix=...)``.
        min_matched: least fraction of the model's weights (by element count)
            that must be loaded, else :class:`CheckpointMismatchError`.
        source: name used in messages (defaults to the path).

    Returns:
        The :class:`LoadReport`, also printed to the current logger.
    """
    if isinstance(checkpoint, str):
        source = source or checkpoint
        state_dict = read_state_dict(checkpoint)
    else:
        source = source or 'state dict'
        state_dict = checkpoint
    if prefix:
        under = {
            k[len(prefix) :]: v
            for k, v in state_dict.items()
            if k.startswith(prefix)
        }
        if not under:
            raise CheckpointMismatchError(
                f"{source}: no key starts with prefix '{prefix}'; its keys "
                f'start with {_top_prefixes(state_dict)} (fix the prefix)'
            )
        state_dict = under
    state_dict, dropped = convert_to_convnext_layout(state_dict)
    if STEM_KEY in state_dict and hasattr(model, 'in_channels'):
        state_dict[STEM_KEY] = adapt_stem_weight(
            state_dict[STEM_KEY], model.in_channels
        )

    expected = model.state_dict()
    report = LoadReport(source=source, dropped=dropped)
    loadable = {}
    for key, value in state_dict.items():
        if key not in expected:
            report.unexpected.append(key)
        elif expected[key].shape != value.shape:
            report.shape_mismatch.append(key)
        else:
            loadable[key] = value
    report.matched = sorted(loadable)
    report.missing = sorted(set(expected) - set(loadable))
    total = sum(v.numel() for v in expected.values())
    report.matched_fraction = sum(expected[k].numel() for k in loadable) / max(
        total, 1
    )
    print_log(report.summary(), logger='current')
    if report.matched_fraction < min_matched:
        raise CheckpointMismatchError(
            f'{source} matched only {report.matched_fraction:.1%} of the '
            f'backbone weights (need {min_matched:.0%}): '
            f'{len(report.shape_mismatch)} keys of another shape '
            f'{report.shape_mismatch[:3]}, unexpected keys start with '
            f'{_top_prefixes(report.unexpected + report.dropped)}. Is it a '
            'checkpoint of another model or arch? Set the matching arch, or '
            "the prefix its backbone sits under (e.g. 'backbone.')."
        )
    model.load_state_dict(loadable, strict=False)
    return report


def _top_prefixes(keys, count: int = 3) -> List[str]:
    prefixes = Counter(k.split('.')[0] for k in keys)
    return [p for p, _ in prefixes.most_common(count)]
