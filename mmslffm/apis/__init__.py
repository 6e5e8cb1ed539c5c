"""Python entry points behind the tools."""
from .export_backbone import export_backbone
from .large_scene import infer_large_scene
from .reconstruction import render_reconstruction

__all__ = ['export_backbone', 'infer_large_scene', 'render_reconstruction']
