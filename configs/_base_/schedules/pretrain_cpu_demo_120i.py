# The short CPU run of the cpu-demo pretraining configs: 120 iterations, a kNN accuracy on the 63
# bundled UC Merced scenes every 60. A second base beside the pretraining bases, so it defines no
# key they define: the configs take its pieces by name.

# the run's length, which the configs give their IterBasedTrainLoop
max_iters = 120
# the configs' param_scheduler: 10 warm-up iterations, then cosine to 1e-5
pretrain_cpu_demo_lr = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=10),
    dict(
        type='CosineAnnealingLR',
        T_max=max_iters - 10,
        eta_min=1e-5,
        by_epoch=False,
        begin=10,
        end=max_iters,
    ),
]
# the configs' default_hooks: logs every 10 iterations, a checkpoint every 60
pretrain_cpu_demo_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=max_iters // 2, max_keep_ckpts=2),
)
# one of the configs' custom_hooks: leave-one-out kNN of the encoder on demo/data/ucm_mini
ucm_mini_knn_monitor = dict(
    type='mmslffm.KNNMonitorHook',
    data_root='demo/data/ucm_mini',
    interval=max_iters // 2,
    feature_norm='zscore',  # see docs/advanced/knn_monitor.md
)
