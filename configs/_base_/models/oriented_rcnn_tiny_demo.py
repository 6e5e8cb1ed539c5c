# The small Oriented R-CNN of the tiny-demo detection configs (DOTA, DIOR-R): the 'test'
# SparseConvNeXt, randomly initialised, a `feature_channels`-wide FPN and heads, fewer
# proposals and sampled RoIs. A second base next to a detection config, so it defines no key
# that config has (mmengine refuses a key two bases define): the config merges
# `tiny_demo_detector` into its model and gives the FPN its input widths, e.g.
#   model = dict(
#       _base_.tiny_demo_detector,
#       neck=dict(in_channels=_base_.convnext_slffm.test.channels, out_channels=32),
#   )
feature_channels = 32
tiny_demo_detector = dict(
    backbone=dict(
        arch='test',
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=None),
    ),
    rpn_head=dict(
        in_channels=feature_channels, feat_channels=feature_channels
    ),
    roi_head=dict(
        bbox_roi_extractor=dict(out_channels=feature_channels),
        bbox_head=dict(in_channels=feature_channels, fc_out_channels=64),
    ),
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=200, max_per_img=200),
        rcnn=dict(sampler=dict(num=64)),
    ),
    test_cfg=dict(
        rpn=dict(nms_pre=200, max_per_img=64),
        rcnn=dict(nms_pre=200, max_per_img=100),
    ),
)
