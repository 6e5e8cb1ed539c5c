"""The config files under configs/ as source: their ``_base_`` tree and what each one reads.

mmengine's ``Config`` merges and evaluates, which hides what the config tests ask: how deep a
config inherits, which file assigned a top-level key and whether any config reads it. These
helpers answer from the Python source (``ast``) of the files; a ``{{_base_.x}}`` substitution
parses as a set display, so it reads as an ``_base_.x`` attribute like the plain form.
"""

import ast
from pathlib import Path

from .tools import REPO_ROOT

CONFIG_ROOT = REPO_ROOT / 'configs'


def config_files(root: Path = CONFIG_ROOT) -> list[Path]:
    """Every config file, bases included, sorted."""
    return sorted(path.resolve() for path in root.rglob('*.py'))


def leaf_configs(root: Path = CONFIG_ROOT) -> list[Path]:
    """The configs users run (those outside ``_base_`` folders)."""
    return [path for path in config_files(root) if '_base_' not in path.parts]


class ConfigSources:
    """Parsed config files (each parsed once), asked about inheritance and reads."""

    def __init__(self) -> None:
        self._trees: dict[Path, ast.Module] = {}

    def tree(self, path: Path) -> ast.Module:
        if path not in self._trees:
            self._trees[path] = ast.parse(path.read_text(), filename=str(path))
        return self._trees[path]

    def base_files(self, path: Path) -> list[Path]:
        """The files ``path``'s ``_base_`` names (a string or a list), resolved."""
        for node in self.tree(path).body:
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == '_base_'
                for target in node.targets
            ):
                bases = ast.literal_eval(node.value)
                bases = [bases] if isinstance(bases, str) else bases
                return [(path.parent / base).resolve() for base in bases]
        return []

    def ancestors(self, path: Path) -> set[Path]:
        """Every file ``path`` inherits, directly or through its bases."""
        found = set()
        for base in self.base_files(path):
            found |= {base} | self.ancestors(base)
        return found

    def depth(self, path: Path) -> int:
        """Levels of ``_base_`` above ``path``: 0 without bases, 1 when its bases have none."""
        return max(
            (1 + self.depth(base) for base in self.base_files(path)), default=0
        )

    def assigned_keys(self, path: Path) -> dict[str, int]:
        """Top-level names the file assigns (config keys), with their line numbers."""
        keys = {}
        for node in self.tree(path).body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id != '_base_':
                        keys.setdefault(target.id, node.lineno)
        return keys

    def names_read(self, path: Path) -> set[str]:
        """Names the file itself reads (e.g. its own keys used in other values)."""
        return {
            node.id
            for node in ast.walk(self.tree(path))
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
        }

    def base_keys_read(self, path: Path) -> set[str]:
        """Keys the file reads from its bases: ``_base_.key`` or ``{{_base_.key}}``."""
        return {
            node.attr
            for node in ast.walk(self.tree(path))
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == '_base_'
        }

    def unread_assignments(
        self,
        leaf: Path,
        keys: set[str],
        read_by_code: set[str],
        readers: list[Path],
    ) -> dict[str, Path]:
        """The keys of ``keys`` whose value, assigned by ``leaf`` or one of its bases, is
        read neither by code (``read_by_code``) nor by any config.

        A file's assignment is read when that file uses the name, or when a
        config of ``readers`` that inherits the file reads ``_base_.key``; an override that
        nothing reads is dead even when the base value it replaces was read. Returns
        {key: the file whose assignment nothing reads}.
        """
        unread = {}
        for key in sorted(keys - read_by_code):
            for source in [leaf, *sorted(self.ancestors(leaf))]:
                if key not in self.assigned_keys(source):
                    continue
                read_below = any(
                    source in self.ancestors(reader)
                    and key in self.base_keys_read(reader)
                    for reader in readers
                )
                if key not in self.names_read(source) and not read_below:
                    unread[key] = source
        return unread


def header(path: Path) -> list[str]:
    """The comment lines a config starts with."""
    lines = []
    for line in path.read_text().splitlines():
        if not line.startswith('#'):
            break
        lines.append(line)
    return lines
