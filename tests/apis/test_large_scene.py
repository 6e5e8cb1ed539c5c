"""Large-scene inference (tools/infer_large.py) for segmentation, change and detection."""

import json
from pathlib import Path

import numpy as np
import pytest
import rasterio
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from PIL import Image
from rasterio.crs import CRS
from rasterio.transform import from_origin
from rasterio.windows import Window

from mmslffm.apis import infer_large_scene
from mmslffm.apis.model_loading import load_model
from mmslffm.datasets.dota_labels import DOTA_CLASSES
from mmslffm.testing import (
    DEMO_DATA,
    REPO_ROOT,
    run_tool,
    tiny_model_overrides,
    write_geotiff,
)

UTM = CRS.from_epsg(32633)
ORIGIN = from_origin(500000.0, 5800000.0, 0.5, 0.5)


def _write_scene(path: Path, rgb: np.ndarray, georeferenced=True) -> Path:
    if georeferenced:
        return write_geotiff(path, rgb, UTM, ORIGIN)
    return write_geotiff(path, rgb)


def _config_and_checkpoint(tmp_path: Path, cfg: Config, name: str):
    """Dump ``cfg``, build its model with a fixed seed, save a checkpoint."""
    config = tmp_path / f'{name}.py'
    cfg.dump(str(config))
    init_default_scope(cfg.default_scope)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    checkpoint = tmp_path / f'{name}.pth'
    torch.save(dict(state_dict=model.state_dict()), checkpoint)
    return str(config), str(checkpoint)


def _tiny_upernet(tmp_path: Path):
    cfg = Config.fromfile(
        REPO_ROOT / 'configs/potsdam/upernet_convnext-b-slffm_160k_potsdam.py'
    )
    cfg.merge_from_dict(tiny_model_overrides(cfg.model))
    cfg.merge_from_dict(
        {'model.decode_head.channels': 16, 'model.auxiliary_head.channels': 8}
    )
    return _config_and_checkpoint(tmp_path, cfg, 'upernet')


def test_segmentation_geotiff_keeps_georeference(tmp_path):
    config, checkpoint = _tiny_upernet(tmp_path)
    rgb = np.array(Image.open(DEMO_DATA / 'loveda' / 'img_dir' / '0.png'))
    scene = _write_scene(tmp_path / 'scene.tif', rgb[:700, :900])
    out = tmp_path / 'out'
    outputs = infer_large_scene(
        config, checkpoint, [str(scene)], str(out), window=512, overlap=128
    )
    assert outputs['task'] == 'segmentation'
    with rasterio.open(outputs['classes']) as classes:
        assert classes.crs == UTM and classes.transform == ORIGIN
        assert (classes.height, classes.width) == (700, 900)
        indices = classes.read(1)
    assert indices.max() <= 5  # 6 Potsdam classes, no pixel left as nodata
    mask = np.array(Image.open(outputs['mask_png']))
    palette = np.array(load_model(config, checkpoint).dataset_meta['palette'])
    np.testing.assert_array_equal(mask, palette[indices])


def test_one_window_equals_mmseg_inference(tmp_path):
    """With the window as large as the image, the result is mmseg's own."""
    from mmseg.apis import inference_model

    config, checkpoint = _tiny_upernet(tmp_path)
    png = DEMO_DATA / 'potsdam' / 'img_dir' / '2_10_0_0_512_512.png'
    outputs = infer_large_scene(
        config, checkpoint, [str(png)], str(tmp_path / 'out'), window=1024
    )
    with rasterio.open(outputs['classes']) as classes:
        assert classes.crs is None  # a PNG has no georeference to copy
        ours = classes.read(1)
    model = load_model(config, checkpoint)
    theirs = inference_model(model, str(png)).pred_sem_seg.data[0].numpy()
    np.testing.assert_array_equal(ours, theirs)


def _six_channel_segmentor(tmp_path: Path):
    cfg = Config(
        dict(
            default_scope='mmseg',
            model=dict(
                type='EncoderDecoder',
                # mmseg's preprocessor normalises 1 or 3 channels only; the
                # change-detection model brings its own for 6 channels.
                data_preprocessor=dict(type='SegDataPreProcessor'),
                backbone=dict(
                    type='mmslffm.SparseConvNeXt',
                    arch='test',
                    in_channels=6,
                    init_cfg=None,
                ),
                decode_head=dict(
                    type='FCNHead',
                    in_channels=64,
                    in_index=3,
                    channels=8,
                    num_convs=1,
                    num_classes=2,
                    loss_decode=dict(type='CrossEntropyLoss'),
                ),
                test_cfg=dict(mode='whole'),
            ),
        )
    )
    return _config_and_checkpoint(tmp_path, cfg, 'change')


def _levir_pair(tmp_path: Path, crop_b=None):
    name = 'train_36_0512_0512.png'
    a = np.array(Image.open(DEMO_DATA / 'levir_cd' / 'A' / name))
    b = np.array(Image.open(DEMO_DATA / 'levir_cd' / 'B' / name))
    return (
        _write_scene(tmp_path / 'a.tif', a),
        _write_scene(tmp_path / 'b.tif', b[:crop_b]),
    )


def test_change_pair_writes_binary_geotiff(tmp_path):
    config, checkpoint = _six_channel_segmentor(tmp_path)
    a, b = _levir_pair(tmp_path)
    outputs = infer_large_scene(
        config,
        checkpoint,
        [str(a), str(b)],
        str(tmp_path / 'out'),
        window=128,
        overlap=32,
    )
    assert outputs['task'] == 'change'
    with rasterio.open(outputs['change']) as change:
        assert change.crs == UTM and change.transform == ORIGIN
        values = change.read(1)
    assert values.shape == (256, 256) and set(np.unique(values)) <= {0, 1}
    png = np.array(Image.open(outputs['change_png']))
    np.testing.assert_array_equal(png[..., 0], values * 255)


def test_change_pair_of_different_sizes_is_refused(tmp_path):
    config, checkpoint = _six_channel_segmentor(tmp_path)
    a, b = _levir_pair(tmp_path, crop_b=200)
    with pytest.raises(ValueError) as error:
        infer_large_scene(
            config, checkpoint, [str(a), str(b)], str(tmp_path / 'out')
        )
    assert str(a) in str(error.value) and str(b) in str(error.value)


def _tiny_oriented_rcnn(tmp_path: Path):
    import mmrotate

    base = (
        Path(mmrotate.__file__).parent
        / '.mim'
        / 'configs'
        / 'oriented_rcnn'
        / 'oriented-rcnn-le90_r50_fpn_1x_dota.py'
    )
    config = tmp_path / 'oriented_rcnn_test.py'
    config.write_text(f"""_base_ = [{str(base)!r}]
model = dict(
    backbone=dict(_delete_=True, type='mmslffm.SparseConvNeXt', arch='test',
                  out_indices=(0, 1, 2, 3), init_cfg=None),
    neck=dict(in_channels=[8, 16, 32, 64], out_channels=32),
    rpn_head=dict(in_channels=32, feat_channels=32),
    roi_head=dict(bbox_roi_extractor=dict(out_channels=32),
                  bbox_head=dict(in_channels=32, fc_out_channels=64)),
    test_cfg=dict(rpn=dict(nms_pre=500, max_per_img=200),
                  rcnn=dict(score_thr=0.0, max_per_img=100)))
""")
    return _config_and_checkpoint(
        tmp_path, Config.fromfile(config), 'oriented_rcnn'
    )


def _ring_area(ring: np.ndarray) -> float:
    x, y = ring[:-1, 0], ring[:-1, 1]
    return 0.5 * float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))


def test_detection_on_6000px_geotiff_gives_map_polygons(tmp_path):
    """Synthetic 6000 x 6000 GeoTIFF (nodata 0) with a real DOTA image in it."""
    config, checkpoint = _tiny_oriented_rcnn(tmp_path)
    content = np.array(Image.open(DEMO_DATA / 'dota' / 'images' / 'P1888.png'))
    content = np.maximum(content, 1)  # keep real pixels apart from nodata
    scene = tmp_path / 'scene_6000.tif'
    with rasterio.open(
        scene,
        'w',
        driver='GTiff',
        width=6000,
        height=6000,
        count=3,
        dtype='uint8',
        crs=UTM,
        transform=ORIGIN,
        nodata=0,
        tiled=True,
        compress='deflate',
    ) as dst:
        for top in range(0, 6000, 1000):
            dst.write(
                np.zeros((3, 1000, 6000), np.uint8),
                window=Window(0, top, 6000, 1000),
            )
        dst.write(
            content.transpose(2, 0, 1),
            window=Window(2500, 2500, content.shape[1], content.shape[0]),
        )
    out = tmp_path / 'out'
    run_tool(
        [
            'tools/infer_large.py',
            config,
            checkpoint,
            scene,
            '--out',
            out,
            '--max-png-side',
            '1500',
        ],
        timeout=600,
    )
    collection = json.loads(
        (out / 'scene_6000_detections.geojson').read_text()
    )
    assert collection['crs']['properties']['name'] == 'EPSG:32633'
    features = collection['features']
    assert features, 'no detection kept'
    left, top = ORIGIN.c, ORIGIN.f
    right, bottom = left + 6000 * ORIGIN.a, top + 6000 * ORIGIN.e
    for feature in features:
        assert feature['geometry']['type'] == 'Polygon'
        ring = np.array(feature['geometry']['coordinates'][0])
        assert ring.shape == (5, 2) and (ring[0] == ring[-1]).all()
        assert _ring_area(ring) > 0  # counter-clockwise, not degenerate
        centre = ring[:-1].mean(axis=0)
        assert left < centre[0] < right and bottom < centre[1] < top
        assert feature['properties']['label'] in DOTA_CLASSES
    preview = Image.open(out / 'scene_6000_detections.png')
    assert preview.size == (1500, 1500)


def test_window_cores_stitch_into_the_whole_image(tmp_path):
    """A per-pixel predictor gives, window by window, its whole-image result."""
    from mmslffm.apis.dense_inference import predict_to_geotiff
    from mmslffm.apis.raster_windows import plan_windows

    rgb = np.array(Image.open(DEMO_DATA / 'loveda' / 'img_dir' / '1.png'))
    rgb = rgb[:333, :517]
    scene_path = _write_scene(tmp_path / 'scene.tif', rgb)

    def per_pixel(pixels):
        return (pixels[0][..., 0] // 37).astype(np.uint8)

    with rasterio.open(scene_path) as scene:
        predict_to_geotiff(
            [scene],
            plan_windows(333, 517, 128, 40),
            per_pixel,
            (1, 2, 3),
            str(tmp_path / 'out.tif'),
        )
    with rasterio.open(tmp_path / 'out.tif') as out:
        np.testing.assert_array_equal(out.read(1), rgb[..., 2] // 37)


def test_one_window_detection_equals_mmdet_inference(tmp_path):
    """Pixel polygons of a one-window run are mmdet's own predictions."""
    from mmdet.apis import inference_detector
    from mmrotate.structures.bbox import rbox2qbox

    config, checkpoint = _tiny_oriented_rcnn(tmp_path)
    png = DEMO_DATA / 'dota' / 'images' / 'P1888.png'
    outputs = infer_large_scene(
        config,
        checkpoint,
        [str(png)],
        str(tmp_path / 'out'),
        window=1024,
        score_thr=0.0,
    )
    features = json.loads(Path(outputs['geojson']).read_text())['features']
    ours = np.array([f['geometry']['coordinates'][0][:4] for f in features])
    model = load_model(config, checkpoint)
    found = inference_detector(model, str(png)).pred_instances
    boxes = getattr(found.bboxes, 'tensor', found.bboxes)
    theirs = rbox2qbox(boxes).reshape(-1, 4, 2).numpy()
    assert 'crs' not in json.loads(Path(outputs['geojson']).read_text())
    assert len(ours) == len(theirs) > 0

    # same polygons (rings may start at another corner / run the other way)
    def key(polygons):
        return np.sort(
            np.round(polygons, 2).reshape(len(polygons), -1), axis=1
        )

    np.testing.assert_allclose(
        np.sort(key(ours), axis=0), np.sort(key(theirs), axis=0), atol=0.05
    )


def test_cli_refuses_a_mismatched_pair_in_one_line(tmp_path):
    config, checkpoint = _six_channel_segmentor(tmp_path)
    a, b = _levir_pair(tmp_path, crop_b=200)
    result = run_tool(
        [
            'tools/infer_large.py',
            config,
            checkpoint,
            a,
            b,
            '--out',
            tmp_path / 'out',
        ],
        check=False,
        timeout=300,
    )
    assert result.returncode == 2
    error = result.stderr.strip().splitlines()[-1]
    assert error.startswith('infer_large.py: error: ValueError: ')
    assert f'{a} is 256x256 but {b} is 256x200' in error


def test_change_mode_feeds_the_change_detector_as_its_pipeline_does(tmp_path):
    """Same prediction as the LEVIR-CD config's own test pipeline (RGB pair)."""
    cfg = Config.fromfile(
        REPO_ROOT / 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
    )
    config, checkpoint = _config_and_checkpoint(tmp_path, cfg, 'bit')
    a, b = _levir_pair(tmp_path)
    outputs = infer_large_scene(
        config,
        checkpoint,
        [str(a), str(b)],
        str(tmp_path / 'out'),
        window=256,
        overlap=0,
    )
    with rasterio.open(outputs['change']) as change:
        tiled = change.read(1)
    from mmcv.transforms import Compose
    from mmengine.dataset import pseudo_collate

    model = load_model(config, checkpoint, 'cpu')
    name = 'train_36_0512_0512.png'
    pipeline = Compose(
        [
            dict(type='mmslffm.LoadImagePairFromFile'),
            dict(type='mmseg.PackSegInputs'),
        ]
    )
    init_default_scope('mmseg')
    sample = pipeline(
        dict(
            img_path=str(DEMO_DATA / 'levir_cd' / 'A' / name),
            img_path2=str(DEMO_DATA / 'levir_cd' / 'B' / name),
            seg_fields=[],
            reduce_zero_label=False,
        )
    )
    with torch.no_grad():
        expected = model.test_step(pseudo_collate([sample]))[0]
    np.testing.assert_array_equal(
        tiled, expected.pred_sem_seg.data[0].numpy().astype(np.uint8)
    )
