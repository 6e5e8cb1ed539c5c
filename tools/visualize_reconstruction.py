"""Show what an SLFFM checkpoint reconstructs for one image.

    python tools/visualize_reconstruction.py CONFIG CHECKPOINT IMAGE [--out recon.png]

Writes one row: original | masked input | low-pass target | reconstruction.
"""
import argparse

import cv2
import numpy as np
import torch
from mmengine.config import DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from PIL import Image

from mmslffm.apis import render_reconstruction
from mmslffm.checkpoint import CheckpointMismatchError
from mmslffm.datasets import read_image
from mmslffm.registry import MODELS
from mmslffm.utils import exit_on_user_error, load_config


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='pretraining config')
    parser.add_argument('checkpoint', help='pretraining checkpoint')
    parser.add_argument('image', help='PNG, JPG or GeoTIFF')
    parser.add_argument('--out', default='reconstruction.png')
    parser.add_argument('--size', type=int, default=224,
                        help='centre crop side after resizing the short side '
                        '(a multiple of 32)')
    parser.add_argument('--seed', type=int, default=0, help='mask seed')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def centre_crop(image: np.ndarray, size: int) -> np.ndarray:
    """Resize the short side to ``size`` and cut the central square."""
    height, width = image.shape[:2]
    scale = size / min(height, width)
    resized = cv2.resize(image, (max(size, round(width * scale)),
                                 max(size, round(height * scale))),
                         interpolation=cv2.INTER_CUBIC)
    top = (resized.shape[0] - size) // 2
    left = (resized.shape[1] - size) // 2
    return resized[top:top + size, left:left + size]


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
    try:
        load_checkpoint(model, args.checkpoint, map_location='cpu',
                        strict=True)
    except RuntimeError as err:
        raise CheckpointMismatchError(
            f'{args.checkpoint} does not fit the model of {args.config}: '
            f'{str(err).splitlines()[0]}') from err
    image = centre_crop(read_image(args.image), args.size)
    batch = dict(inputs=[torch.from_numpy(image).permute(2, 0, 1)[None]],
                 data_samples=None)
    images = model.data_preprocessor(batch, False)['inputs']
    images = images[0] if isinstance(images, (list, tuple)) else images
    picture = render_reconstruction(model, images, seed=args.seed)
    Image.fromarray(picture).save(args.out)
    print(f'reconstruction written to {args.out}')


if __name__ == '__main__':
    main()
