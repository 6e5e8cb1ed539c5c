"""Build checkpoints in the layouts users bring, from a model's own weights."""

import re
from typing import Dict

import torch

FB_NAMES = [
    ('.depthwise_conv.', '.dwconv.'),
    ('.pointwise_conv1.', '.pwconv1.'),
    ('.pointwise_conv2.', '.pwconv2.'),
]


def to_reference_slffm(backbone: Dict[str, torch.Tensor]) -> dict:
    """The reference's saved pretraining checkpoint: DDP + SparK wrappers,
    Facebook block names, decoder weights beside the encoder, no out norms."""
    state = {}
    for key, value in backbone.items():
        if re.match(r'^norm\d\.', key):
            continue
        for ours, theirs in FB_NAMES:
            key = key.replace(ours, theirs)
        state[f'module.sparse_encoder.sp_cnn.{key}'] = value
    state['module.mask_tokens.0'] = torch.zeros(1, 64, 1, 1)
    state['module.dense_decoder.dec.0.up_sample.weight'] = torch.zeros(4, 4)
    state['module.densify_norms.0.weight'] = torch.ones(64)
    return {'module': state, 'epoch': 199}


def to_timm(backbone: Dict[str, torch.Tensor]) -> dict:
    revisions = [
        (r'^downsample_layers\.0\.', 'stem.'),
        (r'^downsample_layers\.(\d)\.', r'stages.\1.downsample.'),
        (r'^stages\.(\d+)\.(\d+)\.', r'stages.\1.blocks.\2.'),
        (r'\.depthwise_conv\.', '.conv_dw.'),
        (r'\.pointwise_conv1\.', '.mlp.fc1.'),
        (r'\.pointwise_conv2\.', '.mlp.fc2.'),
    ]
    state = {}
    for key, value in backbone.items():
        if re.match(r'^norm\d\.', key):
            continue
        for pattern, repl in revisions:
            key = re.sub(pattern, repl, key)
        state[key] = value
    state['head.fc.weight'] = torch.zeros(10, 64)
    return state
