"""Python entry points behind the tools."""
from .export_backbone import export_backbone
from .reconstruction import render_reconstruction

__all__ = ['export_backbone', 'render_reconstruction']
