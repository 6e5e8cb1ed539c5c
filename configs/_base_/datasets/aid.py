# AID (Xia et al., IEEE TGRS 2017), 30 classes, 10,000 images in data/AID/<class>/; the config
# names the split (configs/scene_cls/README.md).
_base_ = ['./scene_cls.py']
# the head's num_classes in the configs that use this dataset
num_classes = 30
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(dataset=dict(data_root='data', data_prefix='AID'))
val_dataloader = dict(dataset=dict(data_root='data', data_prefix='AID'))
test_dataloader = val_dataloader
