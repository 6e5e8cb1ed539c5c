# SLFFM pretraining schedule (SparK's recipe, Tian et al., ICLR 2023): LAMB, lr 2e-4 per 256 images
# (auto-scaled), betas (0.9, 0.95), weight decay cosine 0.04 -> 0.2 (none on norms, biases, gammas,
# mask tokens), 5 warm-up epochs then cosine, 200 epochs; configs/pretrain/README.md.
max_epochs = 200
warmup_epochs = 5

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='mmslffm.FusedLamb',
        lr=2e-4 * 1024 / 256,
        betas=(0.9, 0.95),
        weight_decay=0.04,
    ),
    # mmengine's default constructor, one summary log line instead of one per parameter
    constructor='mmslffm.ParamwiseSummaryOptimWrapperConstructor',
    paramwise_cfg=dict(
        bias_decay_mult=0.0,
        flat_decay_mult=0.0,  # norms and layer-scale gammas (1-D)
        custom_keys={'mask_tokens': dict(decay_mult=0.0)},
    ),
)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-4,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True,
    ),
    dict(
        type='CosineAnnealingLR',
        T_max=max_epochs - warmup_epochs,
        eta_min=0.0,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True,
    ),
    dict(
        type='CosineAnnealingWeightDecay',
        eta_min=0.2,
        T_max=max_epochs,
        by_epoch=True,
        begin=0,
        end=max_epochs,
        convert_to_iter_based=True,
    ),
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
# lr above is for a global batch of 1024; mmengine rescales it to the real one
auto_scale_lr = dict(base_batch_size=1024, enable=True)
