# LoveDA test-server submission, UperNet + SLFFM ConvNeXt-B: train on train+val, write the test
# split's predictions as PNGs of 0..6 (the server's range); commands in configs/loveda/README.md.
_base_ = [
    '../_base_/models/upernet_slffm.py',
    '../_base_/datasets/loveda.py',
    '../_base_/runtimes/seg_mmseg.py',
    '../_base_/schedules/seg_adamw_160k.py',
]
model = dict(
    decode_head=dict(num_classes=7), auxiliary_head=dict(num_classes=7)
)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets=[
            dict(
                type={{_base_.dataset_type}},
                data_root={{_base_.data_root}},
                data_prefix=dict(
                    img_path=f'img_dir/{split}',
                    seg_map_path=f'ann_dir/{split}',
                ),
                pipeline={{_base_.train_pipeline}},
            )
            for split in ('train', 'val')
        ],
    )
)
test_dataloader = dict(
    dataset=dict(
        data_prefix=dict(img_path='img_dir/test', seg_map_path='img_dir/test'),
        pipeline=[{{_base_.load_image}}, dict(type='PackSegInputs')],
    )
)
test_evaluator = dict(
    type='mmslffm.SegmentationMetric',
    format_only=True,
    output_dir='work_dirs/loveda_submission_b',
    submission_offset=0,
)
