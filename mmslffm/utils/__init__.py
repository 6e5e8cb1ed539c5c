"""Helpers below every other package of mmslffm: config loading and checks, CPU process
groups, the error type of bad options. The command-line helpers of the tools, which build
runners, are in :mod:`mmslffm.apis.cli`."""

from .config import load_config
from .errors import ConfigError

__all__ = ['ConfigError', 'load_config']
