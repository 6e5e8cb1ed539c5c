"""Helpers shared by the test suite and the benchmarks (not used by the library itself)."""

from .rasters import write_geotiff
from .tiny_models import (
    as_cfg_options,
    backbone_widths,
    tiny_model_overrides,
    width_dependent_settings,
)
from .tools import DEMO_DATA, REPO_ROOT, run_tool, tool_output

__all__ = [
    'DEMO_DATA',
    'REPO_ROOT',
    'as_cfg_options',
    'backbone_widths',
    'run_tool',
    'tiny_model_overrides',
    'tool_output',
    'width_dependent_settings',
    'write_geotiff',
]
