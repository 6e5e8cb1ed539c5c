# mmseg runtime for the change-detection configs (default scope 'mmseg'; our modules are named
# 'mmslffm.X'). Checkpoints every 2k iterations, best kept by the change-class F1.
default_scope = 'mmseg'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='mmslffm.SafeCheckpointHook',
        by_epoch=False,
        interval=2000,
        max_keep_ckpts=3,
        save_best='F1_change',
        rule='greater',
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='SegLocalVisualizer', vis_backends=vis_backends, name='visualizer'
)
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
# Checkpoints are untrusted input: weights-only, strict loads (allow_partial_load=True takes
# the keys that fit), written atomically (mmslffm.SafeCheckpointRunner).
runner_type = 'mmslffm.SafeCheckpointRunner'
allow_partial_load = False
# Only the stride-4 stage feeds BIT: deeper backbone stages get no gradient.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True
)
