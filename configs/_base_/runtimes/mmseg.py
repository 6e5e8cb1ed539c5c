# The mmseg runtime that ./seg_mmseg.py and ./cd_mmseg.py share: scope 'mmseg', iteration-based
# logging and checkpoints (each sets the interval and the metric of the best one).
default_scope = 'mmseg'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='mmslffm.SafeCheckpointHook',
        by_epoch=False,
        max_keep_ckpts=3,
        rule='greater',
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # a NaN / inf loss stops the run in one line (mmengine trains on)
    non_finite_loss=dict(type='mmslffm.NonFiniteLossHook'),
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
