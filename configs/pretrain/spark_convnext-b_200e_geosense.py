# SparK baseline (Tian et al., ICLR 2023): slffm_convnext-b_200e_geosense.py with the raw-pixel
# target normalized per patch (no low-pass filter); see configs/pretrain/README.md.
_base_ = ['./slffm_convnext-b_200e_geosense.py']
model = dict(target_generator=dict(radius=None))
