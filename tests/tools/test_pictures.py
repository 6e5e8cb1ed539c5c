"""Pictures of every output: --show-dir, browse_dataset, plot_curves, confusion matrix, DOTA
scene PNGs. Each check looks at pixels or files a user would open."""

import json

import cv2
import numpy as np
import pytest
import torch
from mmengine.config import Config
from PIL import Image

from mmslffm.evaluation.functional import pixel_confusion
from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.utils.show_dir import enable_show_dir
from mmslffm.visualization import draw_scene_detections
from mmslffm.visualization.training_curves import default_keys, read_scalars


def test_pixel_confusion_counts_rows_as_ground_truth():
    label = torch.tensor([[0, 0, 1], [1, 2, 255]])
    pred = torch.tensor([[0, 1, 1], [2, 2, 0]])
    confusion = pixel_confusion(pred, label, 3, ignore_index=255)
    assert confusion.tolist() == [[1, 1, 0], [0, 1, 1], [0, 0, 1]]


@pytest.mark.parametrize(
    'config, task',
    [
        (
            'potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py',
            'segmentation',
        ),
        (
            'dota/oriented-rcnn-le90_convnext-atto-slffm_fpn_cpu-demo_dota.py',
            'detection',
        ),
        ('levir_cd/bit_convnext-atto-slffm_cpu-demo_levir-cd.py', 'change'),
    ],
)
def test_show_dir_switches_on_the_task_visualisation(config, task, tmp_path):
    cfg = Config.fromfile(REPO / 'configs' / config)
    assert enable_show_dir(cfg, str(tmp_path), score_thr=0.2) == task
    if task == 'detection':
        hook = cfg.default_hooks.visualization
        assert hook.draw and hook.test_out_dir == str(tmp_path)
        assert hook.score_thr == 0.2
    elif task == 'segmentation':
        assert cfg.default_hooks.visualization.draw
        assert cfg.visualizer.save_dir == str(tmp_path)
        assert cfg.test_evaluator.confusion_png == str(
            tmp_path / 'confusion_matrix.png'
        )
    else:
        assert cfg.test_evaluator.output_dir == str(tmp_path)


def test_show_dir_refuses_a_config_with_nothing_to_draw(tmp_path):
    cfg = Config.fromfile(
        REPO / 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
    )
    with pytest.raises(ValueError, match='--show-dir has nothing to draw'):
        enable_show_dir(cfg, str(tmp_path))


def test_segmentation_show_dir_writes_overlays_and_confusion(tmp_path, tool):
    """tools/test.py --show-dir on the bundled Potsdam tile (small config)."""
    work = tmp_path / 'work'
    tool(
        [
            'tools/train.py',
            'configs/potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py',
            '--work-dir',
            str(work),
            '--cfg-options',
            'train_cfg.max_iters=1',
            'train_cfg.val_interval=10',
            'train_dataloader.batch_size=2',
            'default_hooks.checkpoint.interval=1',
        ],
        cwd=REPO,
    )
    show = tmp_path / 'show'
    tool(
        [
            'tools/test.py',
            'configs/potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py',
            str(work / 'iter_1.pth'),
            '--work-dir',
            str(work),
            '--show-dir',
            str(show),
        ],
        cwd=REPO,
    )
    overlays = list(show.glob('vis_data/vis_image/*.png'))
    assert len(overlays) == 1 and '2_10_0_0_512_512' in overlays[0].name
    overlay = np.array(Image.open(overlays[0]))
    assert overlay.std() > 10  # a picture, not a black index mask
    confusion = np.array(Image.open(show / 'confusion_matrix.png'))
    assert confusion.shape[0] > 200 and confusion.std() > 10


def test_browse_dataset_draws_pairs_and_boxes(tmp_path, tool):
    out = tmp_path / 'levir'
    tool(
        [
            'tools/browse_dataset.py',
            'configs/levir_cd/bit_convnext-atto-slffm_cpu-demo_levir-cd.py',
            '--out',
            str(out),
            '-n',
            '2',
        ],
        cwd=REPO,
    )
    pairs = sorted(out.iterdir())
    assert len(pairs) == 2
    pair = np.array(Image.open(pairs[0]))
    # A | B | change mask side by side, 256 crops with 4 px gaps
    assert pair.shape == (256, 3 * 256 + 2 * 4, 3)
    assert set(np.unique(pair[:, -256:])) <= {0, 128, 255}

    out = tmp_path / 'dior'
    tool(
        [
            'tools/browse_dataset.py',
            'configs/dior/oriented-rcnn-le90_convnext-atto-slffm_fpn_cpu-demo_dior-r.py',
            '--out',
            str(out),
            '-n',
            '1',
        ],
        cwd=REPO,
    )
    drawn = np.array(Image.open(next(out.iterdir())))
    image = np.array(
        Image.open(REPO / 'demo/data/dior_r/JPEGImages/00001.jpg')
    )
    assert drawn.shape[:2] == (400, 400)  # the config's resize
    resized = cv2.resize(image, (400, 400))
    difference = np.abs(drawn.astype(int) - resized)
    assert difference.max() > 100  # boxes drawn
    assert np.median(difference) < 5  # on the image, in its own colours


@pytest.mark.parametrize(
    'config, bgr',
    [
        (
            'pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py',
            False,
        ),  # LoadRemoteSensingImage: RGB
        ('potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py', True),
        (
            'dior/oriented-rcnn-le90_convnext-atto-slffm_fpn_cpu-demo_dior-r.py',
            True,
        ),
        (
            'levir_cd/bit_convnext-atto-slffm_cpu-demo_levir-cd.py',
            False,
        ),  # LoadImagePairFromFile: RGB
    ],
)
def test_browse_reads_channel_order_off_the_preprocessor(config, bgr):
    from mmslffm.apis.browse import _inputs_are_bgr

    assert _inputs_are_bgr(Config.fromfile(REPO / 'configs' / config)) == bgr


def test_plot_curves_from_a_scalar_log(tmp_path, tool):
    log = tmp_path / 'run' / '20260101_000000' / 'vis_data' / 'scalars.json'
    log.parent.mkdir(parents=True)
    records = [
        dict(
            lr=1e-4 * i,
            loss=2.0 / i,
            loss_cls=1.0 / i,
            time=0.5,
            data_time=0.1,
            iter=i,
            memory=1,
            step=i,
        )
        for i in range(1, 11)
    ]
    records.append(
        {
            'mIoU': 40.0,
            'IoU.car': 30.0,
            'data_time': 0.1,
            'time': 1.0,
            'step': 10,
        }
    )
    log.write_text('\n'.join(json.dumps(r) for r in records) + '\n')
    series = read_scalars(str(log))
    assert series['loss'][0] == list(range(1, 11))
    assert default_keys(series) == ['loss', 'loss_cls', 'lr', 'mIoU']
    proc = tool(['tools/plot_curves.py', str(tmp_path / 'run')], cwd=REPO)
    assert 'plotted to' in proc.stdout
    picture = np.array(Image.open(log.parent / 'curves.png'))
    assert picture.shape[1] > 1000 and picture.std() > 10
    bad = tool(
        ['tools/plot_curves.py', str(log), '--keys', 'mAP'],
        cwd=REPO,
        check=False,
    )
    assert bad.returncode == 2 and "no curve for ['mAP']" in bad.stderr


def test_scene_png_threshold_legend_and_ground_truth(tmp_path):
    image = tmp_path / 'scene.png'
    cv2.imwrite(str(image), np.zeros((600, 800, 3), np.uint8))
    dets = [
        np.array([[400.0, 300.0, 100.0, 50.0, 0.0, 0.5]], np.float32),
        np.zeros((0, 6), np.float32),
    ]
    truth = np.array([[600.0, 500, 700, 500, 700, 550, 600, 550]])
    out = tmp_path / 'drawn.png'
    for threshold, drawn_box in ((0.6, False), (0.4, True)):
        assert draw_scene_detections(
            str(image),
            dets,
            [(255, 0, 0), (0, 255, 0)],
            str(out),
            score_thr=threshold,
            classes=('plane', 'ship'),
            ground_truth=truth,
        )
        drawn = cv2.imread(str(out))
        # left edge of the box (x = 350) in red (BGR)
        assert (drawn[300, 350].tolist() == [0, 0, 255]) == drawn_box
        assert drawn[500, 650].tolist() == [255, 255, 255]  # ground truth
        assert drawn[5:60, 5:100].any()  # legend box with text
