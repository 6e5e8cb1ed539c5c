# UC Merced, 80% train: fine-tune the ViT-B/16 encoder of an MAE run
# (configs/pretrain/mae_vit-b_200e_geosense.py) with mmpretrain's VisionTransformer, MAE's fine-tuning
# recipe (layer-wise lr decay 0.65, drop path 0.1, mean of the patch tokens then LayerNorm).
# The pretraining checkpoint loads directly (its encoder sits under `backbone.`):
#   python tools/train.py configs/scene_cls/cls_vit-b-mae_100e_ucm-tr80.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/mae_vit-b_200e_geosense/epoch_200.pth
_base_ = ['./cls_convnext-b-slffm_100e_ucm-tr80.py']
# A whole MAE pretraining checkpoint (encoder and decoder; the encoder is taken from under
# `backbone.`), not an extracted backbone like the ConvNeXt configs' `backbone_checkpoint`.
mae_checkpoint = 'checkpoints/mae_vit-b_200e_geosense.pth'
# the ConvNeXt-B default inherited above: not loaded here
backbone_checkpoint = None
model = dict(
    backbone=dict(
        _delete_=True,
        type='VisionTransformer',
        arch='b',
        img_size=224,
        patch_size=16,
        drop_path_rate=0.1,
        out_type='avg_featmap',
        final_norm=False,
        init_cfg=dict(
            type='Pretrained', checkpoint=mae_checkpoint, prefix='backbone.'
        ),
    ),
    neck=None,
    head=dict(in_channels=768),
)
optim_wrapper = dict(
    paramwise_cfg=dict(
        layer_decay_rate=0.65,
        custom_keys={
            '.cls_token': dict(decay_mult=0.0),
            '.pos_embed': dict(decay_mult=0.0),
        },
    )
)
