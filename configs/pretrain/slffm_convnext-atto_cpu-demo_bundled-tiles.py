# A few minutes of real SLFFM pretraining on a CPU on the 116 tiles bundled in
# demo/data/pretrain_unlabeled: a small ConvNeXt, a short schedule; see configs/pretrain/README.md.
_base_ = [
    '../_base_/datasets/geosense.py',
    '../_base_/models/slffm_convnext_b.py',
    '../_base_/schedules/slffm_lamb_200e.py',
    '../_base_/runtimes/pretrain_mmpretrain.py',
    '../_base_/schedules/pretrain_cpu_demo_120i.py',
]
data_root = 'demo/data/pretrain_unlabeled'
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    pin_memory=False,
    dataset=dict(data_root=data_root),
)

model = dict(
    backbone=dict(arch='atto', drop_path_rate=0.1),  # dims 40..320, 3.4 M
    neck=dict(
        feature_dim=_base_.convnext_slffm.atto.channels[3] * 3 // 4,  # 240
        norm_cfg=dict(type='BN'),
    ),
)

optim_wrapper = dict(optimizer=dict(lr=2e-3))
param_scheduler = [
    *_base_.pretrain_cpu_demo_lr,
    dict(
        type='CosineAnnealingWeightDecay',
        eta_min=0.2,
        T_max=_base_.max_iters,
        by_epoch=False,
        begin=0,
        end=_base_.max_iters,
    ),
]
train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=_base_.max_iters
)
auto_scale_lr = dict(enable=False)

log_processor = dict(by_epoch=False)
default_hooks = _base_.pretrain_cpu_demo_hooks
custom_hooks = [
    dict(type='mmslffm.RandomStateHook'),
    dict(type='mmslffm.ReconstructionPreviewHook', interval=40),
    _base_.ucm_mini_knn_monitor,
]
