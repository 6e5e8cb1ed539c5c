"""Pictures of what the model is trained on: training samples after the config's augmentation.

mmdet and mmseg ship ``browse_dataset`` as scripts outside their packages, one per library;
this runs any of our configs' training pipeline and draws each sample with the config's own
visualiser (rotated boxes with class names for detection, palette masks for segmentation),
or side by side for the tasks those visualisers do not know: change pairs (A | B | change in
white) and pretraining crops.
"""

import os
import os.path as osp
from typing import List

import numpy as np
from mmengine.config import Config
from mmengine.registry import DATASETS, VISUALIZERS, init_default_scope
from PIL import Image

from mmslffm.visualization import change_label_picture, side_by_side

__all__ = ['browse_dataset']


def _inputs_are_bgr(cfg: Config) -> bool:
    """Whether the pipeline packs BGR: the data preprocessor flips it to RGB."""
    preprocessor = (
        cfg.model.get('data_preprocessor')
        or cfg.get('data_preprocessor')
        or {}
    )
    return bool(preprocessor.get('bgr_to_rgb', preprocessor.get('to_rgb')))


def _rgb(chw: np.ndarray, bgr: bool) -> np.ndarray:
    """(3, H, W) as the pipeline packs it -> (H, W, 3) RGB uint8."""
    chw = chw[::-1] if bgr else chw
    return (
        np.ascontiguousarray(chw.transpose(1, 2, 0))
        .clip(0, 255)
        .astype(np.uint8)
    )


def _change_pair(inputs: np.ndarray, sample, bgr: bool) -> np.ndarray:
    """A | B | label (changed white, ignored grey) from (6, H, W) inputs."""
    label = sample.gt_sem_seg.data[0].numpy()
    return side_by_side(
        [
            _rgb(inputs[:3], bgr),
            _rgb(inputs[3:6], bgr),
            change_label_picture(label),
        ]
    )


def _name(sample, index: int) -> str:
    path = getattr(sample, 'img_path', None) if sample is not None else None
    stem = osp.splitext(osp.basename(path))[0] if path else 'sample'
    return f'{index:03d}_{stem}.png'


def browse_dataset(
    cfg: Config,
    out_dir: str,
    num_samples: int = 8,
    split: str = 'train_dataloader',
) -> List[str]:
    """Write the first ``num_samples`` of ``split`` after its pipeline as PNGs.

    Returns:
        The written paths.
    """
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    dataset = DATASETS.build(cfg[split]['dataset'])
    if len(dataset) == 0:
        raise ValueError(
            f'{split}.dataset has no samples: check its data_root and ann_file'
        )
    visualizer = None
    if 'visualizer' in cfg and cfg.visualizer['type'] != 'UniversalVisualizer':
        visualizer = VISUALIZERS.build(
            dict(cfg.visualizer, name='browse_dataset', vis_backends=None)
        )
        visualizer.dataset_meta = dataset.metainfo
    bgr = _inputs_are_bgr(cfg)
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for index in range(min(num_samples, len(dataset))):
        data = dataset[index]
        inputs = data['inputs']
        inputs = (
            inputs.numpy() if hasattr(inputs, 'numpy') else np.asarray(inputs)
        )
        sample = data.get('data_samples')
        path = osp.join(out_dir, _name(sample, index))
        if inputs.shape[0] == 6:
            Image.fromarray(_change_pair(inputs, sample, bgr)).save(path)
        elif visualizer is not None and sample is not None:
            visualizer.add_datasample(
                osp.basename(path),
                _rgb(inputs, bgr),
                data_sample=sample,
                draw_gt=True,
                draw_pred=False,
                show=False,
                out_file=path,
            )
        else:
            Image.fromarray(_rgb(inputs, bgr)).save(path)
        written.append(path)
    return written
