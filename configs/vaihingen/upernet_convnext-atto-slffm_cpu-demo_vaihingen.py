# UperNet on the SLFFM ConvNeXt-atto of `make demo` on converted ISPRS Vaihingen (no tile is
# bundled): the Potsdam CPU demo's schedule with Vaihingen's data; see configs/vaihingen/README.md.
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
