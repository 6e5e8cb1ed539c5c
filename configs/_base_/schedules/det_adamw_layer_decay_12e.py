# SLFFM fine-tuning for detection: AdamW 1e-4, weight decay 0.05, layer-wise lr decay 0.9 (BEiT, Bao
# et al., ICLR 2022); Oriented R-CNN's 1x schedule: 12 epochs, 500-iteration warm-up, steps 8, 11.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=12, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500
    ),
    dict(
        type='MultiStepLR',
        begin=0,
        end=12,
        by_epoch=True,
        milestones=[8, 11],
        gamma=0.1,
    ),
]

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05
    ),
    constructor='mmslffm.BackboneLayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        layer_decay_rate=0.9, norm_decay_mult=0.0, bias_decay_mult=0.0
    ),
    clip_grad=dict(max_norm=35, norm_type=2),
)
