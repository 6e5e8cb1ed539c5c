# SLFFM fine-tuning for change detection: ./seg_adamw_160k.py's optimizer, loops and lr scaling
# with a 1k warm-up, then poly to 0 over 20k iterations.
_base_ = ['./seg_adamw_160k.py']
# the same warm-up and poly steps, shorter
param_scheduler = [
    dict(_base_.param_scheduler[0], end=1000),
    dict(_base_.param_scheduler[1], begin=1000, end=20000),
]
train_cfg = dict(max_iters=20000, val_interval=2000)
