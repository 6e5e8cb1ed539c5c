# Oriented R-CNN on the SLFFM ConvNeXt-atto of `make demo`, fine-tuned in minutes on a CPU on the
# bundled DIOR-R image (a check that the pipeline learns); commands in configs/dior/README.md.
_base_ = ['./oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dior-r.py']
max_iters = 100
warmup_iters = max_iters // 10  # short runs warm up over a tenth of the run

model = dict(
    backbone=dict(
        arch='atto', init_cfg=dict(type='Pretrained', checkpoint=None)
    ),
    neck=dict(in_channels=_base_.convnext_slffm.atto.channels),
)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=False,
        begin=0,
        end=warmup_iters,
    ),
    dict(
        type='CosineAnnealingLR',
        eta_min=0.0,
        by_epoch=False,
        begin=warmup_iters,
        end=max_iters,
        T_max=max_iters - warmup_iters,
    ),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=max_iters // 2, max_keep_ckpts=2),
)
