# Tiny BIT + SLFFM ('test' arch ConvNeXt, random) on the LEVIR-CD tiles of demo/data/levir_cd:
# seconds on a CPU, for the tests and benchmarks/levir_cd_overfit.py; configs/levir_cd/README.md.
_base_ = [
    '../_base_/models/bit_slffm.py',
    '../_base_/datasets/levir_cd.py',
    '../_base_/schedules/cd_adamw_20k.py',
    '../_base_/runtimes/cd_mmseg.py',
]
data_root = 'demo/data/levir_cd'
model = dict(
    backbone=dict(
        arch='test',
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=None),
    ),
    decode_head=dict(
        in_channels=_base_.convnext_slffm.test.channels[0],
        channels=16,
        dec_depth=2,
        head_dim=16,
    ),
)
demo_dataset = dict(
    data_root=data_root,
    ann_file='list/all.txt',
    data_prefix=dict(img_path='A', img_path2='B', seg_map_path='label'),
)
train_dataloader = dict(
    batch_size=2, num_workers=0, persistent_workers=False, dataset=demo_dataset
)
val_dataloader = dict(
    num_workers=0, persistent_workers=False, dataset=demo_dataset
)
test_dataloader = val_dataloader
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(max_iters=20, val_interval=10)
default_hooks = dict(logger=dict(interval=5), checkpoint=dict(interval=10))
env_cfg = dict(cudnn_benchmark=False)
