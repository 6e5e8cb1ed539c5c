# UperNet + auxiliary FCN head on the SLFFM ConvNeXt-B, ISPRS Vaihingen (6 classes; clutter
# excluded from the metrics). Inputs are IRRG false colour (see ../_base_/datasets/vaihingen.py).
# Recipe as Potsdam: 512 crops, total batch 8, AdamW 1e-4, wd 0.05, drop path 0.4, layer-wise lr
# decay 0.9, 160k iterations, AMP on GPU (--amp), slide inference 512 / stride 341.
#
# Data: python tools/dataset_converters/vaihingen.py ISPRS_semantic_labeling_Vaihingen.zip \
#           ISPRS_semantic_labeling_Vaihingen_ground_truth_COMPLETE.zip \
#           ISPRS_semantic_labeling_Vaihingen_ground_truth_eroded_COMPLETE.zip -o data/vaihingen
# Pretrained backbone: `backbone_checkpoint`, checkpoints/slffm_convnext-b_backbone.pth (another:
# --cfg-options model.backbone.init_cfg.checkpoint=PATH/TO/backbone.pth)
# Train: python tools/train.py configs/vaihingen/upernet_convnext-b-slffm_160k_vaihingen.py --amp
# Test:  python tools/test.py configs/vaihingen/upernet_convnext-b-slffm_160k_vaihingen.py work_dirs/upernet_convnext-b-slffm_160k_vaihingen/iter_160000.pth
_base_ = [
    '../_base_/models/upernet_slffm.py',
    '../_base_/datasets/vaihingen.py',
    '../_base_/runtimes/seg_mmseg.py',
    '../_base_/schedules/seg_adamw_160k.py',
]
model = dict(
    decode_head=dict(num_classes=6), auxiliary_head=dict(num_classes=6)
)
