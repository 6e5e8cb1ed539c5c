# UperNet on the SLFFM ConvNeXt-atto of `make demo`, fine-tuned in minutes on a CPU on the two
# bundled LoveDA tiles (the Potsdam CPU demo's schedule); see configs/loveda/README.md.
_base_ = ['../potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py']
data_root = 'demo/data/loveda'
num_classes = 7
model = dict(
    decode_head=dict(num_classes=num_classes),
    auxiliary_head=dict(num_classes=num_classes),
)
train_dataloader = dict(
    dataset=dict(type='LoveDADataset', data_root=data_root)
)
val_dataloader = dict(dataset=dict(type='LoveDADataset', data_root=data_root))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='mmslffm.SegmentationMetric')
test_evaluator = val_evaluator
