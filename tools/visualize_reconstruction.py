"""Show what an SLFFM checkpoint reconstructs for one image.

    python tools/visualize_reconstruction.py CONFIG CHECKPOINT IMAGE [--out recon.png]
        [--cfg-options k=v ...] [--allow-partial] [--unsafe-load] [--debug]

Writes one row: original | masked input | low-pass target | reconstruction.
"""

import argparse

import cv2
import numpy as np
import torch
from mmengine.config import DictAction
from mmengine.registry import init_default_scope
from PIL import Image

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import (
    add_checkpoint_arguments,
    add_debug_argument,
    exit_on_user_error,
)
from mmslffm.checkpoint import (
    load_checkpoint_file,
    load_model_weights,
    trusting_checkpoints,
)
from mmslffm.datasets import read_image
from mmslffm.registry import MODELS
from mmslffm.utils import load_config
from mmslffm.visualization import render_reconstruction


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='pretraining config')
    parser.add_argument('checkpoint', help='pretraining checkpoint')
    parser.add_argument('image', help='PNG, JPG or GeoTIFF')
    parser.add_argument('--out', default='reconstruction.png')
    parser.add_argument(
        '--size',
        type=int,
        default=224,
        help='centre crop side after resizing the short side '
        '(a multiple of 32)',
    )
    parser.add_argument('--seed', type=int, default=0, help='mask seed')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    add_checkpoint_arguments(parser)
    add_debug_argument(parser)
    return parser.parse_args()


def centre_crop(image: np.ndarray, size: int) -> np.ndarray:
    """Resize the short side to ``size`` and cut the central square."""
    height, width = image.shape[:2]
    scale = size / min(height, width)
    resized = cv2.resize(
        image,
        (max(size, round(width * scale)), max(size, round(height * scale))),
        interpolation=cv2.INTER_CUBIC,
    )
    top = (resized.shape[0] - size) // 2
    left = (resized.shape[1] - size) // 2
    return resized[top : top + size, left : left + size]


@exit_on_user_error
def main() -> None:
    args = parse_args()
    if args.size % 32:
        raise ValueError(f'--size {args.size} is not a multiple of 32')
    cfg = load_config(args.config, args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmslffm'))
    model_cfg = cfg.model.copy()
    model_cfg.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
    model = MODELS.build(model_cfg)
    with trusting_checkpoints(args.unsafe_load):
        checkpoint = load_checkpoint_file(args.checkpoint)
    load_model_weights(
        model,
        checkpoint,
        source=args.checkpoint,
        allow_partial=args.allow_partial,
    )
    image = centre_crop(read_image(args.image), args.size)
    batch = dict(
        inputs=[torch.from_numpy(image).permute(2, 0, 1)[None]],
        data_samples=None,
    )
    images = model.data_preprocessor(batch, False)['inputs']
    images = images[0] if isinstance(images, (list, tuple)) else images
    picture = render_reconstruction(model, images, seed=args.seed)
    Image.fromarray(picture).save(args.out)
    print(f'reconstruction written to {args.out}')


if __name__ == '__main__':
    main()
