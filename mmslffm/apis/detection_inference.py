"""Oriented detection on a large scene: sliding windows, shift back, rotated-NMS merge.

mmdet's ``inference_detector`` handles one in-memory image and mmrotate's DOTA merge works on
pre-cut patch files; here windows are read lazily from the scene (PNG/JPG/GeoTIFF), each
window's rotated boxes are moved to scene pixels and merged with class-aware rotated NMS
(:mod:`mmslffm.evaluation.functional.rotated_merge`, shared with the DOTA patch merge), then
written as GeoJSON polygons (map coordinates when the scene is georeferenced, pixel
coordinates otherwise) plus a downsampled PNG.
"""

import json
import os.path as osp
from typing import List, Sequence

import numpy as np
import torch
from mmengine.utils import ProgressBar
from mmrotate.structures.bbox import rbox2qbox
from torch import nn

from mmslffm.evaluation.functional import (
    boxes_to_scene,
    class_aware_rotated_nms,
)
from mmslffm.utils.atomic_output import written_atomically
from mmslffm.visualization.scene_previews import (
    draw_polygons,
    palette_for,
    preview_factor,
    read_preview,
    save_png,
)
from .model_loading import build_window_pipeline
from .raster_windows import (
    is_georeferenced,
    is_nodata,
    open_scene,
    plan_windows,
    read_bgr,
)
from .window_geometry import pad_to_min_side, rescale_window

__all__ = ['detect_scene', 'polygons_to_geojson']


def _pixel_to_map(points: np.ndarray, transform) -> np.ndarray:
    """(N, 2) pixel (col, row) positions -> (N, 2) map (x, y) by the affine."""
    a, b, c, d, e, f = tuple(transform)[:6]
    cols, rows = points[:, 0], points[:, 1]
    return np.stack([a * cols + b * rows + c, d * cols + e * rows + f], axis=1)


def _ring(points: np.ndarray) -> List[List[float]]:
    """Closed counter-clockwise ring (RFC 7946) from (4, 2) corner points."""
    x, y = points[:, 0], points[:, 1]
    signed_area = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)
    if signed_area < 0:
        points = points[::-1]
    ring = points.tolist()
    return ring + [ring[0]]


def polygons_to_geojson(
    polygons: np.ndarray,
    scores: np.ndarray,
    labels: np.ndarray,
    classes: Sequence[str],
    scene,
) -> dict:
    """FeatureCollection of (N, 4, 2) pixel polygons, in map coordinates when
    ``scene`` is georeferenced (with a ``crs`` member naming its CRS)."""
    georeferenced = is_georeferenced(scene)
    features = []
    for polygon, score, label in zip(polygons, scores, labels):
        points = polygon.astype(np.float64)
        if georeferenced:
            points = _pixel_to_map(points, scene.transform)
        name = classes[label] if label < len(classes) else str(label)
        features.append(
            dict(
                type='Feature',
                geometry=dict(type='Polygon', coordinates=[_ring(points)]),
                properties=dict(
                    label=name,
                    label_index=int(label),
                    score=round(float(score), 4),
                ),
            )
        )
    collection = dict(type='FeatureCollection', features=features)
    if georeferenced and scene.crs is not None:
        collection['crs'] = dict(
            type='name', properties=dict(name=scene.crs.to_string())
        )
    return collection


def detect_scene(
    model: nn.Module,
    image: str,
    out_dir: str,
    window: int = 1024,
    overlap: int = 200,
    scale: float = 1.0,
    bands: Sequence[int] = (1, 2, 3),
    nms_iou: float = 0.1,
    score_thr: float = 0.05,
    max_png_side: int = 8192,
) -> dict:
    """Detect oriented objects on a scene of any size with an mmrotate model.

    Windows whose pixels all equal the file's nodata value are skipped.
    ``window``/``overlap`` are in scene pixels; each window is resized by
    ``scale`` for the model and its boxes scaled back by ``1 / scale``.
    Writes ``<name>_detections.geojson`` and ``<name>_detections.png``.

    Returns:
        ``{'geojson': path, 'png': path, 'count': number of detections}``.
    """
    pipeline = build_window_pipeline(model, scope_prefix='mmdet')
    boxes, scores, labels = [], [], []
    name = osp.splitext(osp.basename(image))[0]
    with open_scene(image, bands) as scene:
        windows = plan_windows(scene.height, scene.width, window, overlap)
        progress = ProgressBar(len(windows))
        for item in windows:
            pixels = read_bgr(scene, item.window, bands)
            progress.update()
            if is_nodata(scene, pixels):
                continue
            image = rescale_window(pixels, scale)
            data = pipeline(dict(img=pad_to_min_side(image), img_id=0))
            with torch.no_grad():
                found = model.test_step(
                    dict(
                        inputs=[data['inputs']],
                        data_samples=[data['data_samples']],
                    )
                )[0].pred_instances
            window_boxes = getattr(found.bboxes, 'tensor', found.bboxes)
            inside = (window_boxes[:, 0] < image.shape[1]) & (
                window_boxes[:, 1] < image.shape[0]
            )  # centres on the padding of a narrow scene are dropped
            found = found[(found.scores >= score_thr) & inside]
            window_boxes = getattr(found.bboxes, 'tensor', found.bboxes)
            # windows were resized by ``scale`` before the model saw them
            boxes.append(
                boxes_to_scene(
                    window_boxes.detach().cpu(),
                    (item.window.col_off * scale, item.window.row_off * scale),
                    rate=scale,
                )
            )
            scores.append(found.scores.detach().cpu())
            labels.append(found.labels.detach().cpu())
        print()
        merged_boxes, merged_scores, merged_labels = class_aware_rotated_nms(
            torch.cat(boxes) if boxes else torch.zeros((0, 5)),
            torch.cat(scores) if scores else torch.zeros(0),
            torch.cat(labels) if labels else torch.zeros(0, dtype=torch.long),
            nms_iou,
        )
        polygons = rbox2qbox(merged_boxes).reshape(-1, 4, 2).numpy()
        classes = (getattr(model, 'dataset_meta', None) or {}).get(
            'classes', ()
        )
        collection = polygons_to_geojson(
            polygons,
            merged_scores.numpy(),
            merged_labels.numpy(),
            classes,
            scene,
        )
        outputs = dict(
            geojson=osp.join(out_dir, f'{name}_detections.geojson'),
            png=osp.join(out_dir, f'{name}_detections.png'),
            count=len(polygons),
        )
        with (
            written_atomically(outputs['geojson']) as partial,
            open(partial, 'w') as file,
        ):
            json.dump(collection, file)
        factor = preview_factor(scene.height, scene.width, max_png_side)
        preview = read_preview(scene, factor, bands, categorical=False)
    meta = getattr(model, 'dataset_meta', None) or {}
    palette = palette_for(max(len(classes), 1), meta.get('palette'))
    save_png(
        outputs['png'],
        draw_polygons(
            preview, polygons / factor, merged_labels.numpy(), palette
        ),
    )
    return outputs
