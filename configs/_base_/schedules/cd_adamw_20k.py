# SLFFM fine-tuning recipe (Dong et al., IEEE TGRS 2024) on its change-detection schedule:
# AdamW 1e-4, weight decay 0.05, layer-wise lr decay 0.9 over the backbone's stage-wise
# grouping, 1k linear warm-up then poly decay to 0, 20k iterations at a total batch of 8.
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
        type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1000
    ),
    dict(
        type='PolyLR',
        power=1.0,
        eta_min=0.0,
        by_epoch=False,
        begin=1000,
        end=20000,
    ),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=20000, val_interval=2000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
# Set auto_scale_lr.enable=True to rescale the lr linearly when the real total
# batch (GPUs x batch_size) is not 8.
auto_scale_lr = dict(enable=False, base_batch_size=8)
