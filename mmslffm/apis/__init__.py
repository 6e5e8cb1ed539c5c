"""Python entry points behind the tools; their shared command-line options are in :mod:`.cli`.

``infer_large_scene`` is imported on first use: large-scene detection needs mmcv's compiled
rotated ops, and exporting a backbone must work on an mmcv installed without them.
"""

from .export_backbone import export_backbone

__all__ = ['export_backbone', 'infer_large_scene']


def __getattr__(name: str):
    if name == 'infer_large_scene':
        from .large_scene import infer_large_scene

        return infer_large_scene
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
