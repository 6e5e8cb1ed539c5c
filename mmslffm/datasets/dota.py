"""DOTA patches (or scenes) for mmrotate, with bad label lines and missing images skipped.

mmrotate's ``DOTADataset`` fails on the first header line, short line or unknown class of any
label file (``IndexError``/``KeyError`` without a file name), passes NaN coordinates as NaN
boxes and lists label files whose image is missing. This subclass reads labels through
:func:`read_dota_labels`, logs one warning per bad line (NaN/inf, absurd or degenerate
coordinates included), unreadable label file or missing image (file and line named) and keeps
everything else. Patches that fail to decode are the loader's business: the configs wrap the
strict ``mmslffm.LoadRemoteSensingImage`` in ``mmslffm.SkipUnreadable`` for training. Its
output is the same ``data_list`` as mmrotate's, so mmrotate's pipelines and ``DOTAMetric`` work
unchanged.

Dataset: Xia et al., "DOTA: A Large-scale Dataset for Object Detection in Aerial Images", CVPR
2018 (label format and 15 classes of DOTA-v1.0).
"""

import glob
import os.path as osp
from typing import List

from mmengine.logging import MMLogger
from mmrotate.datasets import DOTADataset

from mmslffm.registry import DATASETS
from .dota_labels import read_dota_labels

__all__ = ['DOTAPatchDataset']


@DATASETS.register_module()
class DOTAPatchDataset(DOTADataset):
    """DOTA-v1.0 in the split layout: ``images/<name>.png`` + ``annfiles/<name>.txt``.

    Args:
        diff_thr: objects with a difficulty above it are ``ignore_flag=1`` (mmrotate's
            meaning; 100 keeps all, including the difficulty 2 of cut objects).
        img_suffix: image extension of the patches.
        **kwargs: ``BaseDataset`` arguments (``data_root``, ``ann_file`` = the label
            folder, or ``''`` for an unlabelled split, ``data_prefix``, ``pipeline``...).
    """

    def load_data_list(self) -> List[dict]:
        """One entry per image: ``img_id``, ``img_path``, ``instances`` (polygon, label)."""
        if self.ann_file == '':
            return super().load_data_list()
        label_files = sorted(glob.glob(osp.join(self.ann_file, '*.txt')))
        if not label_files:
            raise FileNotFoundError(
                f'no label files (*.txt) in {self.ann_file}; cut the scenes '
                'first: tools/dataset_converters/dota_split.py'
            )
        logger = MMLogger.get_current_instance()
        classes = self.metainfo['classes']
        label_of_class = {name: index for index, name in enumerate(classes)}
        data_list = []
        for label_path in label_files:
            img_id = osp.splitext(osp.basename(label_path))[0]
            file_name = f'{img_id}.{self.img_suffix}'
            img_path = osp.join(self.data_prefix['img_path'], file_name)
            if not osp.isfile(img_path):
                logger.warning(
                    f'{label_path}: image {img_path} not found; sample skipped'
                )
                continue
            try:
                label_file = read_dota_labels(label_path, classes)
            except OSError as err:  # unreadable file, a folder named .txt
                logger.warning(
                    f'{label_path}: cannot be read ({err}); sample skipped'
                )
                continue
            for problem in label_file.problems:
                logger.warning(problem)
            instances = [
                dict(
                    bbox=obj.polygon.tolist(),
                    bbox_label=label_of_class[obj.class_name],
                    ignore_flag=int(obj.difficult > self.diff_thr),
                )
                for obj in label_file.objects
            ]
            data_list.append(
                dict(
                    img_id=img_id,
                    file_name=file_name,
                    img_path=img_path,
                    instances=instances,
                )
            )
        return data_list
