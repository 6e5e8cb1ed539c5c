"""The official SLFFM release's checkpoints: their layouts, and each key's fate in mmslffm.

The release's pretraining script (``Pretrain/main.py``, saving with ``utils/misc.py``) writes
two files after every epoch. Both are plain ``torch.save`` dicts of tensors, text, numbers and
containers, so a weights-only load reads them whole:

* ``<arch>_withdecoder_1kpretrained_pcfm_style.pth``: ``args`` (the run's arguments, rendered
  as text), ``input_size``, ``arch``, ``epoch``, ``performance_desc`` (min/last loss as text),
  ``is_pretrain`` (True), ``optimizer`` (the LAMB state dict) and ``module``, the pretraining
  model's state dict: the encoder (``sparse_encoder.sp_cnn.*``, Facebook's ConvNeXt names),
  ``densify_norms``, ``mask_tokens``, ``densify_projs``, the decoder (``dense_decoder.*`` with
  its batch-norm statistics), three buffers it never reads, and ``config``: a dict of plain
  values (mask ratio, densify norm, decoder width, input size...);
* ``<arch>_1kpretrained_timm_style.pth``: ``arch``, ``is_pretrain`` (False) and ``module``,
  the encoder alone (what the release fine-tunes from).

Why not mmengine's ``revise_keys``: a key that no pattern names would pass through unchanged
and be dropped by a non-strict load; here every key gets a fate, and a key without one refuses
the file.
"""

import re
from collections import OrderedDict
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Tuple

import torch

from .keys import BACKBONE_KEY, revise_convnext_key
from .loading import RELEASE_CONFIG_KEY, CheckpointMismatchError

WITH_DECODER, ENCODER_ONLY = 'with-decoder', 'encoder-only'
ENCODER_PREFIX = 'sparse_encoder.sp_cnn.'

# Entries of a release file beside ``module``: (type, why the conversion drops it).
RELEASE_ENTRIES: Dict[str, Tuple[type, str]] = {
    'args': (str, "the release run's command-line arguments, as text"),
    'input_size': (int, 'the pretraining image side; the config sets it'),
    'arch': (str, 'the encoder name; the weights give its shape'),
    'epoch': (int, 'continued pretraining runs its own schedule'),
    'performance_desc': (str, 'the min/last reconstruction loss, as text'),
    'is_pretrain': (bool, 'which of the two release files this is'),
    'optimizer': (
        dict,
        "the release run's LAMB moments; continued pretraining starts a "
        'fresh optimizer (load_from loads weights only)',
    ),
}

# Buffers of the release's model that its forward never reads (its own comment: deprecated).
UNUSED_BUFFERS = {
    'imn_m': 'a buffer the release never reads (torch.empty: arbitrary values)',
    'imn_s': 'a buffer the release never reads (torch.empty: arbitrary values)',
    'norm_black': 'a buffer of zeros the release never reads',
}

_BN = 'weight|bias|running_mean|running_var|num_batches_tracked'
# Densify and decoder keys of the release -> mmslffm's SLFFM (SparseDensify, mmpretrain's
# SparKLightDecoder: dec.i.conv = [conv, BN, ReLU6, conv, BN]).
PRETRAINING_KEYS: List[Tuple[str, str]] = [
    (r'^densify_norms\.(\d+)\.(weight|bias)$', r'densify.norms.\1.\2'),
    (r'^mask_tokens\.(\d+)$', r'densify.mask_tokens.\1'),
    (r'^densify_projs\.(\d+)\.(weight|bias)$', r'densify.projections.\1.\2'),
    (
        r'^dense_decoder\.dec\.(\d+)\.up_sample\.(weight|bias)$',
        r'neck.decoder.\1.upsample.\2',
    ),
    (
        r'^dense_decoder\.dec\.(\d+)\.conv\.0\.weight$',
        r'neck.decoder.\1.conv_blocks.0.conv1.weight',
    ),
    (
        rf'^dense_decoder\.dec\.(\d+)\.conv\.1\.({_BN})$',
        r'neck.decoder.\1.conv_blocks.0.norm1.\2',
    ),
    (
        r'^dense_decoder\.dec\.(\d+)\.conv\.3\.weight$',
        r'neck.decoder.\1.conv_blocks.0.conv2.weight',
    ),
    (
        rf'^dense_decoder\.dec\.(\d+)\.conv\.4\.({_BN})$',
        r'neck.decoder.\1.conv_blocks.0.norm2.\2',
    ),
    (r'^dense_decoder\.proj\.(weight|bias)$', r'neck.proj.\1'),
]
NOT_IN_BACKBONE = 'pretraining only (densify/decoder), not in a backbone'


class KeyFate(NamedTuple):
    """What happens to one entry or key of a release file."""

    source: str
    target: Optional[str] = None  # the mmslffm key it becomes
    reason: Optional[str] = None  # why it is dropped (neither: unknown)

    def line(self) -> str:
        if self.target is not None:
            return f'{self.source} -> {self.target}'
        if self.reason is not None:
            return f'{self.source}: dropped, {self.reason}'
        return f'{self.source}: unknown'


def is_release_file(checkpoint: Any) -> bool:
    """Whether ``checkpoint`` (a loaded file) is one of the release's dicts."""
    return (
        isinstance(checkpoint, dict)
        and isinstance(checkpoint.get('module'), dict)
        and 'is_pretrain' in checkpoint
    )


class ReleaseFile(NamedTuple):
    """A release file taken apart."""

    weights: Dict[str, torch.Tensor]  # the model's tensors, keys as saved
    layout: str  # WITH_DECODER or ENCODER_ONLY
    fates: List[KeyFate]  # of every entry beside the weights
    prefix: str  # where the weights sit ('module.'), for messages


def split_release_file(checkpoint: Any, source: str) -> ReleaseFile:
    """The weights of a release file, its layout, and the fates of the rest.

    Accepts the two files the release writes (see the module docstring) and
    a bare state dict of either model (``config`` entry or not).

    Raises:
        CheckpointMismatchError: an entry the release does not write, or one
            of another type.
    """
    fates: List[KeyFate] = []
    prefix = ''
    if is_release_file(checkpoint):
        for key, value in checkpoint.items():
            if key == 'module':
                continue
            kind, reason = RELEASE_ENTRIES.get(key, (None, None))
            if kind is None or type(value) is not kind:
                problem = (
                    'is not one the SLFFM release writes'
                    if kind is None
                    else f'is of type {type(value).__name__} where the SLFFM '
                    f'release writes {kind.__name__}'
                )
                raise CheckpointMismatchError(
                    f'{source}: entry {key!r} {problem}: not a release '
                    'checkpoint, or a modified one'
                )
            if key == 'optimizer' and isinstance(value.get('state'), dict):
                reason = f'{reason}; state of {len(value["state"])} parameters'
            fates.append(KeyFate(key, reason=reason))
        state, prefix = checkpoint['module'], 'module.'
    elif isinstance(checkpoint, dict):
        state = checkpoint
    else:
        raise CheckpointMismatchError(
            f'{source} holds a {type(checkpoint).__name__}, not a checkpoint '
            'of the SLFFM release'
        )
    weights = {}
    for key, value in state.items():
        if key == RELEASE_CONFIG_KEY and isinstance(value, dict):
            settings = ', '.join(f'{k}={v!r}' for k, v in value.items())
            fates.append(
                KeyFate(
                    prefix + key,
                    reason=f"the release model's settings ({settings}); "
                    'the mmslffm config sets them',
                )
            )
        elif torch.is_tensor(value):
            weights[key] = value
        else:
            raise CheckpointMismatchError(
                f'{source}: {prefix}{key} is a {type(value).__name__}, not a '
                'tensor: not a release checkpoint, or a modified one'
            )
    if not weights:
        raise CheckpointMismatchError(f'{source} holds no tensors')
    with_decoder = any(k.startswith(ENCODER_PREFIX) for k in weights)
    layout = WITH_DECODER if with_decoder else ENCODER_ONLY
    return ReleaseFile(weights, layout, fates, prefix)


def pretraining_key(key: str) -> KeyFate:
    """The fate of one key of the release's pretraining model in mmslffm's SLFFM."""
    if key.startswith(ENCODER_PREFIX):
        revised = revise_convnext_key(key)
        if BACKBONE_KEY.match(revised):
            return KeyFate(key, target=f'backbone.{revised}')
        return KeyFate(key)
    if key in UNUSED_BUFFERS:
        return KeyFate(key, reason=UNUSED_BUFFERS[key])
    for pattern, replacement in PRETRAINING_KEYS:
        if re.match(pattern, key):
            return KeyFate(key, target=re.sub(pattern, replacement, key))
    return KeyFate(key)


def backbone_key(key: str, layout: str) -> KeyFate:
    """The fate of one release key in a backbone (mmpretrain's ConvNeXt)."""
    if layout == ENCODER_ONLY:
        revised = revise_convnext_key(key)
        return KeyFate(
            key, target=revised if BACKBONE_KEY.match(revised) else None
        )
    fate = pretraining_key(key)
    if fate.target is None:
        return fate
    if fate.target.startswith('backbone.'):
        return fate._replace(target=fate.target[len('backbone.') :])
    return fate._replace(target=None, reason=NOT_IN_BACKBONE)


def convert_release_pretraining(
    weights: Mapping[str, torch.Tensor],
    target: Mapping[str, torch.Tensor],
    source: str,
) -> Tuple['OrderedDict[str, torch.Tensor]', List[KeyFate]]:
    """Rename the release's with-decoder weights into the keys of ``target``.

    Args:
        weights: the ``module`` weights of a with-decoder file.
        target: the state dict (shapes) of the mmslffm SLFFM model to fill.
        source: the file, for messages.

    Returns:
        (state dict with exactly ``target``'s keys, in its order, holding the
        release's tensors themselves: bitwise equal; the fate of every key).

    Raises:
        CheckpointMismatchError: a key without a fate (or whose key the model
            lacks), a model key the file does not fill, or a shape mismatch.
    """
    fates = [pretraining_key(key) for key in weights]
    unknown = [
        fate.source
        for fate in fates
        if fate.reason is None
        and (fate.target is None or fate.target not in target)
    ]
    converted = {
        fate.target: weights[fate.source]
        for fate in fates
        if fate.target is not None and fate.target in target
    }
    missing = [key for key in target if key not in converted]
    shapes = [
        f'{key} {tuple(value.shape)} vs {tuple(target[key].shape)}'
        for key, value in converted.items()
        if value.shape != target[key].shape
    ]
    if unknown or missing or shapes:

        def examples(items):
            return f' (e.g. {", ".join(items[:2])})' if items else ''

        raise CheckpointMismatchError(
            f'{source} does not fit the model of this config: '
            f'{len(unknown)} keys it cannot place{examples(unknown)}, '
            f'{len(missing)} model keys it lacks{examples(missing)}, '
            f'{len(shapes)} of another shape{examples(shapes)}; give the '
            "release's with-decoder file and the config of its arch and "
            'decoder width'
        )
    return OrderedDict((key, converted[key]) for key in target), fates
