"""Errors the user can fix, shown as one line by :func:`mmslffm.utils.exit_on_user_error`."""


class ConfigError(ValueError):
    """A config file or a ``--cfg-options`` value that cannot be used."""
