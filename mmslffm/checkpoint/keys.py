"""Key layouts of ConvNeXt checkpoints, mapped to mmpretrain's (ours).

Patterns in the style of mmengine's ``revise_keys`` and timm's per-family checkpoint filters:

* the SLFFM/SparK reference: ``module.`` (DDP) and ``sparse_encoder.sp_cnn.`` wrappers around
  Facebook's ConvNeXt names (``dwconv``, ``pwconv1``, ``pwconv2``, final ``norm``);
* timm's ConvNeXt (``stem.0``, ``stages.i.downsample``, ``blocks.j.conv_dw``, ``mlp.fc1``);
* mmpretrain's ConvNeXt: unchanged.
"""

import re
from typing import Dict, List, Tuple

import torch

# Wrappers stripped wherever they appear at the start of a key, in this order.
WRAPPER_PREFIXES = (
    'module.',
    'sparse_encoder.sp_cnn.',
    'encoder.sp_cnn.',
    'sp_cnn.',
)

# (pattern, replacement) applied in order to every key.
REVISE_KEYS: List[Tuple[str, str]] = [
    # timm
    (r'^stem\.(\d)\.', r'downsample_layers.0.\1.'),
    (r'^stages\.(\d+)\.downsample\.(\d)\.', r'downsample_layers.\1.\2.'),
    (r'^stages\.(\d+)\.blocks\.(\d+)\.', r'stages.\1.\2.'),
    (r'\.conv_dw\.', '.depthwise_conv.'),
    (r'\.mlp\.fc1\.', '.pointwise_conv1.'),
    (r'\.mlp\.fc2\.', '.pointwise_conv2.'),
    (r'^head\.norm\.', 'norm3.'),
    # Facebook / SparK / SLFFM reference
    (r'\.dwconv\.', '.depthwise_conv.'),
    (r'\.pwconv1\.', '.pointwise_conv1.'),
    (r'\.pwconv2\.', '.pointwise_conv2.'),
    (r'^norm\.', 'norm3.'),
]

# Keys of a ConvNeXt backbone in mmpretrain's layout.
BACKBONE_KEY = re.compile(r'^(downsample_layers|stages|norm\d)\.')


def _strip_wrappers(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for prefix in WRAPPER_PREFIXES:
            if key.startswith(prefix):
                key, changed = key[len(prefix) :], True
    return key


def revise_convnext_key(key: str) -> str:
    """One key of any ConvNeXt layout, wrappers stripped, in mmpretrain's names."""
    key = _strip_wrappers(key)
    for pattern, replacement in REVISE_KEYS:
        key = re.sub(pattern, replacement, key)
    return key


def convert_to_convnext_layout(
    state_dict: Dict[str, torch.Tensor],
) -> Tuple[Dict[str, torch.Tensor], List[str]]:
    """Rename reference/timm/FB ConvNeXt keys to mmpretrain's layout.

    Args:
        state_dict: any ConvNeXt-family state dict, possibly wrapped.

    Returns:
        (backbone state dict in mmpretrain layout, keys dropped as not part of
        a backbone, e.g. decoder, mask tokens or classifier weights).
    """
    wrapped = [k for k in state_dict if 'sparse_encoder.sp_cnn.' in k]
    converted, dropped = {}, []
    for key, value in state_dict.items():
        if wrapped and 'sparse_encoder.sp_cnn.' not in key:
            dropped.append(key)  # SparK decoder, densify norms, mask tokens
            continue
        new_key = revise_convnext_key(key)
        if BACKBONE_KEY.match(new_key):
            converted[new_key] = value
        else:
            dropped.append(key)
    return converted, dropped


def infer_convnext_arch(state_dict: Dict[str, torch.Tensor]) -> dict:
    """Read depths and channels off a state dict in mmpretrain's layout.

    Returns:
        ``dict(depths=[...], channels=[...], in_channels=int)``.
    """
    blocks: Dict[int, set] = {}
    for key in state_dict:
        match = re.match(
            r'^stages\.(\d+)\.(\d+)\.depthwise_conv\.weight$', key
        )
        if match:
            blocks.setdefault(int(match[1]), set()).add(int(match[2]))
    if not blocks:
        raise ValueError(
            'no ConvNeXt block found (no key like '
            "'stages.0.0.depthwise_conv.weight')"
        )
    stages = sorted(blocks)
    depths = [len(blocks[i]) for i in stages]
    channels = [
        state_dict[f'stages.{i}.0.depthwise_conv.weight'].shape[0]
        for i in stages
    ]
    stem = state_dict.get('downsample_layers.0.0.weight')
    in_channels = stem.shape[1] if stem is not None else 3
    return dict(depths=depths, channels=channels, in_channels=in_channels)
