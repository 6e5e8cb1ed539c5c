"""Checking ``--cfg-options`` against the config before merging them.

mmengine merges any key: a typo (``model.backbone.arc=...``) becomes an unexpected keyword
argument deep in a build (a TypeError traceback), and an unknown top-level key is silently
ignored. The rule here:

* a key that exists in the config may be overridden (list items by index, ``a.0.b``) by a
  value of its kind: a number or flag not by text, an integer not by a float (where the class
  annotates ``int``), a number not by a list or dict, unless the class that takes it says it
  accepts them (its annotation);
  nothing becomes ``None`` unless the class that takes it accepts ``None`` (its default or
  annotation), so ``model=None`` or ``train_dataloader.dataset=None`` are refused while
  ``model.backbone.init_cfg=None`` is not;
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
import re
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
                _check_value(
                    dotted,
                    node[part],
                    value,
                    _parameter(node, parts[:depth], part, scope),
                )
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


def _check_value(
    dotted: str,
    current: Any,
    value: Any,
    parameter: Optional[inspect.Parameter],
) -> None:
    """``value`` must be of ``current``'s kind (see the module docstring).

    ``parameter``: the argument of the class that takes the key, when known.
    """
    annotation = '' if parameter is None else _annotation(parameter)
    if value is None:
        if current is None or parameter is None or _takes_none(parameter):
            return
        fix = (
            f'set the keys inside it ({dotted}.KEY=VALUE) instead'
            if isinstance(current, dict)
            else 'give a value of that kind'
        )
        raise ConfigError(
            f'--cfg-options {dotted}=None: {dotted} cannot be removed (the '
            f"class that takes it needs a value, like the config's "
            f'{_shown_value(current)}); {fix}'
        )
    if isinstance(value, str) and isinstance(current, (bool, int, float)):
        kind = 'true/false' if isinstance(current, bool) else 'a number'
        raise ConfigError(
            f'--cfg-options {dotted}={value}: expected {kind}, like the '
            f"config's {current!r}"
        )
    if isinstance(current, bool) and not isinstance(value, bool):
        raise ConfigError(
            f'--cfg-options {dotted}={value!r}: expected True or False, like '
            f"the config's {current!r}"
        )
    if (
        isinstance(current, int)
        and not isinstance(current, bool)
        and isinstance(value, float)
        and _names(annotation, 'int')
        and not _annotation_allows(annotation, value)
    ):
        raise ConfigError(
            f'--cfg-options {dotted}={value!r}: expected an integer, like the '
            f"config's {current!r}"
        )
    if (
        isinstance(current, (int, float))
        and isinstance(value, (list, tuple, dict))
        and annotation
        and not _annotation_allows(annotation, value)
    ):
        raise ConfigError(
            f'--cfg-options {dotted}={value!r}: expected one number, like '
            f"the config's {current!r}"
        )
    if (
        isinstance(current, dict)
        and not isinstance(value, dict)
        and not _annotation_allows(annotation, value)
    ):
        raise ConfigError(
            f'--cfg-options {dotted}={value!r}: {dotted} is a dict in the '
            f'config ({_shown_value(current)}); set the keys inside it '
            f'({dotted}.KEY=VALUE) or give a dict'
        )


# Words of a type annotation that admit a value of each kind.
ANNOTATION_WORDS = {
    str: ('str',),
    bool: ('bool',),
    int: ('int',),
    float: ('float',),
    list: ('list', 'List', 'Sequence', 'Iterable'),
    tuple: ('tuple', 'Tuple', 'Sequence', 'Iterable'),
    dict: ('dict', 'Dict', 'Mapping', 'ConfigType'),
}


def _names(annotation: str, *words: str) -> bool:
    """One of ``words`` appears in the annotation as a whole word."""
    return any(re.search(rf'\b{word}\b', annotation) for word in words)


def _annotation_allows(annotation: str, value: Any) -> bool:
    """The annotation names ``value``'s type (or ``Any``)."""
    words = ANNOTATION_WORDS.get(type(value), (type(value).__name__,))
    return _names(annotation, 'Any', *words)


def _shown_value(value: Any, width: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + '...'


def _annotation(parameter: inspect.Parameter) -> str:
    kind = parameter.annotation
    if kind is inspect.Parameter.empty:
        return ''
    return kind if isinstance(kind, str) else repr(kind)


def _takes_none(parameter: inspect.Parameter) -> bool:
    """The argument defaults to None or is annotated Optional / with None."""
    annotation = _annotation(parameter)
    unknown = not annotation and parameter.default is inspect.Parameter.empty
    return (
        parameter.default is None
        or _names(annotation, 'Optional', 'None', 'NoneType')
        or unknown  # unannotated without a default: cannot tell
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


def _builders(
    node: dict, path: List[str], scope: Optional[str]
) -> Optional[List[Any]]:
    """The classes/functions ``node`` is built by (None: unknown, free-form)."""
    if not path:
        return [Runner]
    if 'type' in node:
        kind = node['type']
        return [kind] if callable(kind) else _registered(kind, scope)
    if '.'.join(path) in TYPELESS_DICTS:
        return list(TYPELESS_DICTS['.'.join(path)])
    return None


def _accepted_names(
    node: dict, path: List[str], scope: Optional[str]
) -> Optional[Set[str]]:
    """Argument names the object built from ``node`` takes (None: unknown)."""
    builders = _builders(node, path, scope)
    if builders is None:
        return None
    names: Set[str] = set()
    for builder in builders:
        names |= {p.name for p in _signature_parameters(builder)}
    return names


def _parameter(
    node: dict, path: List[str], name: str, scope: Optional[str]
) -> Optional[inspect.Parameter]:
    """The argument ``name`` of the object built from ``node``, if known."""
    for builder in _builders(node, path, scope) or []:
        for parameter in _signature_parameters(builder):
            if parameter.name == name:
                return parameter
    return None


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


def _signature_parameters(builder: Any) -> List[inspect.Parameter]:
    """Keyword arguments of a function, or of a class's ``__init__`` chain.

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
    found: List[inspect.Parameter] = []
    for function in functions:
        try:
            parameters = inspect.signature(function).parameters.values()
        except (TypeError, ValueError):
            break
        found += [
            p
            for p in parameters
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
            and p.name != 'self'
        ]
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            break
    return found
