# Oriented R-CNN on the SLFFM ConvNeXt-atto of `make demo`, fine-tuned in minutes on a CPU on the
# two bundled DOTA scenes (split first); commands in configs/dota/README.md.
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
