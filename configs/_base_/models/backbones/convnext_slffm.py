# The ConvNeXt archs of mmslffm.SparseConvNeXt (Liu et al., CVPR 2022), one row each: `channels`,
# the four stage widths necks and heads take; `checkpoint`, the extracted SLFFM backbone the
# fine-tuning configs load (tools/extract_backbone.py). One table: a config can inherit it once.

# read by the model bases (the `base` row) and by the configs of other archs
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
