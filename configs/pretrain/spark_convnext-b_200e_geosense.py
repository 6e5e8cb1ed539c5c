# SparK baseline (Tian et al., ICLR 2023) on the same data, loader, encoder, decoder and recipe
# as slffm_convnext-b_200e_geosense.py; the only change is the target: raw pixels normalized per patch
# (no low-pass filter). Compare the two with tools/eval_representation.py.
#   tools/dist_train.sh configs/pretrain/spark_convnext-b_200e_geosense.py 8
_base_ = ['./slffm_convnext-b_200e_geosense.py']
model = dict(target_generator=dict(radius=None))
