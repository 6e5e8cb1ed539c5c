"""VOC-style mAP with exact polygon IoU, as the DOTA devkit computes it on whole scenes.

Why not mmrotate's ``eval_rbbox_map(box_type='qbox')``: its IoU is mmcv's ``box_iou_quadri``,
which on the CPU returns wrong values for ordinary pairs (a labelled DOTA quadrilateral and its
own minimum-area rectangle: 0.29 where the exact IoU is 0.91; measured on P1888 of the bundled
samples, 7 of 64 objects). Ranking, matching (IoU > threshold, each object matched once,
detections on difficult objects neither true nor false) and AP (``average_precision`` of
mmdet, VOC07 11-point or area) follow the devkit; only the IoU is computed here, exactly:
the labelled polygon (any simple polygon) clipped by the detection rectangle (convex).
"""

from typing import List, Sequence, Tuple

import numpy as np
from mmdet.evaluation.functional import average_precision
from mmrotate.evaluation.functional.mean_ap import print_map_summary

__all__ = ['polygon_iou', 'polygon_voc_map']

Polygon = List[Tuple[float, float]]


def _signed_area(points: Polygon) -> float:
    return 0.5 * sum(
        x0 * y1 - x1 * y0
        for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])
    )


def _clip(subject: Polygon, clipper: Polygon) -> Polygon:
    """Sutherland-Hodgman: ``subject`` clipped by the convex, positively wound ``clipper``."""
    output = subject
    for (ax, ay), (bx, by) in zip(clipper, clipper[1:] + clipper[:1]):
        if not output:
            break
        ex, ey = bx - ax, by - ay
        inputs, output = output, []
        previous = inputs[-1]
        previous_in = ex * (previous[1] - ay) - ey * (previous[0] - ax) >= 0
        for current in inputs:
            current_in = ex * (current[1] - ay) - ey * (current[0] - ax) >= 0
            if current_in != previous_in:
                dx, dy = current[0] - previous[0], current[1] - previous[1]
                denominator = dx * ey - dy * ex
                t = (
                    (ax - previous[0]) * ey - (ay - previous[1]) * ex
                ) / denominator
                output.append((previous[0] + t * dx, previous[1] + t * dy))
            if current_in:
                output.append(current)
            previous, previous_in = current, current_in
    return output


def polygon_iou(polygon: Sequence[float], convex: Sequence[float]) -> float:
    """IoU of a simple polygon (2N,) and a convex polygon (2M,), e.g. a label and a detection."""
    subject = list(zip(map(float, polygon[0::2]), map(float, polygon[1::2])))
    clipper = list(zip(map(float, convex[0::2]), map(float, convex[1::2])))
    if _signed_area(clipper) < 0:
        clipper.reverse()
    area_subject = abs(_signed_area(subject))
    area_clipper = abs(_signed_area(clipper))
    intersection = abs(_signed_area(_clip(subject, clipper)))
    union = area_subject + area_clipper - intersection
    return intersection / union if union > 0 else 0.0


def _hbb(polygons: np.ndarray) -> np.ndarray:
    """(N, 2K) polygons -> (N, 4) x_min, y_min, x_max, y_max."""
    return np.concatenate(
        [
            polygons[:, 0::2].min(1, keepdims=True),
            polygons[:, 1::2].min(1, keepdims=True),
            polygons[:, 0::2].max(1, keepdims=True),
            polygons[:, 1::2].max(1, keepdims=True),
        ],
        axis=1,
    )


def _match_class(
    detections: List[np.ndarray],
    objects: List[np.ndarray],
    difficult: List[np.ndarray],
    iou_thr: float,
) -> Tuple[np.ndarray, np.ndarray, int]:
    """TP/FP flags of one class's detections, ranked by score over all scenes."""
    scene_of = np.concatenate(
        [np.full(len(dets), index) for index, dets in enumerate(detections)]
    ).astype(int)
    rows = np.concatenate(detections, axis=0)
    order = np.argsort(-rows[:, 8], kind='stable')
    taken = [np.zeros(len(o), bool) for o in objects]
    boxes = [_hbb(o) if len(o) else np.zeros((0, 4)) for o in objects]
    tp, fp = np.zeros(len(rows)), np.zeros(len(rows))
    for rank, index in enumerate(order):
        scene, polygon = scene_of[index], rows[index, :8]
        x0, y0, x1, y1 = _hbb(polygon[None])[0]
        hbb = boxes[scene]
        candidates = np.nonzero(
            (hbb[:, 0] < x1)
            & (hbb[:, 2] > x0)
            & (hbb[:, 1] < y1)
            & (hbb[:, 3] > y0)
        )[0]
        ious = [polygon_iou(objects[scene][c], polygon) for c in candidates]
        if ious and max(ious) > iou_thr:
            best = candidates[int(np.argmax(ious))]
            if difficult[scene][best]:
                continue
            if taken[scene][best]:
                fp[rank] = 1
            else:
                taken[scene][best] = True
                tp[rank] = 1
        else:
            fp[rank] = 1
    positives = sum(int((~d).sum()) for d in difficult)
    return tp, fp, positives


def polygon_voc_map(
    detections: Sequence[Sequence[np.ndarray]],
    annotations: Sequence[dict],
    iou_thr: float = 0.5,
    use_07_metric: bool = True,
    class_names: Sequence[str] = (),
    logger=None,
) -> Tuple[float, List[dict]]:
    """mAP over classes that have objects (the devkit's Task1 protocol).

    Args:
        detections: per scene, per class (M, 9) ``x1 y1 ... x4 y4 score``.
        annotations: per scene ``polygons`` (K, 8), ``labels`` (K,) and
            ``difficult`` (K,) bool.
        iou_thr: a detection is a match when IoU > iou_thr.
        use_07_metric: VOC07 11-point AP, else the area under the PR curve.
        class_names: for the printed table; ``logger='silent'`` prints none.

    Returns:
        (mAP, per-class dicts with num_gts, num_dets, recall, precision, ap).
    """
    num_classes = len(detections[0]) if detections else len(class_names)
    results = []
    for label in range(num_classes):
        dets = [scene[label].reshape(-1, 9) for scene in detections]
        objects = [a['polygons'][a['labels'] == label] for a in annotations]
        difficult = [
            a['difficult'][a['labels'] == label].astype(bool)
            for a in annotations
        ]
        tp, fp, positives = _match_class(dets, objects, difficult, iou_thr)
        tp, fp = np.cumsum(tp), np.cumsum(fp)
        recall = tp / max(positives, np.finfo(np.float32).eps)
        precision = tp / np.maximum(tp + fp, np.finfo(np.float32).eps)
        ap = average_precision(
            recall, precision, '11points' if use_07_metric else 'area'
        )
        results.append(
            dict(
                num_gts=positives,
                num_dets=len(tp),
                recall=recall,
                precision=precision,
                ap=float(ap),
            )
        )
    aps = [r['ap'] for r in results if r['num_gts'] > 0]
    mean_ap = float(np.mean(aps)) if aps else 0.0
    if logger != 'silent':
        print_map_summary(
            mean_ap, results, list(class_names) or None, logger=logger
        )
    return mean_ap, results
