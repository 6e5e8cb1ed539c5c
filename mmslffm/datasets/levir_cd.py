"""LEVIR-CD (and any A/B/label change-detection folder), validated before training starts.

mmseg's ``LEVIRCDDataset`` lists the pairs but trusts them: a missing B or label, or A and B of
different sizes, surface as a crash deep inside a data-loader worker hours into a run. This
subclass keeps mmseg's layout and keys (``img_path``, ``img_path2``, ``seg_map_path``) and adds:
a clear error when the folders are not there, a check of every pair's partner files and grid
(image headers only: size and, for GeoTIFFs, CRS and transform, as large-scene inference
checks them) that reports and skips bad pairs, and, while training, a sample whose
files turn out unusable at load time (truncated image, non-binary label...) is reported with
its file, counted, and replaced by another one instead of stopping the run.

Dataset: Chen & Shi, "A Spatial-Temporal Attention-Based Method and a New Dataset for Remote
Sensing Image Change Detection", Remote Sensing 2020 (1024 x 1024 pairs, cut into 256 tiles
as BIT and SLFFM train on them).
"""

import logging
import os.path as osp
from typing import List, Optional

from mmengine.logging import print_log
from mmseg.datasets import LEVIRCDDataset as MMSegLEVIRCDDataset

from mmslffm.registry import DATASETS
from .image_io import UnreadableImageError
from .raster_grid import check_same_grid, read_grid
from .transforms.loading import InvalidSampleError
from .transforms.skip_unreadable import SharedCount

MAX_REPORTED = 10

__all__ = ['LEVIRCDDataset']


@DATASETS.register_module()
class LEVIRCDDataset(MMSegLEVIRCDDataset):
    """Bitemporal pairs with binary change labels, LEVIR-CD layout.

    Two layouts are accepted (``data_root`` below):

    * one folder per split, as ``tools/dataset_converters/levir_cd.py`` and
      open-cd write: ``<split>/A``, ``<split>/B``, ``<split>/label``, with
      ``data_prefix=dict(img_path='train/A', img_path2='train/B',
      seg_map_path='train/label')``;
    * BIT's layout: ``A/``, ``B/``, ``label/`` and ``list/<split>.txt`` naming
      the tiles, with ``ann_file='list/train.txt'``.

    Labels: 0 = unchanged, 255 (or 1) = changed; classes
    ('unchanged', 'changed').

    Args:
        check_pairs: check at start-up that every pair's B and label exist,
            that A and B share one grid (size, CRS, transform) and that the
            label matches A's size (reads headers only); bad pairs are
            reported and skipped, in training and in testing.
        **kwargs: mmseg ``LEVIRCDDataset`` / ``BaseCDDataset`` arguments.
    """

    METAINFO = dict(
        classes=('unchanged', 'changed'), palette=[[0, 0, 0], [255, 255, 255]]
    )

    def __init__(
        self,
        data_prefix: dict = None,
        check_pairs: bool = True,
        **kwargs,
    ) -> None:
        if data_prefix is None:
            data_prefix = dict(
                img_path='A', img_path2='B', seg_map_path='label'
            )
        self.check_pairs = check_pairs
        self._skipped = SharedCount()
        super().__init__(data_prefix=data_prefix, **kwargs)

    @property
    def num_skipped(self) -> int:
        """Training samples skipped at load time so far, over all workers."""
        return self._skipped.value

    def load_data_list(self) -> List[dict]:
        """List the pairs (mmseg), then drop and report incomplete ones."""
        image_dir = self.data_prefix.get('img_path')
        if self.ann_file and not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'{type(self).__name__}: list file {self.ann_file} not '
                'found (give ann_file relative to data_root, or leave it '
                'empty to list the A folder)'
            )
        if not self.ann_file and not osp.isdir(image_dir):
            raise FileNotFoundError(
                f'{type(self).__name__}: image folder {image_dir} not found; '
                'expected <data_root>/<split>/{A,B,label}: download LEVIR-CD '
                '(https://justchenhao.github.io/LEVIR/) and cut it into 256 '
                'tiles with tools/dataset_converters/levir_cd.py'
            )
        data_list = super().load_data_list()
        if not self.check_pairs:
            return data_list
        valid, problems = [], []
        for info in data_list:
            problem = _pair_problem(info)
            if problem is None:
                valid.append(info)
            else:
                problems.append(problem)
        for problem in problems[:MAX_REPORTED]:
            print_log(
                f'{type(self).__name__}: skipping pair: {problem}',
                logger='current',
                level=logging.WARNING,
            )
        if problems:
            print_log(
                f'{type(self).__name__}: skipped {len(problems)} of '
                f'{len(data_list)} pairs under {image_dir} '
                f'({max(len(problems) - MAX_REPORTED, 0)} not listed above)',
                logger='current',
                level=logging.WARNING,
            )
        if not valid:
            raise FileNotFoundError(
                f'{type(self).__name__}: no complete pair (A, B, label) under '
                f'{image_dir}'
                + (f'; first problem: {problems[0]}' if problems else '')
            )
        return valid

    def prepare_data(self, idx: int) -> Optional[dict]:
        """Run the pipeline; while training, a bad sample is reported and skipped.

        Returning None makes mmengine's ``BaseDataset`` draw another sample.
        At test time the error propagates: a metric over a silently smaller
        split would be misleading.
        """
        try:
            return super().prepare_data(idx)
        except (InvalidSampleError, UnreadableImageError) as error:
            if self.test_mode:
                raise
            count = self._skipped.increment()
            print_log(
                f'{type(self).__name__}: skipping sample {idx}: '
                f'{error} ({count} skipped so far)',
                logger='current',
                level=logging.WARNING,
            )
            return None


def _pair_problem(info: dict) -> Optional[str]:
    """Why a listed pair is unusable, or None when A, B and label fit."""
    paths = [info['img_path'], info['img_path2']]
    if info.get('seg_map_path'):
        paths.append(info['seg_map_path'])
    missing = [path for path in paths if not osp.isfile(path)]
    if missing:
        return f'missing {", ".join(missing)} (partner of {paths[0]})'
    try:
        grids = [read_grid(path) for path in paths]
    except UnreadableImageError as error:
        return f'unreadable image {error}'
    try:
        check_same_grid(grids[0], grids[1], paths[0], paths[1])
    except ValueError as error:
        return str(error)
    if len({grid.shape for grid in grids}) > 1:
        listed = ', '.join(
            f'{path} {grid.width}x{grid.height}'
            for path, grid in zip(paths, grids)
        )
        return f'sizes differ: {listed}'
    return None
