"""Scene mAP: perfect detections, a hand-computed AP, agreement with the DOTA devkit's
evaluation (re-implemented below from its published description), Task1 files, and the
metric run the way the test loop runs it."""

import os

import cv2
import numpy as np
import pytest
import torch
from mmengine.structures import InstanceData
from mmrotate.structures.bbox import RotatedBoxes, qbox2rbox

from mmslffm.datasets.dota_labels import DOTA_CLASSES, read_dota_labels
from mmslffm.evaluation import DOTASceneMetric
from mmslffm.evaluation.functional import write_task1_submission
from mmslffm.evaluation.metrics.dota_metric import scene_map


def _rbox(polygon):
    quad = torch.as_tensor(np.asarray(polygon, dtype=np.float32))
    return qbox2rbox(quad[None])[0].numpy()


def _rect(x0, y0, x1, y1):
    return [x0, y0, x1, y0, x1, y1, x0, y1]


def _merged(scene_dets, num_classes=len(DOTA_CLASSES)):
    """{scene: [(class index, polygon, score), ...]} -> merge output format."""
    merged = {}
    for scene, dets in scene_dets.items():
        per_class = [[] for _ in range(num_classes)]
        for label, polygon, score in dets:
            per_class[label].append(np.append(_rbox(polygon), score))
        merged[scene] = [
            np.array(rows, np.float32).reshape(-1, 6) for rows in per_class
        ]
    return merged


def _write_labels(folder, scene, lines):
    folder.mkdir(exist_ok=True)
    (folder / f'{scene}.txt').write_text(
        ''.join(f'{line}\n' for line in lines)
    )


def test_ground_truth_as_detections_gives_map_1():
    scene_dets = {}
    for scene in ('P0075', 'P1888'):
        objects = read_dota_labels(
            f'demo/data/dota/labelTxt/{scene}.txt', DOTA_CLASSES
        ).objects
        scene_dets[scene] = [
            (
                DOTA_CLASSES.index(o.class_name),
                o.polygon.tolist(),
                1 - 0.01 * i,
            )
            for i, o in enumerate(objects)
        ]
    assert scene_map(
        _merged(scene_dets), 'demo/data/dota/labelTxt', DOTA_CLASSES
    ) == pytest.approx(1.0)


def test_hand_computed_ap_with_difficult_duplicate_and_miss(tmp_path):
    labels = tmp_path / 'labelTxt'
    _write_labels(
        labels,
        'A',
        [
            '0 0 10 0 10 10 0 10 plane 0',
            '100 100 120 100 120 120 100 120 plane 0',  # never detected
            '50 50 70 50 70 60 50 60 ship 0',
        ],
    )
    _write_labels(
        labels,
        'B',
        [
            '0 0 10 0 10 10 0 10 plane 0',
            '30 30 50 30 50 50 30 50 plane 1',  # difficult
        ],
    )
    plane, ship = DOTA_CLASSES.index('plane'), DOTA_CLASSES.index('ship')
    merged = _merged(
        {
            'A': [
                (plane, _rect(0, 0, 10, 10), 0.9),  # TP
                (plane, _rect(200, 200, 210, 210), 0.8),  # FP, nothing there
                (plane, _rect(0, 0, 10, 11), 0.5),  # FP, duplicate (IoU .91)
                (ship, _rect(50, 50, 70, 60), 0.4),
            ],  # TP
            'B': [
                (plane, _rect(0, 0, 10, 10), 0.7),  # TP
                (plane, _rect(30, 30, 50, 50), 0.6),
            ],  # on a difficult: ignored
        }
    )
    # plane, 3 counted objects, ranked: TP FP TP FP (difficult one skipped)
    # recall  1/3 1/3 2/3 2/3, precision 1 1/2 2/3 1/2
    # 11-point: recall >= 0, .1, .2, .3 -> max precision 1; >= .4, .5, .6 ->
    # 2/3; >= .7 ... 1 -> 0.  AP = (4 + 3 * 2/3) / 11 = 6/11.  ship: AP 1.
    expected = (6 / 11 + 1) / 2
    assert scene_map(merged, str(labels), DOTA_CLASSES) == pytest.approx(
        expected
    )


# --- the DOTA devkit's Task1 evaluation, written from its description -----------------
# (dota_evaluation_task1.py: per class, all detections of the Task1 file ranked by score;
# each matched to the labelled polygon of its image with the highest polygon IoU; IoU > 0.5
# and not yet taken -> TP, taken -> FP, difficult -> neither; recall over non-difficult
# objects; VOC07 11-point AP.)


def _ccw(points):
    x, y = points[:, 0], points[:, 1]
    signed = np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))
    return points if signed > 0 else points[::-1]


def _area(points):
    if len(points) < 3:
        return 0.0
    x, y = points[:, 0], points[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _cross(u, v):
    """z of the 2-D cross product (np.cross on 2-D vectors is deprecated)."""
    return u[0] * v[1] - u[1] * v[0]


def _convex_intersection(subject, clipper):
    """Sutherland-Hodgman: subject polygon clipped by a convex, CCW clipper."""
    output = subject
    for i in range(len(clipper)):
        a, b = clipper[i], clipper[(i + 1) % len(clipper)]
        edge = b - a
        inputs, output = output, []
        if len(inputs) == 0:
            break
        for j in range(len(inputs)):
            p, q = inputs[j - 1], inputs[j]
            p_in = _cross(edge, p - a) >= 0
            q_in = _cross(edge, q - a) >= 0
            if q_in != p_in:
                d = q - p
                t = _cross(a - p, edge) / _cross(d, edge)
                output.append(p + t * d)
            if q_in:
                output.append(q)
        output = np.array(output).reshape(-1, 2)
    return np.asarray(output).reshape(-1, 2)


def _polygon_iou(a, b):
    a, b = _ccw(np.reshape(a, (4, 2))), _ccw(np.reshape(b, (4, 2)))
    inter = _area(_convex_intersection(a, b))
    return inter / (_area(a) + _area(b) - inter)


def _devkit_ap(task1_file, label_dir, class_name):
    objects = {}
    for name in os.listdir(label_dir):
        parsed = read_dota_labels(
            os.path.join(label_dir, name), DOTA_CLASSES
        ).objects
        objects[name[:-4]] = [o for o in parsed if o.class_name == class_name]
    taken = {scene: [False] * len(objs) for scene, objs in objects.items()}
    positives = sum(
        o.difficult == 0 for objs in objects.values() for o in objs
    )
    with open(task1_file) as handle:
        rows = [line.split() for line in handle if line.strip()]
    rows.sort(key=lambda row: -float(row[1]))
    tp, fp = [], []
    for row in rows:
        scene, polygon = row[0], np.array(row[2:10], dtype=float)
        candidates = objects.get(scene, [])
        ious = [_polygon_iou(polygon, o.polygon) for o in candidates]
        best = int(np.argmax(ious)) if ious else -1
        if best >= 0 and ious[best] > 0.5:
            if candidates[best].difficult:
                continue
            hit = not taken[scene][best]
            taken[scene][best] = True
            tp.append(int(hit))
            fp.append(int(not hit))
        else:
            tp.append(0)
            fp.append(1)
    tp, fp = np.cumsum(tp), np.cumsum(fp)
    recall = tp / positives
    precision = tp / np.maximum(tp + fp, np.finfo(float).eps)
    return sum(
        (precision[recall >= t].max() if (recall >= t).any() else 0) / 11
        for t in np.arange(0, 1.1, 0.1)
    )


def _random_quad(rng, centre):
    """A convex quadrilateral (a rotated rectangle with jittered corners)."""
    w, h, angle = rng.uniform(8, 40), rng.uniform(8, 40), rng.uniform(0, np.pi)
    corners = np.array([[-w, -h], [w, -h], [w, h], [-w, h]]) / 2
    rotation = np.array(
        [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]
    )
    corners = corners @ rotation.T + centre
    corners += rng.uniform(-1.5, 1.5, corners.shape)
    return corners.reshape(-1)


def test_scene_map_agrees_with_devkit_evaluation_of_task1_files(tmp_path):
    rng = np.random.default_rng(7)
    labels = tmp_path / 'labelTxt'
    classes = [DOTA_CLASSES.index(c) for c in ('plane', 'ship', 'harbor')]
    scene_dets = {}
    for scene_index in range(4):
        scene, lines, dets = f'P{scene_index:04d}', [], []
        for _ in range(12):
            label = int(rng.choice(classes))
            quad = _random_quad(rng, rng.uniform(50, 950, 2))
            difficult = int(rng.uniform() < 0.15)
            lines.append(
                ' '.join(f'{v:.1f}' for v in quad)
                + f' {DOTA_CLASSES[label]} {difficult}'
            )
            quad = np.array(lines[-1].split()[:8], dtype=float)
            if rng.uniform() < 0.8:  # detected, with a shifted, resized box
                box = _rbox(quad)
                box[:2] += rng.normal(0, 3, 2)
                box[2:4] *= rng.uniform(0.8, 1.2, 2)
                dets.append((label, box, rng.uniform()))
            if rng.uniform() < 0.3:  # a false alarm somewhere else
                dets.append(
                    (
                        label,
                        _rbox(_random_quad(rng, rng.uniform(50, 950, 2))),
                        rng.uniform(),
                    )
                )
        _write_labels(labels, scene, lines)
        per_class = [[] for _ in DOTA_CLASSES]
        for label, box, score in dets:
            per_class[label].append(np.append(box, score))
        scene_dets[scene] = [
            np.array(rows, np.float32).reshape(-1, 6) for rows in per_class
        ]
    ours = scene_map(scene_dets, str(labels), DOTA_CLASSES)
    out_dir = tmp_path / 'submission'
    write_task1_submission(scene_dets, DOTA_CLASSES, str(out_dir))
    devkit_aps = [
        _devkit_ap(
            str(out_dir / f'Task1_{DOTA_CLASSES[c]}.txt'),
            str(labels),
            DOTA_CLASSES[c],
        )
        for c in classes
    ]
    assert 0.2 < np.mean(devkit_aps) < 0.95  # a non-trivial case
    assert ours == pytest.approx(np.mean(devkit_aps), abs=1e-4)


def test_task1_files_and_zip(tmp_path):
    merged = _merged({'P0001': [(0, _rect(0, 0, 10, 20), 0.123456)]})
    zip_path = write_task1_submission(merged, DOTA_CLASSES, str(tmp_path))
    assert os.path.basename(zip_path) == 'Task1.zip'
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        assert sorted(archive.namelist()) == sorted(
            f'Task1_{c}.txt' for c in DOTA_CLASSES
        )
    line = (tmp_path / 'Task1_plane.txt').read_text().split()
    assert line[:2] == ['P0001', '0.123456']
    corners = np.array(line[2:], dtype=float).reshape(4, 2)
    assert sorted(map(tuple, corners)) == [(0, 0), (0, 20), (10, 0), (10, 20)]
    assert (tmp_path / 'Task1_ship.txt').read_text() == ''


def test_metric_reports_patch_and_scene_map_like_the_test_loop(tmp_path):
    """GT of two patches of one scene fed back as predictions: both mAPs are 1."""
    labels = tmp_path / 'labelTxt'
    _write_labels(
        labels,
        'S',
        [
            '10 10 40 10 40 30 10 30 plane 0',
            '230 100 280 100 280 120 230 120 ship 0',
        ],
    )
    patches = {  # (patch name, its objects in patch pixels)
        'S__1__0___0': [(0, _rect(10, 10, 40, 30))],
        'S__1__144___0': [(6, _rect(86, 100, 136, 120))],
    }
    scenes = tmp_path / 'scenes'
    scenes.mkdir()
    cv2.imwrite(str(scenes / 'S.png'), np.zeros((300, 400, 3), np.uint8))
    metric = DOTASceneMetric(
        scene_ann_dir=str(labels),
        submission_dir=str(tmp_path / 'out'),
        scene_img_dir=str(scenes),
    )
    metric.dataset_meta = dict(
        classes=DOTA_CLASSES, palette=[(255, 0, 0)] * len(DOTA_CLASSES)
    )
    samples = []
    for name, objects in patches.items():
        boxes = RotatedBoxes(
            torch.tensor(np.stack([_rbox(p) for _, p in objects]))
        )
        labels_t = torch.tensor([label for label, _ in objects])
        samples.append(
            dict(
                img_id=name,
                gt_instances=dict(bboxes=boxes, labels=labels_t),
                ignored_instances=dict(
                    bboxes=RotatedBoxes(torch.zeros(0, 5)),
                    labels=torch.zeros(0, dtype=torch.long),
                ),
                pred_instances=InstanceData(
                    bboxes=boxes.tensor,
                    scores=torch.ones(len(objects)),
                    labels=labels_t,
                ).to_dict(),
            )
        )
    metric.process({}, samples)
    results = metric.compute_metrics(metric.results)
    assert results['mAP'] == pytest.approx(1.0)
    assert results['scene_mAP'] == pytest.approx(1.0)
    assert (tmp_path / 'out' / 'Task1.zip').is_file()
    assert (tmp_path / 'out' / 'Task1_ship.txt').read_text().startswith('S ')
    drawn = cv2.imread(str(tmp_path / 'out' / 'scene_detections' / 'S.png'))
    # the ship (x 230..280, y 100..120) outlined in red (BGR), nothing else
    assert drawn[100, 240].tolist() == [0, 0, 255]
    assert drawn[200, 200].tolist() == [0, 0, 0]


def test_unlabelled_test_split_gives_only_the_submission(tmp_path):
    """format_only (the DOTA test split has no labels): Task1 files, no mAP."""
    metric = DOTASceneMetric(
        format_only=True, submission_dir=str(tmp_path / 'out')
    )
    metric.dataset_meta = dict(classes=DOTA_CLASSES)
    box = torch.tensor([[50.0, 60.0, 20.0, 10.0, 0.0]])
    metric.process(
        {},
        [
            dict(
                img_id='P0001__1__824___0',
                gt_instances={},
                ignored_instances={},
                pred_instances=dict(
                    bboxes=box,
                    scores=torch.tensor([0.8]),
                    labels=torch.tensor([0]),
                ),
            )
        ],
    )
    assert metric.compute_metrics(metric.results) == {}
    line = (tmp_path / 'out' / 'Task1_plane.txt').read_text().split()
    assert line[:2] == ['P0001', '0.800000']
    corners = np.array(line[2:], dtype=float).reshape(4, 2)
    assert corners.min(0).tolist() == [864, 55]  # 824 + 50 - 10, 60 - 5


def test_labelled_scene_without_patches_counts_as_missed(tmp_path):
    labels = tmp_path / 'labelTxt'
    _write_labels(labels, 'A', ['0 0 10 0 10 10 0 10 plane 0'])
    _write_labels(labels, 'B', ['0 0 10 0 10 10 0 10 plane 0'])
    merged = _merged({'A': [(0, _rect(0, 0, 10, 10), 0.9)]})
    # recall 1/2 at precision 1: 11-point AP = 6/11 (thresholds 0 ... 0.5)
    assert scene_map(merged, str(labels), DOTA_CLASSES) == pytest.approx(
        6 / 11
    )
