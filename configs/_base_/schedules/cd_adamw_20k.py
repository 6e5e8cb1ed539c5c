# SLFFM fine-tuning recipe (Dong et al., IEEE TGRS 2024) on its change-detection schedule: the
# optimizer, loops and lr scaling of ./seg_adamw_160k.py (AdamW 1e-4, weight decay 0.05,
# layer-wise lr decay 0.9 over the backbone's stage-wise grouping, a total batch of 8) with a
# 1k linear warm-up then poly decay to 0 over 20k iterations.
_base_ = ['./seg_adamw_160k.py']
# the same warm-up and poly steps, shorter
param_scheduler = [
    dict(_base_.param_scheduler[0], end=1000),
    dict(_base_.param_scheduler[1], begin=1000, end=20000),
]
train_cfg = dict(max_iters=20000, val_interval=2000)
