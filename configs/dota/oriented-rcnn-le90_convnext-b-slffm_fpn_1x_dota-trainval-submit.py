# DOTA-v1.0 test-server protocol: train on train+val patches, write the merged test-scene
# detections as Task1_<class>.txt + Task1.zip; see configs/dota/README.md.
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
