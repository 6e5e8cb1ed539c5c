_base_ = ['/work/wt/trust-ckpt/configs/levir_cd/bit_slffm_demo_tiny.py']
model = dict(backbone=dict(init_cfg=dict(_delete_=True, type='Pretrained', checkpoint='x')))
