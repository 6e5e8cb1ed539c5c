# Test a BIT + SLFFM-B model trained on 256 tiles on the whole 1024x1024 LEVIR-CD test images:
# sliding 256 windows (stride 256: the tiles' grid; use a smaller stride for overlap).
#   python tools/test.py configs/levir_cd/bit_convnext-b-slffm_20k_levir-cd-slide1024.py CKPT \
#       --cfg-options test_dataloader.dataset.data_root=data/LEVIR-CD
# data_root: the original LEVIR-CD release, test/{A,B,label}/test_*.png.
_base_ = ['./bit_convnext-b-slffm_20k_levir-cd.py']
model = dict(
    backbone=dict(init_cfg=None),  # weights come from CKPT
    test_cfg=dict(mode='slide', crop_size=(256, 256), stride=(256, 256)),
)
test_dataloader = dict(dataset=dict(data_root='data/LEVIR-CD'))
