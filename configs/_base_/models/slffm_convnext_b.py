# SLFFM (Dong et al., IEEE TGRS 2024), ConvNeXt-B: 60% of 32-px patches hidden, sparse encoder,
# SparK's densify + light UNet decoder (Tian et al., ICLR 2023; 768 wide for every ConvNeXt, as the
# SLFFM release), ideal low-pass target of radius 40 at 224 (as PixMIM). configs/pretrain/README.md
_base_ = ['./backbones/convnext_slffm.py']
model = dict(
    type='mmslffm.SLFFM',
    mask_ratio=0.6,
    patch_size=32,
    backbone=dict(
        type='mmslffm.SparseConvNeXt',
        arch='base',
        out_indices=(),  # pretraining uses the 4 raw stage maps, no out norms
        drop_path_rate=0.3,
        layer_scale_init_value=1e-6,
        # 'gather' skips masked work, 'masked_dense' is the reference (oracle)
        sparse_backend='auto',
    ),
    neck=dict(
        type='SparKLightDecoder',
        # fixed, not derived from the encoder: 768 for ConvNeXt-B and -L alike (the SLFFM
        # release's light decoder width), halved per up-step: 768 ... 24
        feature_dim=768,
        upsample_ratio=32,
        mid_channels=0,
        norm_cfg=dict(type='SyncBN'),
        last_act=False,
    ),
    target_generator=dict(
        type='mmslffm.LowFreqFilteredTarget',
        radius=40,
        reference_size=224,
        filter_type='ideal',  # 'ideal_official': the release's circle (README)
        patch_size=32,
    ),  # mean/std: the data preprocessor's
    head=dict(
        type='SparKPretrainHead',
        norm_pix=False,  # the target is normalized per patch already
        patch_size=32,
        loss=dict(type='PixelReconstructionLoss', criterion='L2'),
    ),
)
