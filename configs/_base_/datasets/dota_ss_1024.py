# DOTA-v1.0 (Xia et al., CVPR 2018), single scale (the SLFFM protocol): scenes cut into
# 1024 x 1024 patches with a 200 px gap.
# Prepare (once; resumable, bad lines reported in <out>/split_problems.log):
#   python tools/dataset_converters/dota_split.py --img-dir data/DOTA/train/images \
#       --ann-dir data/DOTA/train/labelTxt --out-dir data/split_ss_dota/train
#   python tools/dataset_converters/dota_split.py --img-dir data/DOTA/val/images \
#       --ann-dir data/DOTA/val/labelTxt --out-dir data/split_ss_dota/val --keep-empty
#   python tools/dataset_converters/dota_split.py --img-dir data/DOTA/test/images \
#       --out-dir data/split_ss_dota/test
# Validation/test merge the patch detections back to whole scenes, report the scene mAP
# against data/DOTA/val/labelTxt (VOC07 11-point, IoU 0.5, the devkit protocol) and write
# Task1_<class>.txt + Task1.zip into <work_dir>/<timestamp>/submission/ (and PNGs of merged
# scenes into its scene_detections/).
dataset_type = 'mmslffm.DOTAPatchDataset'
data_root = 'data/split_ss_dota/'
scene_label_dir = 'data/DOTA/val/labelTxt'
scene_image_dir = (
    'data/DOTA/val/images'  # merged detections drawn on 20 scenes
)
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
    dict(type='mmdet.Resize', scale=(1024, 1024), keep_ratio=True),
    dict(
        type='mmdet.RandomFlip',
        prob=0.75,
        direction=['horizontal', 'vertical', 'diagonal'],
    ),
    dict(type='mmdet.PackDetInputs'),
]
test_pipeline = [
    load_image,
    dict(type='mmdet.Resize', scale=(1024, 1024), keep_ratio=True),
    # after Resize, so boxes stay in patch pixels for the merge
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
        type=dataset_type,
        data_root=data_root,
        ann_file='train/annfiles/',
        data_prefix=dict(img_path='train/images/'),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline,
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
        ann_file='val/annfiles/',
        data_prefix=dict(img_path='val/images/'),
        test_mode=True,
        pipeline=test_pipeline,
    ),
)
test_dataloader = val_dataloader

val_evaluator = dict(
    type='mmslffm.DOTASceneMetric',
    metric='mAP',
    eval_mode='11points',
    iou_thrs=[0.5],
    scene_ann_dir=scene_label_dir,
    scene_img_dir=scene_image_dir,
)
test_evaluator = val_evaluator
