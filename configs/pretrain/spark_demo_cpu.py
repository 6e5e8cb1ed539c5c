# SparK (raw-pixel target) at the scale of slffm_demo_cpu.py: a few minutes on CPU.
#   python tools/train.py configs/pretrain/spark_demo_cpu.py
_base_ = ['./slffm_demo_cpu.py']
model = dict(target_generator=dict(radius=None))
