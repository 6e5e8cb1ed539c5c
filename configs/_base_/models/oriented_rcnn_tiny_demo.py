# The small Oriented R-CNN of the tiny-demo detection configs: the 'test' SparseConvNeXt, random,
# narrow heads, fewer proposals. A second base beside the detection bases, so it defines no key
# they define: the config merges `tiny_demo_detector` into its model.

# the width of the FPN outputs and of the heads (the config sets the FPN's out_channels to it)
feature_channels = 32
# what the tiny-demo configs merge into their model
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
