# UperNet + auxiliary FCN head on the SLFFM ConvNeXt-B, ISPRS Vaihingen (IRRG, 6 classes, clutter
# excluded from the metrics), 160k iterations; data, recipe, commands: configs/vaihingen/README.md.
_base_ = [
    '../_base_/models/upernet_slffm.py',
    '../_base_/datasets/vaihingen.py',
    '../_base_/runtimes/seg_mmseg.py',
    '../_base_/schedules/seg_adamw_160k.py',
]
model = dict(
    decode_head=dict(num_classes=6), auxiliary_head=dict(num_classes=6)
)
