# The short CPU run of the cpu-demo pretraining configs (SLFFM and MAE on the tiles bundled in
# demo/data/pretrain_unlabeled): 120 iterations, a linear warm-up over the first 10 then cosine
# to 1e-5, logs every 10 iterations, a checkpoint and a leave-one-out kNN accuracy of the
# encoder on the 63 bundled UC Merced scenes (21 classes) every 60. A second base next to the
# pretraining config the demo shortens, so it defines no key that config has (mmengine refuses
# a key two bases define); the demo takes the pieces by name:
#   train_dataloader = _base_.bundled_tiles_loader  # 8 images a batch
#   param_scheduler = _base_.pretrain_cpu_demo_lr
#   default_hooks = _base_.pretrain_cpu_demo_hooks
#   custom_hooks = [dict(type='mmslffm.RandomStateHook'), _base_.ucm_mini_knn_monitor]
max_iters = 120
bundled_tiles_loader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(data_root='demo/data/pretrain_unlabeled'),
)
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
pretrain_cpu_demo_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(by_epoch=False, interval=max_iters // 2, max_keep_ckpts=2),
)
ucm_mini_knn_monitor = dict(
    type='mmslffm.KNNMonitorHook',
    data_root='demo/data/ucm_mini',
    interval=max_iters // 2,
    feature_norm='zscore',  # see docs/advanced/knn_monitor.md
)
