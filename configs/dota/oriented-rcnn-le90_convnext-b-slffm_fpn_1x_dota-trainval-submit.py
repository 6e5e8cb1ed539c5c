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
                ann_file=f'{split}/annfiles/',
                data_prefix=dict(img_path=f'{split}/images/'),
                filter_cfg=dict(filter_empty_gt=True),
                pipeline={{_base_.train_pipeline}},
            )
            for split in ('train', 'val')
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

# the validation loader of the DOTA base on the test patches
test_dataloader = dict(
    dataset=dict(
        ann_file='',
        data_prefix=dict(img_path='test/images/'),
        test_mode=True,
        # the DOTA test pipeline without its annotation steps (the test split has none)
        pipeline=[
            step
            for step in _base_.test_pipeline
            if step.type not in ('mmdet.LoadAnnotations', 'ConvertBoxType')
        ],
    ),
)
test_evaluator = dict(
    _delete_=True, type='mmslffm.DOTASceneMetric', format_only=True
)
