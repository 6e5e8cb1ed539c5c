# DIOR-R (Cheng et al., IEEE TGRS 2022), 800 px, 20 classes, read from its release layout;
# train+val for training, VOC07 11-point mAP at IoU 0.5 on test (configs/dior/README.md).
_base_ = ['./oriented_box_pipelines.py']
dataset_type = 'mmslffm.DIORRDataset'
data_root = 'data/DIOR/'
# the shared pipelines at 800 px
train_pipeline = [
    dict(step, scale=(800, 800)) if step.type == 'mmdet.Resize' else step
    for step in _base_.train_pipeline
]
test_pipeline = [
    dict(step, scale=(800, 800)) if step.type == 'mmdet.Resize' else step
    for step in _base_.test_pipeline
]
train_dataloader = dict(
    batch_size=2,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=None,
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type=dataset_type,
                data_root=data_root,
                ann_file=f'ImageSets/Main/{split}.txt',
                filter_cfg=dict(filter_empty_gt=True),
                pipeline=train_pipeline,
            )
            for split in ('train', 'val')
        ],
    ),
)
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='ImageSets/Main/test.txt',
        test_mode=True,
        pipeline=test_pipeline,
    ),
)
test_dataloader = val_dataloader

val_evaluator = dict(
    type='mmslffm.RotatedVOCMetric', eval_mode='11points', iou_thrs=[0.5]
)
test_evaluator = val_evaluator
