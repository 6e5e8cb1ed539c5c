from .cli import (
    add_checkpoint_arguments,
    add_debug_argument,
    add_runner_arguments,
    build_runner,
    exit_on_user_error,
    parse_runner_arguments,
)
from .config import load_config
from .errors import ConfigError

__all__ = [
    'ConfigError',
    'add_checkpoint_arguments',
    'add_debug_argument',
    'add_runner_arguments',
    'build_runner',
    'exit_on_user_error',
    'load_config',
    'parse_runner_arguments',
]
