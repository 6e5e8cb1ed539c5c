# NWPU-RESISC45 (Cheng et al., Proceedings of the IEEE 2017), 45 classes x 700 images in
# data/NWPU-RESISC45/<class>/; the config names the split (configs/scene_cls/README.md).
_base_ = ['./scene_cls.py']
# the head's num_classes in the configs that use this dataset
num_classes = 45
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(
    dataset=dict(data_root='data', data_prefix='NWPU-RESISC45')
)
val_dataloader = dict(
    dataset=dict(data_root='data', data_prefix='NWPU-RESISC45')
)
test_dataloader = val_dataloader
