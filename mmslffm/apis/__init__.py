"""Python entry points behind the tools."""
from .export_backbone import export_backbone

__all__ = ['export_backbone']
