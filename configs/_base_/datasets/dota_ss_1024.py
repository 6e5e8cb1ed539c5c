# DOTA-v1.0 (Xia et al., CVPR 2018) single scale: 1024-px patches (tools/dataset_converters/
# dota_split.py), scored as whole scenes (VOC07 11-point, IoU 0.5); configs/dota/README.md.
_base_ = ['./oriented_box_pipelines.py']
dataset_type = 'mmslffm.DOTAPatchDataset'
data_root = 'data/split_ss_dota/'
scene_label_dir = 'data/DOTA/val/labelTxt'
scene_image_dir = (
    'data/DOTA/val/images'  # merged detections drawn on 20 scenes
)
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
        pipeline=_base_.train_pipeline,
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
        pipeline=_base_.test_pipeline,
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
