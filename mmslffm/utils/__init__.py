from .cli import exit_on_user_error
from .config import load_config

__all__ = ['exit_on_user_error', 'load_config']
