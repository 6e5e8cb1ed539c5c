# BIT on the SLFFM ConvNeXt-atto of `make demo`, fine-tuned in minutes on a CPU on the bundled
# LEVIR-CD tiles (a check that the pipeline learns); commands in configs/levir_cd/README.md.
_base_ = [
    './bit_convnext-test_tiny-demo_levir-cd.py',
    '../_base_/schedules/cpu_demo_200i.py',
]

model = dict(
    backbone=dict(
        arch='atto', init_cfg=dict(type='Pretrained', checkpoint=None)
    ),
    decode_head=dict(
        in_channels=_base_.convnext_slffm.atto.channels[0],
        channels=32,
        dec_depth=2,
        head_dim=32,
    ),
)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = _base_.cpu_demo_poly_lr
train_cfg = dict(
    max_iters=_base_.max_iters, val_interval=_base_.max_iters // 2
)
default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=_base_.max_iters // 2)
)
