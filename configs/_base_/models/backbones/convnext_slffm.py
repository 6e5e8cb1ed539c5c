# The ConvNeXt archs of mmslffm.SparseConvNeXt (ConvNeXt: Liu et al., CVPR 2022), one row per
# arch: `channels`, the widths of the four stages, which necks and heads take as in_channels;
# `checkpoint`, for the SLFFM-pretrained archs (SLFFM: Dong et al., IEEE TGRS 2024), the
# extracted backbone the fine-tuning configs start from (tools/extract_backbone.py writes it).
# The model bases read the `base` row; a ConvNeXt-L config inherits its ConvNeXt-B config and
# reads the `large` row:
#   backbone_checkpoint = _base_.convnext_slffm.large.checkpoint
#   model = dict(neck=dict(in_channels=_base_.convnext_slffm.large.channels))
# One table rather than a file per arch because mmengine refuses a key that two bases define:
# a ConvNeXt-L config could not inherit both its ConvNeXt-B config and a ConvNeXt-L file.
convnext_slffm = dict(
    base=dict(
        channels=[128, 256, 512, 1024],
        checkpoint='checkpoints/slffm_convnext-b_backbone.pth',
    ),
    large=dict(
        channels=[192, 384, 768, 1536],
        checkpoint='checkpoints/slffm_convnext-l_backbone.pth',
    ),
    # `make demo` pretrains it on CPU (its backbone: work_dirs/slffm_convnext-atto_cpu-demo_
    # bundled-tiles/slffm_demo_backbone.pth); the cpu-demo configs fine-tune it
    atto=dict(channels=[40, 80, 160, 320]),
    # the tiny unit-test arch of the tiny-demo configs, always randomly initialised
    test=dict(channels=[8, 16, 32, 64]),
)
