# GeoSense-style unlabeled pretraining data (the SLFFM archive, Dong et al., IEEE TGRS 2024): point
# data_root at a folder tree of JPG/PNG/TIF images, or give `sources` (see
# mmslffm/datasets/geosense.py and configs/pretrain/README.md).
data_root = 'data/geosense'

# ImageNet statistics in RGB order (0-255), as the reference; LoadRemoteSensingImage gives RGB.
# The runner merges it into the model; the low-pass target reuses its mean/std.
data_preprocessor = dict(
    type='SelfSupDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=False,
)

train_pipeline = [
    dict(type='mmslffm.LoadRemoteSensingImage'),
    dict(
        type='RandomResizedCrop',
        scale=224,
        crop_ratio_range=(0.67, 1.0),
        interpolation='bicubic',
        backend='cv2',
    ),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=128,  # per GPU: 8 GPUs x 128 = the reference's 1024
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    # DefaultSampler that can resume mid-epoch (with mmslffm.EpochPositionHook)
    sampler=dict(type='mmslffm.ResumableSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(
        type='mmslffm.GeoSense', data_root=data_root, pipeline=train_pipeline
    ),
)
