"""Metrics that mmrotate/mmseg lack (change detection)."""
from .change_detection import *  # noqa: F401,F403
