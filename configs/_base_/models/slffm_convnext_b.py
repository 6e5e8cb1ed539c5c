# SLFFM (Dong et al., IEEE TGRS 2024) with ConvNeXt-B (Liu et al., CVPR 2022): 32-px patches,
# 60% hidden, sparse encoder, densify + light UNet decoder of widths 768..24 (SparK, Tian et
# al., ICLR 2023), ideal low-pass target of radius 40 at 224 (SLFFM; as PixMIM, Liu et al., 2023).
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
        # 3/4 of the deepest width (1024 * 0.75 = 768), halved per up-step: 768 ... 24
        feature_dim=_base_.convnext_slffm.base.channels[3] * 3 // 4,
        upsample_ratio=32,
        mid_channels=0,
        norm_cfg=dict(type='SyncBN'),
        last_act=False,
    ),
    target_generator=dict(
        type='mmslffm.LowFreqFilteredTarget',
        radius=40,
        reference_size=224,
        filter_type='ideal',
        patch_size=32,
    ),  # mean/std: the data preprocessor's
    head=dict(
        type='SparKPretrainHead',
        norm_pix=False,  # the target is normalized per patch already
        patch_size=32,
        loss=dict(type='PixelReconstructionLoss', criterion='L2'),
    ),
)
