# DOTA-v1.0 test-server protocol: train on train+val patches (no validation), predict the
# unlabelled test patches, merge them to scenes and write Task1_<class>.txt + Task1.zip for
# https://captain-whu.github.io/DOTA/evaluation.html (into <work_dir>/<timestamp>/submission/).
#   python tools/train.py configs/dota/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota-trainval-submit.py
#   python tools/test.py configs/dota/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota-trainval-submit.py \
#       work_dirs/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota-trainval-submit/epoch_12.pth
# ConvNeXt-L: add the backbone and neck lines of oriented-rcnn-le90_convnext-l-slffm_fpn_1x_dota.py.
_base_ = './oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py'

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(
                type={{_base_.dataset_type}},
                data_root={{_base_.data_root}},
                ann_file='train/annfiles/',
                data_prefix=dict(img_path='train/images/'),
                filter_cfg=dict(filter_empty_gt=True),
                pipeline={{_base_.train_pipeline}},
            ),
            dict(
                type={{_base_.dataset_type}},
                data_root={{_base_.data_root}},
                ann_file='val/annfiles/',
                data_prefix=dict(img_path='val/images/'),
                filter_cfg=dict(filter_empty_gt=True),
                pipeline={{_base_.train_pipeline}},
            ),
        ],
    )
)
train_cfg = dict(
    val_interval=100
)  # never: there is no held-out labelled split
val_dataloader = None
val_cfg = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(save_best=None))

test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type={{_base_.dataset_type}},
        data_root={{_base_.data_root}},
        ann_file='',
        data_prefix=dict(img_path='test/images/'),
        test_mode=True,
        pipeline=[
            {{_base_.load_image}},
            dict(type='mmdet.Resize', scale=(1024, 1024), keep_ratio=True),
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
        ],
    ),
)
test_evaluator = dict(
    _delete_=True, type='mmslffm.DOTASceneMetric', format_only=True
)
