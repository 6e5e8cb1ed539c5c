"""Python entry points behind the tools."""
from .export_backbone import export_backbone

__all__ = ['export_backbone']
from .large_scene import infer_large_scene

__all__ += ['infer_large_scene']
