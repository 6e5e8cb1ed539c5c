"""Types and ranges of the config values the tools and mmslffm's classes read, checked once
after ``--cfg-options`` are merged.

mmengine builds what it is given: ``train_cfg.val_interval=0`` dies in a modulo at the first
validation, ``batch_size=None`` makes the dataloader yield single samples the collate step
rejects, ``optimizer.lr=inf`` trains to NaN. Each rule below names a value, what it must be
and why; the first value that breaks one is refused in one line naming it and where it came
from (the option, or the config file).
"""

import math
from fnmatch import fnmatchcase
from typing import Any, Callable, Dict, Iterator, Optional, Tuple

from mmengine.config import Config

from .errors import ConfigError

__all__ = ['check_config_values', 'VALUE_RULES']


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def positive_integer(value: Any) -> bool:
    return _integer(value) and value >= 1


def count(value: Any) -> bool:
    return _integer(value) and value >= 0


def non_negative(value: Any) -> bool:
    return _number(value) and value >= 0


def probability(value: Any) -> bool:
    return _number(value) and 0 <= value < 1


def optional_bytes(value: Any) -> bool:
    return value is None or positive_integer(value)


def period(value: Any) -> bool:
    """A hook interval: every N >= 1, or -1 (never)."""
    return _integer(value) and (value >= 1 or value == -1)


# (key pattern, fnmatch over dotted keys with list indexes, predicate, what it must be)
VALUE_RULES: Tuple[Tuple[str, Callable[[Any], bool], str], ...] = (
    ('train_cfg.max_iters', positive_integer, 'a positive integer'),
    ('train_cfg.max_epochs', positive_integer, 'a positive integer'),
    (
        'train_cfg.val_interval',
        positive_integer,
        'a positive integer (validate every N iterations or epochs; '
        'tools/train.py --no-validate skips validation)',
    ),
    ('train_cfg.val_begin', count, 'an integer >= 0'),
    ('*_dataloader.batch_size', positive_integer, 'a positive integer'),
    ('*_dataloader.num_workers', count, 'an integer >= 0'),
    (
        'optim_wrapper.optimizer.lr',
        non_negative,
        'a finite number >= 0 (the learning rate)',
    ),
    ('optim_wrapper.optimizer.weight_decay', non_negative, 'a number >= 0'),
    ('optim_wrapper.accumulative_counts', positive_integer, 'an integer >= 1'),
    ('default_hooks.logger.interval', positive_integer, 'a positive integer'),
    (
        'default_hooks.checkpoint.interval',
        period,
        'a positive integer, or -1 for no periodic checkpoint',
    ),
    ('model.backbone.drop_path_rate', probability, 'a number in [0, 1)'),
    ('model.mask_ratio', probability, 'a number in [0, 1)'),
    ('*.max_image_bytes', optional_bytes, 'a positive integer or None'),
    ('*pipeline.*.min_size', positive_integer, 'a positive integer'),
    ('*_dataloader.dataset.sources.*.weight', non_negative, 'a number >= 0'),
)

# What a training config (one with a ``train_cfg``) cannot do without.
TRAINING_PARTS = ('train_dataloader', 'optim_wrapper')


def check_config_values(
    cfg: Config, source: str, options: Optional[Dict[str, Any]] = None
) -> None:
    """Raise :class:`ConfigError` for the first value that breaks a rule.

    Args:
        cfg: the config with the options merged.
        source: the config file, named when no option set the value.
        options: the ``--cfg-options`` that were merged.
    """
    tree = cfg.to_dict()
    if not isinstance(tree.get('model'), dict) or not tree['model'].get(
        'type'
    ):
        raise ConfigError(
            f'{_origin("model", tree.get("model"), source, options)} '
            'expected a dict with a type (the model to build)'
        )
    if isinstance(tree.get('train_cfg'), dict):
        for part in TRAINING_PARTS:
            if not isinstance(tree.get(part), dict):
                raise ConfigError(
                    f'{_origin(part, tree.get(part), source, options)} '
                    'expected a dict: a config with a train_cfg needs it to '
                    'train'
                )
    for key, value in _flatten(tree):
        for pattern, valid, expected in VALUE_RULES:
            if fnmatchcase(key, pattern) and not valid(value):
                raise ConfigError(
                    f'{_origin(key, value, source, options)} expected '
                    f'{expected}'
                )


def _origin(
    key: str, value: Any, source: str, options: Optional[Dict[str, Any]]
) -> str:
    """``--cfg-options KEY=VALUE:`` when an option set ``key`` (or a dict
    above it: that option, then ``key``), else ``SOURCE: KEY=VALUE:``."""
    for option, given in (options or {}).items():
        if key == option:
            return f'--cfg-options {key}={_shown(value)}:'
        if key.startswith(option + '.'):
            return (
                f'--cfg-options {option}={_shown(given)}: '
                f'{key}={_shown(value)}:'
            )
    return f'{source}: {key}={_shown(value)}:'


def _shown(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + '...'


def _flatten(node: Any, prefix: str = '') -> Iterator[Tuple[str, Any]]:
    """(dotted key, value) of every leaf and inner node, lists by index."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, (list, tuple))
        else ()
    )
    for key, value in items:
        dotted = f'{prefix}{key}'
        yield dotted, value
        yield from _flatten(value, dotted + '.')
