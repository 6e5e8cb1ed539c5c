# LoveDA (Wang et al., NeurIPS 2021 Datasets and Benchmarks) test-server submission with
# UperNet + SLFFM ConvNeXt-B: train on train+val (as for the 52.59 / 53.03 mIoU that SLFFM
# reports, Dong et al., IEEE TGRS 2024), then write the test-split predictions instead of
# scoring them (the test split has no labels). The PNGs hold 0..6 = background .. agricultural,
# the index range the LoveDA server takes (mmseg's own format_only would write 1..7):
#   python tools/train.py configs/loveda/upernet_convnext-b-slffm_160k_loveda-trainval-submit.py --amp
#   python tools/test.py configs/loveda/upernet_convnext-b-slffm_160k_loveda-trainval-submit.py CKPT \
#       --cfg-options test_evaluator.output_dir=work_dirs/loveda_submission_b
#   cd work_dirs/loveda_submission_b && zip ../loveda_submission_b.zip *.png
_base_ = './upernet_convnext-b-slffm_160k_loveda.py'
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
