# UperNet on the SLFFM ConvNeXt-atto that `make demo` pretrains, on ISPRS Vaihingen converted by
# tools/dataset_converters/vaihingen.py (no Vaihingen tile is bundled): the short CPU schedule
# of ../potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py with Vaihingen's IRRG data.
#   python tools/train.py configs/vaihingen/upernet_convnext-atto-slffm_cpu-demo_vaihingen.py \
#       --cfg-options model.backbone.init_cfg.checkpoint=work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles/slffm_demo_backbone.pth
_base_ = ['../potsdam/upernet_convnext-atto-slffm_cpu-demo_potsdam.py']
data_root = 'data/vaihingen'
splits = dict(
    train=dict(img_path='img_dir/train', seg_map_path='ann_dir/train'),
    val=dict(img_path='img_dir/val', seg_map_path='ann_dir/val'),
)
train_dataloader = dict(
    dataset=dict(
        type='ISPRSDataset', data_root=data_root, data_prefix=splits['train']
    )
)
val_dataloader = dict(
    dataset=dict(
        type='ISPRSDataset', data_root=data_root, data_prefix=splits['val']
    )
)
test_dataloader = val_dataloader
