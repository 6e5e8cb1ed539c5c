"""Checking ``--cfg-options`` against the config before merging them.

mmengine merges any key: a typo (``model.backbone.arc=...``) becomes an unexpected keyword
argument deep in a build (a TypeError traceback), and an unknown top-level key is silently
ignored. The rule here:

* a key that exists in the config may be overridden (list items by index, ``a.0.b``);
  a number or flag may not be replaced by text;
* a new key is allowed only as the last part, under a dict whose ``type`` (looked up in the
  OpenMMLab registries) takes an argument of that name, e.g. ``test_evaluator.output_dir``
  or ``model.backbone.init_cfg.checkpoint``; at the top level, the names the runner takes
  (``load_from``, ``resume``, ``randomness``...); in the typeless dicts the runner builds
  (``train_cfg``, ``train_dataloader``, ``randomness``...), what their builder takes;
* in other typeless dicts (free-form settings such as a segmentor's ``test_cfg``) a new
  key cannot be checked: it is allowed with a warning;
* anything else is refused naming the key and the nearest existing ones (difflib).
"""

import difflib
import inspect
import logging
from typing import Any, Dict, Iterable, List, Optional, Set

from mmengine import registry as mmengine_registry
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import Registry
from mmengine.runner import (
    EpochBasedTrainLoop,
    IterBasedTrainLoop,
    Runner,
    TestLoop,
    ValLoop,
)
from torch.utils.data import DataLoader

from .errors import ConfigError

# Dicts without ``type`` that the Runner builds itself, and what takes their keys.
TYPELESS_DICTS = {
    'randomness': (Runner.set_randomness,),
    'train_cfg': (EpochBasedTrainLoop, IterBasedTrainLoop),
    'val_cfg': (ValLoop,),
    'test_cfg': (TestLoop,),
    'train_dataloader': (DataLoader,),
    'val_dataloader': (DataLoader,),
    'test_dataloader': (DataLoader,),
}


def check_cfg_options(cfg: Config, options: Dict[str, Any]) -> None:
    """Raise :class:`ConfigError` for the first option that fits no key of ``cfg``."""
    tree = cfg.to_dict()
    for dotted, value in options.items():
        _check_option(tree, dotted, value, cfg.get('default_scope'))


def _check_option(
    tree: dict, dotted: str, value: Any, scope: Optional[str]
) -> None:
    parts = dotted.split('.')
    node: Any = tree
    for depth, part in enumerate(parts):
        here = '.'.join(parts[:depth]) or 'the top level'
        last = depth == len(parts) - 1
        if isinstance(node, (list, tuple)):
            if not (part.isdigit() and int(part) < len(node)):
                raise ConfigError(
                    f'--cfg-options {dotted}: {here} is a list of '
                    f'{len(node)}; {part!r} is not an index 0..{len(node) - 1}'
                )
            node = node[int(part)]
            continue
        if not isinstance(node, dict):
            raise ConfigError(
                f'--cfg-options {dotted}: {here} is {node!r} in the config, '
                f'not a dict, so it has no {part!r}; set it in a config '
                'that inherits this one'
            )
        if part in node:
            if last:
                _check_value(dotted, node[part], value)
            node = node[part]
            continue
        accepted = _accepted_names(node, parts[:depth], scope)
        if accepted is None and last:
            print_log(
                f'--cfg-options {dotted}: new key in {here}, a '
                'free-form dict: not checked',
                logger='current',
                level=logging.WARNING,
            )
            return
        if accepted is not None and part in accepted:
            if last:
                return
            node = {}  # a new dict argument: check its keys in turn
            continue
        raise ConfigError(
            _unknown_key_message(
                dotted, part, here, node, accepted or set(), last
            )
        )


def _check_value(dotted: str, current: Any, value: Any) -> None:
    """A number or flag stays a number or flag (text there is a typo)."""
    if isinstance(value, str) and isinstance(current, (bool, int, float)):
        kind = 'true/false' if isinstance(current, bool) else 'a number'
        raise ConfigError(
            f'--cfg-options {dotted}={value}: expected {kind}, like the '
            f"config's {current!r}"
        )


def _unknown_key_message(
    dotted: str,
    part: str,
    here: str,
    node: dict,
    accepted: Set[str],
    last: bool,
) -> str:
    candidates = sorted(set(node) | accepted)
    close = difflib.get_close_matches(part, candidates, n=3, cutoff=0.6)
    hint = (
        f'did you mean {", ".join(close)}?'
        if close
        else f'keys there: {", ".join(_shown(node))}'
    )
    owner = (
        f' ({_type_name(node)} takes no such argument)'
        if last and node.get('type')
        else ''
    )
    return f'--cfg-options {dotted}: no key {part!r} in {here}{owner}; {hint}'


def _shown(keys: Iterable[str], count: int = 8) -> List[str]:
    keys = sorted(keys)
    return keys[:count] + (['...'] if len(keys) > count else [])


def _type_name(node: dict) -> str:
    kind = node.get('type')
    return (
        kind if isinstance(kind, str) else getattr(kind, '__name__', str(kind))
    )


def _accepted_names(
    node: dict, path: List[str], scope: Optional[str]
) -> Optional[Set[str]]:
    """Argument names the object built from ``node`` takes (None: unknown)."""
    if not path:
        return _parameters(Runner)
    if 'type' in node:
        kind = node['type']
        builders = [kind] if callable(kind) else _registered(kind, scope)
    elif '.'.join(path) in TYPELESS_DICTS:
        builders = TYPELESS_DICTS['.'.join(path)]
    else:
        return None
    names: Set[str] = set()
    for builder in builders:
        names |= _parameters(builder)
    return names


def _registered(name: str, scope: Optional[str]) -> List[Any]:
    """Whatever any OpenMMLab registry calls ``name`` (in ``scope``, or as written)."""
    keys = [name] if '.' in name or not scope else [f'{scope}.{name}', name]
    found = []
    for root in vars(mmengine_registry).values():
        if not isinstance(root, Registry):
            continue
        for key in keys:
            try:
                builder = root.get(key)
            except (KeyError, ImportError, RuntimeError):
                builder = None
            if builder is not None:
                found.append(builder)
                break
    return found


def _parameters(builder: Any) -> Set[str]:
    """Keyword names of a function, or of a class's ``__init__`` chain.

    A class's ``**kwargs`` pass on to its base classes, so their
    ``__init__`` arguments count too, up to one without ``**kwargs``.
    """
    functions = (
        [builder]
        if not inspect.isclass(builder)
        else [
            klass.__init__
            for klass in builder.__mro__
            if '__init__' in vars(klass)
        ]
    )
    names: Set[str] = set()
    for function in functions:
        try:
            parameters = inspect.signature(function).parameters.values()
        except (TypeError, ValueError):
            break
        names |= {
            p.name
            for p in parameters
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        }
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            break
    names.discard('self')
    return names
