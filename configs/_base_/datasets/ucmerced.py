# UC Merced Land Use (Yang and Newsam, ACM SIGSPATIAL 2010), 21 classes x 100 images in
# data/UCMerced_LandUse/Images/<class>/; the config names the split (configs/scene_cls/README.md).
_base_ = ['./scene_cls.py']
# the head's num_classes in the configs that use this dataset
num_classes = 21
data_preprocessor = dict(num_classes=num_classes)
train_dataloader = dict(
    dataset=dict(data_root='data', data_prefix='UCMerced_LandUse/Images')
)
val_dataloader = dict(
    dataset=dict(data_root='data', data_prefix='UCMerced_LandUse/Images')
)
test_dataloader = val_dataloader
