"""Convert the official SLFFM release's checkpoints: the backbone, or the whole pretraining model.

Serves ``tools/convert_official.py``. The backbone conversion takes any file the release writes
(and the other ConvNeXt layouts :func:`export_backbone` reads); the whole-model conversion takes
the release's with-decoder file and writes an mmslffm SLFFM checkpoint that
``tools/train.py CONFIG --cfg-options load_from=FILE`` continues pretraining from. Both give
every entry and key of a release file its fate (:mod:`mmslffm.checkpoint.official`).
"""

import os
import os.path as osp
from typing import List, Optional, Tuple

import torch
from mmengine.registry import init_default_scope

import mmslffm
from mmslffm.checkpoint import (
    CheckpointMismatchError,
    LoadReport,
    load_checkpoint_file,
)
from mmslffm.checkpoint.official import (
    ENCODER_ONLY,
    KeyFate,
    backbone_key,
    convert_release_pretraining,
    is_release_file,
    split_release_file,
)
from mmslffm.registry import MODELS
from mmslffm.utils.atomic_output import written_atomically
from mmslffm.utils.config import load_config
from .export_backbone import export_backbone

METHOD = 'SLFFM (reference release)'


def convert_release_backbone(
    src: str, dst: str
) -> Tuple[LoadReport, List[KeyFate]]:
    """Write the backbone of ``src`` to ``dst`` (mmpretrain's ConvNeXt layout).

    Returns:
        The load report, and the fate of every entry and key of a release
        file (none for other layouts, which :func:`export_backbone` converts
        as before).

    Raises:
        CheckpointMismatchError: a release file with a key that has no fate,
            or below 95% of the backbone's weights.
    """
    checkpoint = load_checkpoint_file(src)
    if not is_release_file(checkpoint):
        del checkpoint
        return export_backbone(src, dst, method=METHOD), []
    release = split_release_file(checkpoint, src)
    del checkpoint
    fates = release.fates + [
        _prefixed(backbone_key(key, release.layout), release.prefix)
        for key in release.weights
    ]
    unknown = [
        f.source for f in fates if f.target is None and f.reason is None
    ]
    if unknown:
        raise CheckpointMismatchError(
            f'{src}: {len(unknown)} keys the SLFFM release does not write '
            f'(e.g. {", ".join(unknown[:2])}): a modified checkpoint; convert '
            'its state dict alone'
        )
    report = export_backbone(
        src, dst, method=METHOD, state_dict=release.weights
    )
    return report, fates


def convert_release_pretraining_checkpoint(
    src: str, dst: str, config: str, cfg_options: Optional[dict] = None
) -> List[KeyFate]:
    """Write the release's with-decoder ``src`` as an SLFFM checkpoint of ``config``.

    Every key of the model that ``config`` builds is filled from ``src``
    (tensors bitwise equal); the optimizer state and run metadata are dropped.

    Returns:
        The fate of every entry and key of ``src``.

    Raises:
        CheckpointMismatchError: an encoder-only file, an entry or key the
            release does not write, a model key the file does not fill, or a
            shape that differs.
    """
    cfg = load_config(config, cfg_options)
    checkpoint = load_checkpoint_file(src)
    release = split_release_file(checkpoint, src)
    if release.layout == ENCODER_ONLY:
        raise CheckpointMismatchError(
            f'{src} holds the encoder only: continued pretraining needs the '
            "release's <arch>_withdecoder_1kpretrained_pcfm_style.pth (or "
            'drop --config to convert this backbone)'
        )
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    model_cfg = cfg.model.copy()
    model_cfg.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
    target = MODELS.build(model_cfg).state_dict()
    state_dict, key_fates = convert_release_pretraining(
        release.weights, target, src
    )
    del target
    release_meta = {
        key: checkpoint[key]
        for key in ('arch', 'epoch', 'input_size')
        if is_release_file(checkpoint) and key in checkpoint
    }
    meta = dict(
        method=METHOD,
        source=osp.basename(src),
        config=osp.basename(config),
        release=release_meta,
        mmslffm_version=mmslffm.__version__,
    )
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    with written_atomically(dst) as partial:  # never half a file at dst
        torch.save(dict(state_dict=state_dict, meta=meta), partial)
    return release.fates + [
        _prefixed(fate, release.prefix) for fate in key_fates
    ]


def _prefixed(fate: KeyFate, prefix: str) -> KeyFate:
    return fate._replace(source=prefix + fate.source)
