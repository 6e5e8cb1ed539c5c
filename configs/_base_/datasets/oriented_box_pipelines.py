# The pipelines the oriented-box datasets (./dota_ss_1024.py, ./dior_r_800.py) share: strict
# decoding, quadrilateral boxes turned into rotated ones, a 1024-px resize, random flips to train.

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
