# SparK (raw-pixel target) at the scale of
# slffm_convnext-atto_cpu-demo_bundled-tiles.py: a few minutes on CPU.
#   python tools/train.py configs/pretrain/spark_convnext-atto_cpu-demo_bundled-tiles.py
_base_ = ['./slffm_convnext-atto_cpu-demo_bundled-tiles.py']
model = dict(target_generator=dict(radius=None))
