from .cli import (add_runner_arguments, build_runner, exit_on_user_error,
                  parse_runner_arguments)
from .config import load_config

__all__ = [
    'add_runner_arguments', 'build_runner', 'exit_on_user_error',
    'load_config', 'parse_runner_arguments'
]
