import shutil

import numpy as np
import pytest
from PIL import Image

from mmslffm.datasets import GeoSense, read_image
from mmslffm.datasets.image_io import UnreadableImageError
from mmslffm.testing import DEMO_DATA
from mmslffm.testing.bad_files import bomb_png

PIPELINE = [dict(type='mmslffm.LoadRemoteSensingImage', min_size=16)]


def _write_png(path, size=(32, 32), value=100):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((*size, 3), value, np.uint8)).save(path)


@pytest.fixture
def archive(tmp_path):
    """Two nested folders of real tiles plus the bad files users meet."""
    root = tmp_path / 'archive'
    tiles = sorted((DEMO_DATA / 'pretrain_unlabeled').glob('*.jpg'))[:4]
    for i, tile in enumerate(tiles):
        folder = root / ('a' if i < 2 else 'b/c')
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(tile, folder / tile.name)
    (root / 'empty.png').write_bytes(b'')
    data = tiles[0].read_bytes()
    (root / 'truncated.jpg').write_bytes(data[: len(data) // 2])
    (root / 'notes.tif').write_text('not an image\n')
    _write_png(root / 'dot.png', size=(1, 1))
    (root / 'readme.txt').write_text('ignored: not an image suffix')
    return root


def _dataset(root, tmp_path, **kwargs):
    return GeoSense(
        data_root=str(root),
        index_dir=str(tmp_path / 'index'),
        pipeline=PIPELINE,
        **kwargs,
    )


def test_recursive_index_is_built_once_and_cached(
    archive, tmp_path, monkeypatch
):
    dataset = _dataset(archive, tmp_path)
    assert len(dataset) == 8  # 4 tiles + 4 bad files, txt ignored
    assert len(list((tmp_path / 'index').glob('*.offsets.npy'))) == 1

    def no_rescan(*args):
        raise AssertionError('rescanned although the index is cached')

    monkeypatch.setattr('mmslffm.datasets.geosense.scan_images', no_rescan)
    assert len(_dataset(archive, tmp_path)) == 8
    with pytest.raises(AssertionError, match='rescanned'):
        _dataset(archive, tmp_path, rebuild_index=True)


def test_bad_files_are_skipped_reported_once_and_counted(
    archive, tmp_path, monkeypatch
):
    dataset = _dataset(archive, tmp_path)
    logged = []
    monkeypatch.setattr(
        'mmslffm.datasets.geosense.print_log',
        lambda msg, **kwargs: logged.append(msg),
    )
    samples = [dataset[i] for i in range(len(dataset))] + [
        dataset[i] for i in range(len(dataset))
    ]
    assert all(s['img'].shape[2] == 3 for s in samples)
    assert dataset.num_skipped == 4
    reports = [m for m in logged if 'skipped unreadable image' in m]
    for name in ('empty.png', 'truncated.jpg', 'notes.tif', 'dot.png'):
        assert sum(name in r for r in reports) == 1, reports
    assert '(4 skipped so far)' in reports[-1]


def test_list_files_and_source_weights(archive, tmp_path):
    (archive / 'list.txt').write_text(
        '# tiles of folder a\n'
        + '\n'.join(
            str(p.relative_to(archive))
            for p in sorted((archive / 'a').glob('*.jpg'))
        )
        + '\n\n'
    )
    dataset = GeoSense(
        sources=[
            dict(data_root=str(archive), ann_file='list.txt', weight=2.0),
            dict(data_root=str(archive / 'b'), weight=0.5),
        ],
        index_dir=str(tmp_path / 'index'),
        pipeline=PIPELINE,
    )
    paths = [dataset.get_data_info(i)['img_path'] for i in range(len(dataset))]
    assert len(paths) == 2 * 2 + 1
    assert len(set(paths)) == 3


def test_missing_and_empty_roots_fail_at_start(tmp_path):
    with pytest.raises(
        FileNotFoundError, match='data root .*nowhere does not exist'
    ):
        _dataset(tmp_path / 'nowhere', tmp_path)
    (tmp_path / 'void').mkdir()
    with pytest.raises(ValueError, match='no images in'):
        _dataset(tmp_path / 'void', tmp_path)
    with pytest.raises(FileNotFoundError, match='list file'):
        _dataset(tmp_path / 'void', tmp_path, ann_file='missing.txt')


def test_multiband_geotiff_band_selection(tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    bands = np.stack(
        [np.full((40, 50), 1000 * (b + 1), np.uint16) for b in range(5)]
    )
    bands[:, :, :20] = 0
    path = tmp_path / 'scene.tif'
    with rasterio.open(
        path,
        'w',
        driver='GTiff',
        width=50,
        height=40,
        count=5,
        dtype='uint16',
        crs='EPSG:32633',
        transform=from_origin(500000, 4000000, 10, 10),
    ) as dst:
        dst.write(bands)
    image = read_image(str(path), bands=(4, 3, 2))
    assert image.shape == (40, 50, 3) and image.dtype == np.uint8
    assert image[0, 0].tolist() == [0, 0, 0]
    assert image[0, -1].tolist() == [255, 255, 255]
    with pytest.raises(UnreadableImageError, match='has 5 bands'):
        read_image(str(path), bands=(6,))


def test_symlink_loops_and_bomb_headers_are_skipped_and_reported(
    archive, tmp_path, monkeypatch
):
    (archive / 'a' / 'back_to_root').symlink_to(archive)  # a loop
    (archive / 'b' / 'c' / 'up').symlink_to(archive / 'b')  # another
    (archive / 'self.png').symlink_to(archive / 'self.png')  # points at itself
    bomb_png(archive / 'bomb.png')
    logged = []
    monkeypatch.setattr(
        'mmslffm.datasets.geosense.print_log',
        lambda msg, **kwargs: logged.append(msg),
    )
    dataset = _dataset(archive, tmp_path)
    assert len(dataset) == 9  # the 8 of the fixture + the bomb, once each
    for link in ('a/back_to_root', 'b/c/up', 'self.png'):
        assert sum(str(archive / link) in m for m in logged) == 1, logged
    samples = [dataset[i] for i in range(len(dataset))]
    assert all(s['img'].shape[2] == 3 for s in samples)
    assert dataset.num_skipped == 5
    assert any(
        f'{archive / "bomb.png"}: ' in m and 'decompression bomb' in m
        for m in logged
    ), logged


def test_index_is_flat_numpy_without_an_object_per_image(archive, tmp_path):
    """Workers share the index only if no Python object exists per path."""
    dataset = _dataset(archive, tmp_path)
    for name, value in vars(dataset).items():
        if isinstance(value, (list, tuple, dict, set)):
            assert len(value) < len(dataset), name
    (index,) = dataset.indexes
    assert isinstance(index.names, np.memmap)  # read back from the cache
    (cached,) = (tmp_path / 'index').glob('*.names.npy')
    names = np.load(cached, allow_pickle=False)
    assert names.dtype == np.uint8
    paths = sorted(
        dataset.get_data_info(i)['img_path'] for i in range(len(dataset))
    )
    assert paths == sorted(
        str(p)
        for p in archive.rglob('*')
        if p.suffix != '.txt' and p.is_file()
    )


def test_path_index_round_trip(tmp_path):
    from mmslffm.datasets import PathIndex

    paths = ['a/b.jpg', 'ümlaut/日本.png', 'c.tif']
    index = PathIndex.from_paths(paths)
    assert [index[i] for i in range(len(index))] == paths
    index.save(str(tmp_path / 'idx'))
    loaded = PathIndex.load(str(tmp_path / 'idx'))
    assert [loaded[i] for i in range(len(loaded))] == paths
    assert (
        loaded.nbytes
        == index.nbytes
        == (len('\n'.join(paths).encode()) + 1 + 8 * (len(paths) + 1))
    )
    with pytest.raises(ValueError, match='newline'):
        PathIndex.from_paths(['bad\nname.jpg'])


def test_rebuild_index_sees_new_images(archive, tmp_path):
    assert len(_dataset(archive, tmp_path)) == 8
    _write_png(archive / 'a' / 'new.png')
    # the root's mtime is unchanged (new file in a subfolder): cache is used
    assert len(_dataset(archive, tmp_path)) == 8
    assert len(_dataset(archive, tmp_path, rebuild_index=True)) == 9


def test_processes_starting_together_build_the_index_once(
    archive, tmp_path, monkeypatch
):
    """Ranks of one run take turns on a lock: one scans, the others read."""
    import multiprocessing
    import time

    from mmslffm.datasets import geosense

    scans = tmp_path / 'scans.txt'
    real_scan = geosense.scan_images

    def counted_scan(*args):
        with open(scans, 'a') as f:
            f.write('scan\n')
        time.sleep(1)  # a long scan: the other ranks start meanwhile
        return real_scan(*args)

    monkeypatch.setattr(geosense, 'scan_images', counted_scan)
    context = multiprocessing.get_context('fork')
    ranks = [
        context.Process(target=_dataset, args=(archive, tmp_path))
        for _ in range(3)
    ]
    for rank in ranks:
        rank.start()
    for rank in ranks:
        rank.join(60)
    assert [rank.exitcode for rank in ranks] == [0, 0, 0]
    assert scans.read_text() == 'scan\n'
