# The short CPU schedule of the ConvNeXt-atto cpu-demo fine-tuning configs: 200 iterations, a
# warm-up over the first tenth, then PolyLR or cosine to 0. A second base beside the config the
# demo shortens, so it defines no key that config has: the demo takes its pieces by name.

# the run's length, which the demos give their train loop
max_iters = 200
warmup_iters = max_iters // 10
# the warm-up both schedules below start with
cpu_demo_warmup = dict(
    type='LinearLR',
    start_factor=1e-3,
    by_epoch=False,
    begin=0,
    end=warmup_iters,
)
# param_scheduler of the segmentation and change-detection demos
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
# param_scheduler of the detection demos
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
