"""Run a trained model over scenes of any size (PNG/JPG/TIF/GeoTIFF), window by window.

    python tools/infer_large.py CONFIG CHECKPOINT INPUT [INPUT_B] --out DIR
        [--window N] [--overlap N] [--scale S] [--bands 1 2 3] [--device cuda:0]
        [--max-window-bytes N] [--cfg-options k=v ...] [--allow-partial] [--unsafe-load]
        [--debug]

The task follows from the model: a detector (mmrotate) writes ``<name>_detections.geojson``
(polygons in map coordinates for georeferenced scenes, else pixels) and a PNG; a segmentor
(mmseg) writes ``<name>_classes.tif`` (class indices with the input's georeference) and
``<name>_mask.png``; a segmentor with two inputs A B (change detection) writes
``<A>_change.tif`` and ``<A>_change.png``. PNGs are downsampled past --max-png-side.
The window defaults to the size the model was trained on (read from its config).
Outputs appear only when complete (written under a temporary name, then renamed).
"""

import argparse

from mmengine.config import DictAction

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis import infer_large_scene
from mmslffm.apis.cli import (
    add_checkpoint_arguments,
    add_debug_argument,
    exit_on_user_error,
)
from mmslffm.apis.raster_windows import DEFAULT_MAX_WINDOW_BYTES


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument(
        'inputs',
        nargs='+',
        metavar='INPUT',
        help='one scene, or A B for change detection',
    )
    parser.add_argument('--out', required=True, help='output folder')
    parser.add_argument(
        '--window',
        type=int,
        help='window side in model pixels (default: the '
        "config's crop size: slide crop, test resize or "
        'training crop)',
    )
    parser.add_argument(
        '--overlap',
        type=int,
        help='window overlap in model pixels (detection '
        '200/1024 of the window, else a quarter)',
    )
    parser.add_argument(
        '--scale',
        type=float,
        default=1.0,
        help='rescaling the model was trained with, e.g. 0.5 '
        'for a DOTA split at --rates 0.5 (1.0)',
    )
    parser.add_argument(
        '--bands',
        type=int,
        nargs=3,
        default=[1, 2, 3],
        help='1-based bands used as R G B (1 2 3)',
    )
    parser.add_argument('--device', default='cpu', help='cpu or cuda:N')
    parser.add_argument(
        '--max-png-side',
        type=int,
        default=8192,
        help='PNG previews are downsampled to this side',
    )
    parser.add_argument(
        '--score-thr',
        type=float,
        default=0.05,
        help='detection: lowest score kept',
    )
    parser.add_argument(
        '--nms-iou',
        type=float,
        default=0.1,
        help='detection: rotated NMS IoU when merging windows',
    )
    parser.add_argument(
        '--max-window-bytes',
        type=int,
        default=DEFAULT_MAX_WINDOW_BYTES,
        help='largest window read (window x window x bands x bytes per '
        'sample) and output row band (window x scene width); the scene may '
        f'be any size (default {DEFAULT_MAX_WINDOW_BYTES // 2**20} MiB)',
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config values, as in tools/test.py',
    )
    add_checkpoint_arguments(parser)
    add_debug_argument(parser)
    return parser.parse_args()


@exit_on_user_error
def main() -> None:
    args = parse_args()
    outputs = infer_large_scene(
        args.config,
        args.checkpoint,
        args.inputs,
        args.out,
        window=args.window,
        overlap=args.overlap,
        scale=args.scale,
        bands=args.bands,
        device=args.device,
        max_png_side=args.max_png_side,
        nms_iou=args.nms_iou,
        score_thr=args.score_thr,
        cfg_options=args.cfg_options,
        allow_partial=args.allow_partial,
        unsafe_load=args.unsafe_load,
        max_window_bytes=args.max_window_bytes,
    )
    print(f'task: {outputs.pop("task")}')
    for key, value in outputs.items():
        print(f'  {key}: {value}')


if __name__ == '__main__':
    main()
