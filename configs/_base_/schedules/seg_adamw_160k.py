# SLFFM fine-tuning for segmentation: AdamW 1e-4, weight decay 0.05, layer-wise lr decay 0.9 (BEiT,
# Bao et al., ICLR 2022); UperNet's 160k iterations (mmseg): 1.5k warm-up, poly to 0, total batch 8.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05
    ),
    constructor='mmslffm.BackboneLayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.9),
)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500
    ),
    dict(
        type='PolyLR',
        power=1.0,
        eta_min=0.0,
        by_epoch=False,
        begin=1500,
        end=160000,
    ),
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=160000, val_interval=16000
)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# Set auto_scale_lr.enable=True to rescale the lr linearly when the real total
# batch (GPUs x batch_size x accumulative_counts) is not 8.
auto_scale_lr = dict(enable=False, base_batch_size=8)
