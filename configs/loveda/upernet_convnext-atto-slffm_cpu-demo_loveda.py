# UperNet on the SLFFM ConvNeXt-atto that `make demo` pretrains, fine-tuned on a CPU in minutes
# on the two bundled LoveDA tiles (demo/data/loveda; trained and scored on the same tiles).
#   python tools/train.py configs/loveda/upernet_convnext-atto-slffm_cpu-demo_loveda.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles/slffm_demo_backbone.pth
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
