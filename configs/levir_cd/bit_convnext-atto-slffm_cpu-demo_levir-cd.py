# BIT on the SLFFM ConvNeXt-atto that `make demo` pretrains, fine-tuned on a CPU in minutes on
# the bundled LEVIR-CD tiles (demo/data/levir_cd; trained and scored on the same tiles: a check
# that the pipeline learns, not a benchmark).
#   python tools/train.py configs/levir_cd/bit_convnext-atto-slffm_cpu-demo_levir-cd.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles/slffm_demo_backbone.pth
# Without the option the backbone starts from random weights (logged).
_base_ = ['./bit_convnext-test_tiny-demo_levir-cd.py']
max_iters = 200
warmup_iters = max_iters // 10  # short runs warm up over a tenth of the run

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
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=False,
        begin=0,
        end=warmup_iters,
    ),
    dict(
        type='PolyLR',
        power=1.0,
        eta_min=0.0,
        by_epoch=False,
        begin=warmup_iters,
        end=max_iters,
    ),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters // 2)
default_hooks = dict(
    logger=dict(interval=10), checkpoint=dict(interval=max_iters // 2)
)
