# Runtime of SLFFM pretraining: mmpretrain's scope (LAMB, SelfSupDataPreprocessor, transforms
# resolve by name); our modules are named with the `mmslffm.` prefix.
default_scope = 'mmpretrain'

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='mmslffm.SafeCheckpointHook',
        interval=1,
        max_keep_ckpts=3,
        save_last=True,
    ),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # a NaN / inf loss stops the run in one line (mmengine trains on)
    non_finite_loss=dict(type='mmslffm.NonFiniteLossHook'),
)
custom_hooks = [
    # RNG states travel with checkpoints so that --resume continues exactly
    dict(type='mmslffm.RandomStateHook'),
    # a checkpoint written mid-epoch resumes there, not at the epoch's start
    dict(type='mmslffm.EpochPositionHook'),
    dict(type='mmslffm.ReconstructionPreviewHook', interval=2000),
]

env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
log_processor = dict(window_size=10)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
# Checkpoints are untrusted input: weights-only, strict loads (allow_partial_load=True takes
# the keys that fit), written atomically (mmslffm.SafeCheckpointRunner).
runner_type = 'mmslffm.SafeCheckpointRunner'
allow_partial_load = False
randomness = dict(seed=0, diff_rank_seed=True)
