# UperNet + auxiliary FCN head on the SLFFM ConvNeXt-B, LoveDA (7 classes, no-data ignored), 160k
# iterations; recipe and commands in configs/loveda/README.md.
_base_ = [
    '../_base_/models/upernet_slffm.py',
    '../_base_/datasets/loveda.py',
    '../_base_/runtimes/seg_mmseg.py',
    '../_base_/schedules/seg_adamw_160k.py',
]
model = dict(
    decode_head=dict(num_classes=7), auxiliary_head=dict(num_classes=7)
)
