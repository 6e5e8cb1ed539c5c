"""Build a trained OpenMMLab model from its config and checkpoint, and tell its task.

mmseg's ``init_model`` and mmdet's ``init_detector`` each build one library's models; the
large-scene tool takes any of our configs (mmrotate detectors, mmseg segmentors, change
detectors on mmseg's segmentor API), so this does the same steps once for all of them. The
checkpoint is read weights-only and must fit the model key for key (both load silently
whatever they are given).
"""

import os.path as osp
from typing import Optional

import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.model.utils import revert_sync_batchnorm
from mmengine.registry import DATASETS, MODELS, init_default_scope
from torch import nn

from mmslffm.checkpoint import (
    load_checkpoint_file,
    load_model_weights,
    trusting_checkpoints,
)
from mmslffm.utils.config import load_config

__all__ = ['load_model', 'task_of', 'build_window_pipeline', 'TASKS']

TASKS = ('segmentation', 'detection', 'change')


def load_model(
    config: str,
    checkpoint: str,
    device: str = 'cpu',
    cfg_options: Optional[dict] = None,
    allow_partial: bool = False,
    unsafe_load: bool = False,
) -> nn.Module:
    """Model in eval mode with ``model.cfg`` and ``model.dataset_meta`` set.

    ``dataset_meta`` (classes, palette) comes from the checkpoint, else from the
    config's test dataset class.

    Args:
        cfg_options: ``--cfg-options`` merged into the config (checked).
        allow_partial: load a checkpoint whose keys do not all fit (else
            :class:`~mmslffm.checkpoint.CheckpointMismatchError`).
        unsafe_load: trust the checkpoint file (``--unsafe-load``: allow the
            Python objects it names; only for the user's own files).
    """
    for path, what in ((config, 'config'), (checkpoint, 'checkpoint')):
        if not osp.isfile(path):
            raise FileNotFoundError(f'{what} not found: {path}')
    cfg = load_config(config, cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    cfg.model.pop('pretrained', None)
    backbone = cfg.model.get('backbone')
    if backbone is not None:
        backbone.init_cfg = None  # the checkpoint below holds every weight
    model = revert_sync_batchnorm(MODELS.build(cfg.model))
    with trusting_checkpoints(unsafe_load):
        loaded = load_checkpoint_file(checkpoint)
    load_model_weights(
        model, loaded, source=checkpoint, allow_partial=allow_partial
    )
    meta = (
        loaded.get('meta', {}).get('dataset_meta')
        if isinstance(loaded, dict)
        else None
    )
    model.dataset_meta = meta or _metainfo_from_config(cfg)
    model.cfg = cfg
    return model.to(torch.device(device)).eval()


def _test_dataset_cfg(cfg: Config) -> dict:
    dataset = cfg.get('test_dataloader', {}).get('dataset', {})
    while 'pipeline' not in dataset and (
        'dataset' in dataset or 'datasets' in dataset
    ):
        dataset = dataset.get('dataset') or dataset['datasets'][0]
    return dataset


def _metainfo_from_config(cfg: Config) -> dict:
    dataset = _test_dataset_cfg(cfg)
    meta = dict(dataset.get('metainfo') or {})
    if not dataset.get('type'):
        return meta
    with DATASETS.switch_scope_and_registry(None) as registry:
        dataset_class = registry.get(dataset['type'])
    if dataset_class is not None:
        meta = {**getattr(dataset_class, 'METAINFO', {}), **meta}
    return meta


def task_of(model: nn.Module, num_inputs: int) -> str:
    """'detection' for an mmdet/mmrotate detector; 'segmentation' or 'change'
    (two inputs) for an mmseg segmentor."""
    from mmdet.models.detectors import BaseDetector
    from mmseg.models.segmentors import BaseSegmentor

    if isinstance(model, BaseDetector):
        if num_inputs != 1:
            raise ValueError(
                f'{type(model).__name__} is a detector: give one '
                f'input image, not {num_inputs}'
            )
        return 'detection'
    if isinstance(model, BaseSegmentor):
        return 'change' if num_inputs == 2 else 'segmentation'
    raise ValueError(
        f'{type(model).__name__} is neither an mmdet/mmrotate detector nor an '
        'mmseg segmentor; infer_large.py handles those two families'
    )


def build_window_pipeline(
    model: nn.Module, scope_prefix: Optional[str] = None
) -> Compose:
    """The config's test pipeline fed from an array: no file loading, no labels.

    Args:
        model: from :func:`load_model`.
        scope_prefix: registry scope of ``LoadImageFromNDArray`` ('mmseg',
            'mmdet'), as the model's library names it.
    """
    cfg = model.cfg
    pipeline = cfg.get('test_pipeline') or _test_dataset_cfg(cfg).get(
        'pipeline'
    )
    if not pipeline:
        raise ValueError(
            'the config has no test pipeline '
            '(test_dataloader.dataset.pipeline)'
        )
    steps = [
        dict(step)
        for step in pipeline
        if 'Annotation' not in step['type']
        and 'ConvertBoxType' not in step['type']
    ]
    loader = 'LoadImageFromNDArray'
    steps[0] = dict(
        type=f'{scope_prefix}.{loader}' if scope_prefix else loader
    )
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return Compose(steps)
