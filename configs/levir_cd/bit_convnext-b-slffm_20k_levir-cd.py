# BIT + SLFFM ConvNeXt-B on LEVIR-CD 256 x 256 tiles, batch 8, 20k iterations; data, commands and
# the two F-score conventions in configs/levir_cd/README.md.
_base_ = [
    '../_base_/models/bit_slffm.py',
    '../_base_/datasets/levir_cd.py',
    '../_base_/schedules/cd_adamw_20k.py',
    '../_base_/runtimes/cd_mmseg.py',
]
