# BIT + SLFFM ConvNeXt-B on LEVIR-CD 256x256 tiles, batch 8, 20k iterations
# (reference: change-class F1 93.66; see README for the two F-score conventions).
#
# Pretrained backbone: `backbone_checkpoint`, checkpoints/slffm_convnext-b_backbone.pth (the
# extracted SLFFM backbone, tools/extract_backbone.py; ../_base_/models/backbones/convnext_slffm.py):
#   python tools/train.py configs/levir_cd/bit_convnext-b-slffm_20k_levir-cd.py
# Another file: --cfg-options model.backbone.init_cfg.checkpoint=PATH/TO/backbone.pth
# Data: data_root holds tools/dataset_converters/levir_cd.py's output (train/ val/ test/).
# Test on tiles: python tools/test.py configs/levir_cd/bit_convnext-b-slffm_20k_levir-cd.py CKPT
#   (add --cfg-options test_evaluator.output_dir=work_dirs/levir_maps to save PNG change maps)
# Test on whole 1024x1024 images: configs/levir_cd/bit_convnext-b-slffm_20k_levir-cd-slide1024.py
_base_ = [
    '../_base_/models/bit_slffm.py',
    '../_base_/datasets/levir_cd.py',
    '../_base_/schedules/cd_adamw_20k.py',
    '../_base_/runtimes/cd_mmseg.py',
]
