# mmpretrain runtime for the scene classification configs.
default_scope = 'mmpretrain'
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # atomic saves; an old checkpoint is deleted only after the new one is whole
    checkpoint=dict(
        type='mmslffm.SafeCheckpointHook', interval=10, max_keep_ckpts=2
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='VisualizationHook', enable=False),
    # a NaN / inf loss stops the run in one line (mmengine trains on)
    non_finite_loss=dict(type='mmslffm.NonFiniteLossHook'),
)
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)
# weights-only loading (resume, load_from) with the checkpoint allow-list
runner_type = 'mmslffm.SafeCheckpointRunner'
