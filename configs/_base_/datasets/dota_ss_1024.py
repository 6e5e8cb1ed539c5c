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
