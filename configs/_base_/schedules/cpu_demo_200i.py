# The short CPU schedule of the ConvNeXt-atto cpu-demo fine-tuning configs: 200 iterations, a
# linear warm-up over the first tenth (short runs warm up over a tenth, not the recipes' 1.5k
# iterations), then a decay to 0: PolyLR (segmentation, change detection) or cosine
# (detection). A second base next to the config the demo shortens, so it defines no key that
# config has (mmengine refuses a key two bases define); the demo takes its scheduler from here
# and sets its loop and checkpoint interval from `max_iters`:
#   param_scheduler = _base_.cpu_demo_poly_lr
#   train_cfg = dict(max_iters=_base_.max_iters, val_interval=_base_.max_iters // 2)
max_iters = 200
warmup_iters = max_iters // 10
cpu_demo_warmup = dict(
    type='LinearLR',
    start_factor=1e-3,
    by_epoch=False,
    begin=0,
    end=warmup_iters,
)
cpu_demo_poly_lr = [
    cpu_demo_warmup,
    dict(
        type='PolyLR',
        power=1.0,
        eta_min=0.0,
        by_epoch=False,
        begin=warmup_iters,
        end=max_iters,
    ),
]
cpu_demo_cosine_lr = [
    cpu_demo_warmup,
    dict(
        type='CosineAnnealingLR',
        eta_min=0.0,
        by_epoch=False,
        begin=warmup_iters,
        end=max_iters,
        T_max=max_iters - warmup_iters,
    ),
]
