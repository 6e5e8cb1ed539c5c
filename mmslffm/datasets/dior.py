"""DIOR-R read from its own release layout, with the quirks of its real files handled.

mmrotate's ``DIORDataset`` expects one image folder and exact class names. The DIOR-R release
differs in ways that stop it:

* images are in two folders, ``JPEGImages-trainval`` and ``JPEGImages-test`` (some copies
  merge them into ``JPEGImages``): we look for each image in every given folder;
* the annotation folder is ``Annotations/Oriented Bounding Boxes`` (with spaces; copies made
  by tools often use underscores): both are found;
* two class names are spelled ``Expressway-Service-area`` / ``Expressway-toll-station`` in
  the XML files: names are compared lower-cased;
* ``ImageSets/Main/*.txt`` may have CRLF line ends, blank lines and trailing spaces;
* a missing or broken XML, an object without ``robndbox``, an unknown class, a missing image:
  reported (file named) and skipped, not fatal;
* NaN/inf, absurd (beyond 1e6 px), degenerate (under one pixel of area) or wholly
  outside-the-image corners: the object is reported (file and object index) and skipped;
* a non-numeric ``<width>``/``<height>``: reported, and the size is read from the image header.

``difficult`` objects become ``ignore_flag=1`` (VOC convention, as the DIOR-R evaluation).

Dataset: DIOR-R, the oriented-box annotation of DIOR (Cheng et al., "Anchor-Free Oriented
Proposal Generator for Object Detection", IEEE TGRS 2022); 20 classes, VOC07 11-point mAP.
"""

import os.path as osp
import xml.etree.ElementTree as ET
from typing import List, Optional, Sequence, Tuple

import numpy as np
from mmengine.logging import MMLogger
from mmrotate.datasets import DIORDataset
from PIL import Image

from mmslffm.registry import DATASETS
from .polygons import polygon_problem

__all__ = ['DIORRDataset']

ANNOTATION_SUBDIRS = (
    'Annotations/Oriented Bounding Boxes',
    'Annotations/Oriented_Bounding_Boxes',
)
CORNER_TAGS = (
    'x_left_top',
    'y_left_top',
    'x_right_top',
    'y_right_top',
    'x_right_bottom',
    'y_right_bottom',
    'x_left_bottom',
    'y_left_bottom',
)


@DATASETS.register_module()
class DIORRDataset(DIORDataset):
    """DIOR-R oriented boxes (20 classes, 800 x 800 images).

    Args:
        ann_file: image-id list, e.g. ``ImageSets/Main/test.txt``.
        img_subdirs: image folders under ``data_root``, searched in order.
        ann_subdir: oriented-box XML folder; ``None`` finds the release's
            or the underscore spelling.
        **kwargs: ``BaseDataset`` arguments (``data_root``, ``pipeline``...).
    """

    def __init__(
        self,
        img_subdirs: Sequence[str] = (
            'JPEGImages-trainval',
            'JPEGImages-test',
            'JPEGImages',
        ),
        ann_subdir: Optional[str] = None,
        **kwargs,
    ) -> None:
        self.img_subdirs = tuple(img_subdirs)
        super().__init__(ann_subdir=ann_subdir or '', **kwargs)

    def _annotation_dir(self) -> str:
        candidates = (
            [self.ann_subdir] if self.ann_subdir else list(ANNOTATION_SUBDIRS)
        )
        for subdir in candidates:
            path = osp.join(self.data_root, subdir)
            if osp.isdir(path):
                return path
        raise FileNotFoundError(
            f'DIOR-R annotations not found under {self.data_root} (looked for '
            f"{', '.join(candidates)}); unpack 'Annotations.zip' of DIOR-R "
            'there'
        )

    def _find_image(self, img_id: str) -> Optional[str]:
        for subdir in self.img_subdirs:
            path = osp.join(self.data_root, subdir, f'{img_id}.jpg')
            if osp.isfile(path):
                return path
        return None

    def load_data_list(self) -> List[dict]:
        """One entry per listed image id that has an image and a readable XML."""
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'image-id list not found: {self.ann_file} (DIOR-R layout: '
                '<root>/ImageSets/Main/{train,val,test}.txt)'
            )
        logger = MMLogger.get_current_instance()
        with open(self.ann_file, encoding='utf-8') as handle:
            img_ids = [line.strip() for line in handle if line.strip()]
        ann_dir = self._annotation_dir()
        data_list = []
        for img_id in img_ids:
            img_path = self._find_image(img_id)
            if img_path is None:
                logger.warning(
                    f'{self.ann_file}: image {img_id}.jpg not found in '
                    f'{", ".join(self.img_subdirs)}; sample skipped'
                )
                continue
            data_info = self._parse_xml(
                osp.join(ann_dir, f'{img_id}.xml'), img_path, logger
            )
            if data_info is None:
                continue
            data_info.update(
                img_id=img_id,
                img_path=img_path,
                file_name=osp.basename(img_path),
            )
            data_list.append(data_info)
        return data_list

    def _parse_xml(
        self, xml_path: str, img_path: str, logger: MMLogger
    ) -> Optional[dict]:
        """Size and instances of one XML; ``None`` (with a warning) if unreadable."""
        try:
            root = ET.parse(xml_path).getroot()
        except (OSError, ET.ParseError) as err:
            logger.warning(
                f'{xml_path}: cannot read annotation ({err}); sample skipped'
            )
            return None
        label_of_class = {
            name.lower(): index
            for index, name in enumerate(self.metainfo['classes'])
        }
        size = _xml_size(root)
        if size is None:
            try:
                with Image.open(img_path) as image:
                    size = image.size
            except (OSError, ValueError, Image.DecompressionBombError) as err:
                logger.warning(
                    f'{xml_path}: <size> is missing or not numeric'
                    f' and {img_path} is unreadable ({err}); '
                    'sample skipped'
                )
                return None
            logger.warning(
                f'{xml_path}: <size> is missing or not numeric; '
                f'using {size[0]}x{size[1]} from {img_path}'
            )
        width, height = size
        instances = []
        for object_index, obj in enumerate(root.iter('object'), start=1):
            name = (obj.findtext('name') or '').strip().lower()
            box = obj.find('robndbox')
            where = f'{xml_path}: object {object_index}'
            if name not in label_of_class:
                logger.warning(f'{where}: unknown class {name!r}; skipped')
                continue
            try:
                polygon = np.array(
                    [float(box.findtext(tag)) for tag in CORNER_TAGS]
                )
            except (AttributeError, TypeError, ValueError):
                logger.warning(
                    f'{where}: missing or non-numeric <robndbox> '
                    'corners; skipped'
                )
                continue
            problem = polygon_problem(polygon, (width, height))
            if problem is not None:
                logger.warning(f'{where}: {problem}; skipped')
                continue
            difficult = obj.findtext('difficult', '0').strip()
            instances.append(
                dict(
                    bbox=polygon.astype(np.float32).tolist(),
                    bbox_label=label_of_class[name],
                    ignore_flag=int(difficult not in ('', '0')),
                )
            )
        return dict(
            width=width, height=height, xml_path=xml_path, instances=instances
        )


def _xml_size(root: ET.Element) -> Optional[Tuple[int, int]]:
    """(width, height) from ``<size>``, or None if missing, non-numeric or not positive."""
    try:
        width, height = (
            float(root.findtext(f'size/{tag}')) for tag in ('width', 'height')
        )
    except (TypeError, ValueError):
        return None
    if not (np.isfinite([width, height]).all() and width > 0 and height > 0):
        return None
    return int(width), int(height)
