"""Metrics that mmrotate/mmseg lack (change detection)."""
