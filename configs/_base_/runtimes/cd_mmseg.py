# mmseg runtime of the change-detection configs: checkpoints every 2k iterations, the best by the
# change-class F1.
_base_ = ['./mmseg.py']
default_hooks = dict(checkpoint=dict(interval=2000, save_best='F1_change'))
# Only the stride-4 stage feeds BIT: deeper backbone stages get no gradient.
model_wrapper_cfg = dict(
    type='MMDistributedDataParallel', find_unused_parameters=True
)
