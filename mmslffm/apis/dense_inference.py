"""Per-pixel large-scene inference (segmentation, change detection) written window by window.

mmseg's ``inference_model`` takes a whole image in memory and returns a whole mask; for
20k x 20k scenes this reads overlapping windows with rasterio, keeps each window's central
part (no seams, every pixel predicted once in the output) and writes the mask as a GeoTIFF
one full-width row band at a time, with the input's georeference. The PNG is made from that
GeoTIFF afterwards, downsampled when the scene is large.
"""

import os.path as osp
from itertools import groupby
from typing import Callable, List, Sequence

import numpy as np
import rasterio
import torch
from mmengine.utils import ProgressBar
from mmseg.structures import SegDataSample
from rasterio.windows import Window
from torch import nn

from mmslffm.utils.atomic_output import written_atomically
from mmslffm.visualization.scene_previews import (
    colourise,
    palette_for,
    preview_factor,
    read_preview,
    save_png,
)
from .model_loading import build_window_pipeline
from .raster_windows import (
    SceneWindow,
    is_georeferenced,
    is_nodata,
    open_scene,
    plan_windows,
    read_bgr,
)
from .window_geometry import (
    check_same_grid,
    pad_to_min_side,
    rescale_window,
    restore_mask,
)

__all__ = [
    'segment_scene',
    'detect_changes',
    'predict_to_geotiff',
    'NODATA_INDEX',
]

NODATA_INDEX = 255  # class-index GeoTIFF value for pixels no window predicted
WindowPredictor = Callable[[List[np.ndarray]], np.ndarray]


def predict_to_geotiff(
    scenes: Sequence,
    windows: List[SceneWindow],
    predict: WindowPredictor,
    bands: Sequence[int],
    out_path: str,
) -> None:
    """Run ``predict`` on every window and write its core to an (H, W) uint8 GeoTIFF.

    Args:
        scenes: open rasterio datasets of the same size (one, or A and B).
        windows: from :func:`plan_windows`, row-major.
        predict: (h, w, 3) BGR arrays, one per scene -> (h, w) uint8 indices.
        out_path: GeoTIFF written one full-width band of rows at a time, with
            the first scene's georeference; windows that are nodata in every
            scene are written as :data:`NODATA_INDEX`. It appears only when
            complete: a failure mid-scene leaves no file (and removes the
            partial one).
    """
    reference = scenes[0]
    profile = dict(
        driver='GTiff',
        height=reference.height,
        width=reference.width,
        count=1,
        dtype='uint8',
        nodata=NODATA_INDEX,
        compress='deflate',
        blockysize=1,
    )  # one-row strips: row bands never split one
    if is_georeferenced(reference):
        profile.update(crs=reference.crs, transform=reference.transform)
    progress = ProgressBar(len(windows))
    with (
        written_atomically(out_path) as partial,
        rasterio.open(partial, 'w', **profile) as output,
    ):
        for _, row in groupby(windows, key=lambda w: w.core.row_off):
            row = list(row)
            core = row[0].core
            band = np.full(
                (int(core.height), reference.width), NODATA_INDEX, np.uint8
            )
            for item in row:
                pixels = [
                    read_bgr(scene, item.window, bands) for scene in scenes
                ]
                progress.update()
                if all(
                    is_nodata(scene, array)
                    for scene, array in zip(scenes, pixels)
                ):
                    continue
                rows, cols = item.core_in_window()
                left = int(item.core.col_off)
                band[:, left : left + int(item.core.width)] = predict(pixels)[
                    rows, cols
                ]
            output.write(
                band,
                1,
                window=Window(0, core.row_off, reference.width, core.height),
            )
    print()


def _save_preview(
    index_path: str, png_path: str, palette: np.ndarray, max_side: int
) -> None:
    with rasterio.open(index_path) as index:
        factor = preview_factor(index.height, index.width, max_side)
        save_png(
            png_path,
            colourise(
                read_preview(index, factor, [1], categorical=True), palette
            ),
        )


def segment_scene(
    model: nn.Module,
    image: str,
    out_dir: str,
    window: int = 1024,
    overlap: int = 256,
    scale: float = 1.0,
    bands: Sequence[int] = (1, 2, 3),
    max_png_side: int = 8192,
) -> dict:
    """Segment a scene of any size with an mmseg segmentor.

    ``window``/``overlap`` are in scene pixels; each window is resized by
    ``scale`` for the model and its mask resized back (nearest).

    Writes ``<name>_classes.tif`` (class indices, the input's georeference,
    255 = nodata) and ``<name>_mask.png`` (dataset palette colours).

    Returns:
        ``{'classes': tif path, 'mask_png': png path}``.
    """
    pipeline = build_window_pipeline(model, scope_prefix='mmseg')

    def predict(pixels: List[np.ndarray]) -> np.ndarray:
        image = rescale_window(pixels[0], scale)
        data = pipeline(dict(img=pad_to_min_side(image)))
        with torch.no_grad():
            result = model.test_step(
                dict(
                    inputs=[data['inputs']],
                    data_samples=[data['data_samples']],
                )
            )[0]
        mask = result.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
        mask = mask[: image.shape[0], : image.shape[1]]  # drop the padding
        return restore_mask(mask, pixels[0].shape[:2])

    name = osp.splitext(osp.basename(image))[0]
    outputs = dict(
        classes=osp.join(out_dir, f'{name}_classes.tif'),
        mask_png=osp.join(out_dir, f'{name}_mask.png'),
    )
    with open_scene(image, bands) as scene:
        windows = plan_windows(scene.height, scene.width, window, overlap)
        predict_to_geotiff(
            [scene], windows, predict, bands, outputs['classes']
        )
    meta = getattr(model, 'dataset_meta', None) or {}
    num_classes = model.decode_head.num_classes
    _save_preview(
        outputs['classes'],
        outputs['mask_png'],
        palette_for(num_classes, meta.get('palette')),
        max_png_side,
    )
    return outputs


def detect_changes(
    model: nn.Module,
    image_a: str,
    image_b: str,
    out_dir: str,
    window: int = 1024,
    overlap: int = 256,
    scale: float = 1.0,
    bands: Sequence[int] = (1, 2, 3),
    max_png_side: int = 8192,
) -> dict:
    """Change map of two co-registered scenes with a change segmentor.

    The model contract: mmseg's segmentor API, ``inputs`` (B, 6, H, W) = A's
    bands then B's, each in RGB order as ``LoadImagePairFromFile`` gives the
    change-detection models in training, prediction ``pred_sem_seg`` 0/1.
    Writes ``<A name>_change.tif`` (0/1, 255 = nodata, georeference of A)
    and ``<A name>_change.png`` (changed = white). A and B must share size,
    CRS and transform; ``scale`` as in :func:`segment_scene`.
    """

    def predict(pixels: List[np.ndarray]) -> np.ndarray:
        rgb_pair = np.concatenate(
            [rescale_window(bgr[..., ::-1], scale) for bgr in pixels], axis=2
        )
        height, width = rgb_pair.shape[:2]
        stacked = (
            torch.from_numpy(pad_to_min_side(rgb_pair))
            .permute(2, 0, 1)
            .contiguous()
        )
        shape = tuple(stacked.shape[1:])
        sample = SegDataSample(
            metainfo=dict(img_shape=shape, ori_shape=shape, pad_shape=shape)
        )
        with torch.no_grad():
            result = model.test_step(
                dict(inputs=[stacked], data_samples=[sample])
            )[0]
        mask = result.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
        return restore_mask(mask[:height, :width], pixels[0].shape[:2])

    name = osp.splitext(osp.basename(image_a))[0]
    outputs = dict(
        change=osp.join(out_dir, f'{name}_change.tif'),
        change_png=osp.join(out_dir, f'{name}_change.png'),
    )
    with (
        open_scene(image_a, bands) as scene_a,
        open_scene(image_b, bands) as scene_b,
    ):
        check_same_grid(scene_a, scene_b, image_a, image_b)
        windows = plan_windows(scene_a.height, scene_a.width, window, overlap)
        predict_to_geotiff(
            [scene_a, scene_b], windows, predict, bands, outputs['change']
        )
    _save_preview(
        outputs['change'],
        outputs['change_png'],
        np.array([[0, 0, 0], [255, 255, 255]], np.uint8),
        max_png_side,
    )
    return outputs
