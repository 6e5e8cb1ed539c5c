# Oriented R-CNN on the SLFFM ConvNeXt-atto that `make demo` pretrains, fine-tuned on a CPU in
# minutes on the two bundled DOTA scenes cut into 256 patches (trained and scored on the same
# patches: a check that the pipeline learns, not a benchmark).
#   python tools/dataset_converters/dota_split.py --img-dir demo/data/dota/images \
#       --ann-dir demo/data/dota/labelTxt --out-dir work_dirs/demo_dota_split \
#       --patch-size 256 --gap 64 --keep-empty
#   python tools/train.py configs/dota/oriented-rcnn-le90_convnext-atto-slffm_fpn_cpu-demo_dota.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles/slffm_demo_backbone.pth
# Without the option the backbone starts from random weights (logged).
_base_ = [
    './oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py',
    '../_base_/schedules/cpu_demo_200i.py',
]

model = dict(
    backbone=dict(
        arch='atto', init_cfg=dict(type='Pretrained', checkpoint=None)
    ),
    neck=dict(in_channels=_base_.convnext_slffm.atto.channels),
)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = _base_.cpu_demo_cosine_lr
train_cfg = dict(max_iters=_base_.max_iters, val_interval=_base_.max_iters)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=_base_.max_iters // 2, max_keep_ckpts=2),
    visualization=dict(draw=False),
)
