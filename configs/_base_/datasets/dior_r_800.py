# DIOR-R (Cheng et al., IEEE TGRS 2022; 800 x 800 images, 20 classes, oriented boxes in
# VOC-style XML), read from its own release layout:
#   data/DIOR/JPEGImages-trainval/*.jpg  data/DIOR/JPEGImages-test/*.jpg
#   data/DIOR/Annotations/Oriented Bounding Boxes/*.xml
#   data/DIOR/ImageSets/Main/{train,val,test}.txt
# Train on train+val, evaluate on test with VOC07 11-point mAP at IoU 0.5 (the DIOR-R protocol).
dataset_type = 'mmslffm.DIORRDataset'
data_root = 'data/DIOR/'
backend_args = None
# Strict decoding (mmslffm.LoadRemoteSensingImage): a truncated, empty or bomb-sized image
# raises naming the file instead of decoding as grey rows; BGR as mmcv's loader gives.
load_image = dict(
    type='mmslffm.LoadRemoteSensingImage', channel_order='bgr', min_size=1
)

train_pipeline = [
    # strict decoding; a corrupt patch is logged, counted and replaced, not fatal
    dict(type='mmslffm.SkipUnreadable', transforms=[load_image]),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, box_type='qbox'),
    dict(type='ConvertBoxType', box_type_mapping=dict(gt_bboxes='rbox')),
    dict(type='mmdet.Resize', scale=(800, 800), keep_ratio=True),
    dict(
        type='mmdet.RandomFlip',
        prob=0.75,
        direction=['horizontal', 'vertical', 'diagonal'],
    ),
    dict(type='mmdet.PackDetInputs'),
]
test_pipeline = [
    load_image,
    dict(type='mmdet.Resize', scale=(800, 800), keep_ratio=True),
    dict(type='mmdet.LoadAnnotations', with_bbox=True, box_type='qbox'),
    dict(type='ConvertBoxType', box_type_mapping=dict(gt_bboxes='rbox')),
    dict(
        type='mmdet.PackDetInputs',
        meta_keys=(
            'img_id',
            'img_path',
            'ori_shape',
            'img_shape',
            'scale_factor',
        ),
    ),
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
                ann_file='ImageSets/Main/train.txt',
                filter_cfg=dict(filter_empty_gt=True),
                pipeline=train_pipeline,
            ),
            dict(
                type=dataset_type,
                data_root=data_root,
                ann_file='ImageSets/Main/val.txt',
                filter_cfg=dict(filter_empty_gt=True),
                pipeline=train_pipeline,
            ),
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
