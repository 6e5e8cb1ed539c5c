# UperNet + auxiliary FCN head on the SLFFM ConvNeXt-B, ISPRS Potsdam (6 classes;
# clutter excluded from the metrics).
# Recipe: 512 crops, total batch 8, AdamW 1e-4, wd 0.05, drop path 0.4, layer-wise lr decay
# 0.9, 160k iterations, AMP on GPU (--amp), slide inference 512 / stride 341.
#
# Pretrained backbone: `backbone_checkpoint`, checkpoints/slffm_convnext-b_backbone.pth, the
# extracted SLFFM backbone (tools/extract_backbone.py; ../_base_/models/backbones/convnext_slffm.py); another:
#   --cfg-options model.backbone.init_cfg.checkpoint=PATH/TO/backbone.pth
# Train, 8 GPUs x 1 image:
#   bash tools/dist_train.sh configs/potsdam/upernet_convnext-b-slffm_160k_potsdam.py 8 --amp
# Train, 1 GPU with the same total batch (2 images x 4 accumulated steps):
#   python tools/train.py configs/potsdam/upernet_convnext-b-slffm_160k_potsdam.py --amp \
#       --cfg-options train_dataloader.batch_size=2 optim_wrapper.accumulative_counts=4
# Test: python tools/test.py configs/potsdam/upernet_convnext-b-slffm_160k_potsdam.py work_dirs/upernet_convnext-b-slffm_160k_potsdam/iter_160000.pth
_base_ = [
    '../_base_/models/upernet_slffm.py',
    '../_base_/datasets/potsdam.py',
    '../_base_/runtimes/seg_mmseg.py',
    '../_base_/schedules/seg_adamw_160k.py',
]
model = dict(
    decode_head=dict(num_classes=6), auxiliary_head=dict(num_classes=6)
)
