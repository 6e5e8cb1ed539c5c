# BIT on the SLFFM ConvNeXt-atto that `make demo` pretrains, fine-tuned on a CPU in minutes on
# the bundled LEVIR-CD tiles (demo/data/levir_cd; trained and scored on the same tiles: a check
# that the pipeline learns, not a benchmark).
#   python tools/train.py configs/levir_cd/bit_convnext-atto-slffm_cpu-demo_levir-cd.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles/slffm_demo_backbone.pth
# Without the option the backbone starts from random weights (logged).
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
