# Test a BIT + SLFFM-B model trained on 256 tiles on the whole 1024 x 1024 LEVIR-CD test images
# (sliding 256 windows on the tiles' grid; data_root: the original release);
# see configs/levir_cd/README.md.
_base_ = ['./bit_convnext-b-slffm_20k_levir-cd.py']
model = dict(
    backbone=dict(init_cfg=None),  # weights come from CKPT
    test_cfg=dict(mode='slide', crop_size=(256, 256), stride=(256, 256)),
)
test_dataloader = dict(dataset=dict(data_root='data/LEVIR-CD'))
