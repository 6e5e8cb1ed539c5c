# Oriented R-CNN on the SLFFM ConvNeXt-atto that `make demo` pretrains, fine-tuned on a CPU in
# minutes on the two bundled DOTA scenes cut into 256 patches (trained and scored on the same
# patches: a check that the pipeline learns, not a benchmark).
#   python tools/dataset_converters/dota_split.py --img-dir demo/data/dota/images \
#       --ann-dir demo/data/dota/labelTxt --out-dir work_dirs/demo_dota_split \
#       --patch-size 256 --gap 64 --keep-empty
#   python tools/train.py configs/dota/oriented-rcnn-le90_convnext-atto-slffm_fpn_cpu-demo_dota.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles/slffm_demo_backbone.pth
# Without the option the backbone starts from random weights (logged).
_base_ = ['./oriented-rcnn-le90_convnext-test_fpn_tiny-demo_dota.py']
max_iters = 200
warmup_iters = max_iters // 10  # short runs warm up over a tenth of the run

model = dict(
    backbone=dict(
        arch='atto', init_cfg=dict(type='Pretrained', checkpoint=None)
    ),
    neck=dict(in_channels=_base_.convnext_slffm.atto.channels),
)
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=False,
        begin=0,
        end=warmup_iters,
    ),
    dict(
        type='CosineAnnealingLR',
        eta_min=0.0,
        by_epoch=False,
        begin=warmup_iters,
        end=max_iters,
        T_max=max_iters - warmup_iters,
    ),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=max_iters // 2, max_keep_ckpts=2),
    visualization=dict(draw=False),
)
