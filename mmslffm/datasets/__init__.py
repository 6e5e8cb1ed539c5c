"""Datasets and transforms that mmrotate/mmseg/mmpretrain lack (unlabeled archives, image pairs)."""
