"""tools/dataset_converters/vaihingen.py on the official release layout, made from the bundled
Potsdam tile (no Vaihingen tile is bundled): three zips named as the ISPRS release, images under
``top/``, full labels sharing the images' file names, eroded labels ``*_noBoundary``."""

import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from mmslffm.testing import DEMO_DATA, write_geotiff
from mmslffm.testing import REPO_ROOT as REPO

POTSDAM = DEMO_DATA / 'potsdam'
TILE = '2_10_0_0_512_512.png'
RELEASE = 'ISPRS_semantic_labeling_Vaihingen'


def _zip(path: Path, members: dict) -> str:
    with zipfile.ZipFile(path, 'w') as archive:
        for name, source in members.items():
            archive.write(source, name)
    return str(path)


def _official_release(root: Path) -> list:
    irrg = np.array(Image.open(POTSDAM / 'img_dir' / TILE))
    label = np.array(Image.open(POTSDAM / 'label_rgb' / TILE))
    write_geotiff(root / 'image.tif', irrg)
    write_geotiff(root / 'label.tif', label)
    name = 'top_mosaic_09cm_area1.tif'
    return [
        _zip(root / f'{RELEASE}.zip', {f'top/{name}': root / 'image.tif'}),
        _zip(
            root / f'{RELEASE}_ground_truth_COMPLETE.zip',
            {name: root / 'label.tif'},
        ),
        _zip(
            root / f'{RELEASE}_ground_truth_eroded_COMPLETE.zip',
            {'top_mosaic_09cm_area1_noBoundary.tif': root / 'label.tif'},
        ),
    ]


def test_official_release_converts_like_potsdam(tmp_path, tool):
    out = tmp_path / 'vaihingen'
    proc = tool(
        [
            'tools/dataset_converters/vaihingen.py',
            *_official_release(tmp_path),
            '-o',
            str(out),
            '--train-tiles',
            'area1',
            '--val-tiles',
            'area1',
        ],
        cwd=REPO,
    )
    assert '2 tile(s) written' in proc.stdout  # train and val
    assert 'OneDL' not in proc.stdout
    expected = np.array(Image.open(POTSDAM / 'ann_dir' / TILE))
    name = 'area1_0_0_512_512.png'
    for folder in ('ann_dir/train', 'ann_dir/val', 'ann_dir_eroded/val'):
        np.testing.assert_array_equal(
            np.array(Image.open(out / folder / name)), expected
        )
    # the IRRG image is kept as is (no band reordering)
    np.testing.assert_array_equal(
        np.array(Image.open(out / 'img_dir' / 'val' / name)),
        np.array(Image.open(POTSDAM / 'img_dir' / TILE)),
    )
    # the eroded label's black boundary is ignore, not an unknown colour
    assert 'noBoundary.tif: colours' not in proc.stderr


def test_official_split_is_16_train_17_test_areas():
    from importlib import util

    spec = util.spec_from_file_location(
        'vaihingen', REPO / 'tools/dataset_converters/vaihingen.py'
    )
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    train, test = module.OFFICIAL_TRAIN_TILES, module.OFFICIAL_TEST_TILES
    assert len(train) == 16 and len(test) == 17
    assert not set(train) & set(test)
    assert module.classify(
        'x/ISPRS_semantic_labeling_Vaihingen.zip',
        'top/top_mosaic_09cm_area5.tif',
    ) == ('area5', 'IRRG')
    assert module.classify(
        'ISPRS_semantic_labeling_Vaihingen_ground_truth_COMPLETE.zip',
        'top_mosaic_09cm_area5.tif',
    ) == ('area5', 'label')
    assert module.classify('dsm.zip', 'dsm_09cm_matching_area5.tif') is None


def test_small_vaihingen_config_trains_on_the_converted_release(
    tmp_path, tool
):
    out = tmp_path / 'vaihingen'
    tool(
        [
            'tools/dataset_converters/vaihingen.py',
            *_official_release(tmp_path),
            '-o',
            str(out),
            '--train-tiles',
            'area1',
            '--val-tiles',
            'area1',
        ],
        cwd=REPO,
    )
    roots = [
        f'{loader}.dataset.data_root={out}'
        for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader')
    ]
    proc = tool(
        [
            'tools/train.py',
            'configs/vaihingen/upernet_convnext-atto-slffm_cpu-demo_vaihingen.py',
            '--work-dir',
            str(tmp_path / 'work'),
            '--cfg-options',
            'train_cfg.max_iters=2',
            'train_cfg.val_interval=2',
            'train_dataloader.batch_size=2',
            *roots,
        ],
        cwd=REPO,
    )
    log = proc.stdout + proc.stderr
    assert 'mIoU' in log and 'IoU.clutter' not in log
