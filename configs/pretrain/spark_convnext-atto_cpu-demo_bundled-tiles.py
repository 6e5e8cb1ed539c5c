# SparK (raw-pixel target) at the scale of slffm_convnext-atto_cpu-demo_bundled-tiles.py: a few
# minutes on a CPU; see configs/pretrain/README.md.
_base_ = ['./slffm_convnext-atto_cpu-demo_bundled-tiles.py']
model = dict(target_generator=dict(radius=None))
