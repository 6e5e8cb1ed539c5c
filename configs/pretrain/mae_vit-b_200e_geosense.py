# MAE baseline (He et al., CVPR 2022), ViT-B/16 through mmpretrain, on SLFFM's GeoSense loader and
# crops: 75% of 16-px patches hidden, normalized pixel target, AdamW, SLFFM's 200 epochs; see
# configs/pretrain/README.md.
_base_ = [
    '../_base_/datasets/geosense.py',
    '../_base_/schedules/slffm_lamb_200e.py',
    '../_base_/runtimes/pretrain_mmpretrain.py',
]
model = dict(
    type='MAE',
    backbone=dict(type='MAEViT', arch='b', patch_size=16, mask_ratio=0.75),
    neck=dict(
        type='MAEPretrainDecoder',
        patch_size=16,
        in_chans=3,
        embed_dim=768,
        decoder_embed_dim=512,
        decoder_depth=8,
        decoder_num_heads=16,
        mlp_ratio=4.0,
    ),
    head=dict(
        type='MAEPretrainHead',
        norm_pix=True,
        patch_size=16,
        loss=dict(type='PixelReconstructionLoss', criterion='L2'),
    ),
    init_cfg=[
        dict(type='Xavier', layer='Linear', distribution='uniform'),
        dict(type='Constant', layer='LayerNorm', val=1.0, bias=0.0),
    ],
)

# SLFFM's schedule (../_base_/schedules/slffm_lamb_200e.py: 200 epochs, lr per 1024 images
# auto-scaled, linear warm-up then cosine to 0) with MAE's optimizer, 10 warm-up epochs and a
# constant weight decay
warmup_epochs = 10
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW',
        lr=1.5e-4 * 1024 / 256,
        betas=(0.9, 0.95),
        weight_decay=0.05,
    ),
    paramwise_cfg=dict(
        custom_keys={
            'ln': dict(decay_mult=0.0),
            'bias': dict(decay_mult=0.0),
            'pos_embed': dict(decay_mult=0.0),
            'mask_token': dict(decay_mult=0.0),
            'cls_token': dict(decay_mult=0.0),
        }
    ),
)
# its lr warm-up and cosine steps (not its weight-decay one), moved to the longer warm-up
param_scheduler = [
    dict(_base_.param_scheduler[0], end=warmup_epochs),
    dict(
        _base_.param_scheduler[1],
        T_max=_base_.max_epochs - warmup_epochs,
        begin=warmup_epochs,
    ),
]
custom_hooks = [dict(type='mmslffm.RandomStateHook')]
