# Runtime of the detection configs: mmrotate scope, checkpoints every epoch, rotated-box visualiser.
default_scope = 'mmrotate'

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='mmslffm.SafeCheckpointHook', interval=1, max_keep_ckpts=3
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='mmdet.DetVisualizationHook'),
    # a NaN / inf loss stops the run in one line (mmengine trains on)
    non_finite_loss=dict(type='mmslffm.NonFiniteLossHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)

vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(
    type='RotLocalVisualizer', vis_backends=vis_backends, name='visualizer'
)
log_processor = dict(type='LogProcessor', window_size=50, by_epoch=True)

log_level = 'INFO'
load_from = None
resume = False
# Checkpoints are untrusted input: weights-only, strict loads (allow_partial_load=True takes
# the keys that fit), written atomically (mmslffm.SafeCheckpointRunner).
runner_type = 'mmslffm.SafeCheckpointRunner'
allow_partial_load = False
