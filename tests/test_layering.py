"""Import layering of the ``mmslffm`` package, checked on its source (parsed, never imported).

Layers, bottom up. A package imports only from packages on a lower row (never from its own
row: ``models`` and ``datasets`` stay independent, ``registry`` and ``utils`` import nothing of
ours); imports inside functions count as much as those at the top of a module.

===  ==========================  ===========================================================
row  packages                    what they hold
===  ==========================  ===========================================================
0    registry, utils             registries of scope ``mmslffm``; config and process helpers
1    checkpoint                  reading, checking and converting weights
2    models, datasets            networks; what the runner reads at train/test time
3    visualization               every picture (matplotlib, OpenCV/PIL drawing)
4    evaluation                  metrics and frozen-encoder protocols
5    engine                      hooks, optimizers, the runner
6    apis, dataset_converters    entry points behind ``tools/``; offline release converters
7    testing                     helpers of tests and benchmarks (the library never imports it)
===  ==========================  ===========================================================

``visualization`` sits below ``evaluation`` because the metrics write pictures (confusion
matrix, change maps, DOTA scenes) while the drawing functions need nothing but arrays.
``tools/`` scripts sit above everything. The package root (``mmslffm/__init__.py``, only the
version) imports nothing of ours and may be imported from anywhere.

Also checked: no cycle between packages, drawing libraries only in ``visualization``, and no
side effect at import (no call statement at module level, no stdout redirection, warnings
filter or matplotlib backend switch outside a function, no registration in another library's
registry), and every tool drops the toolkits' OneDL lines before it imports mmslffm.
"""

import ast
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / 'mmslffm'

LAYERS = (
    ('registry', 'utils'),
    ('checkpoint',),
    ('models', 'datasets'),
    ('visualization',),
    ('evaluation',),
    ('engine',),
    ('apis', 'dataset_converters'),
    ('testing',),
)
ROW = {name: row for row, names in enumerate(LAYERS) for name in names}
ROOT = '<root>'  # mmslffm/__init__.py

# Modules whose import means drawing, and the drawing calls of OpenCV.
DRAWING_MODULES = ('matplotlib', 'seaborn', 'PIL.ImageDraw', 'PIL.ImageFont')
CV2_DRAWING = {
    'arrowedLine',
    'circle',
    'drawContours',
    'drawMarker',
    'ellipse',
    'fillConvexPoly',
    'fillPoly',
    'line',
    'polylines',
    'putText',
    'rectangle',
}
# Calls that change process-wide state when made at import.
GLOBAL_STATE_CALLS = {
    'filterwarnings',
    'simplefilter',
    'redirect_stdout',
    'redirect_stderr',
    'use',  # matplotlib.use
}

# (file relative to the repository, line, imported module)
Import = Tuple[str, int, str]


def _module_parts(path: Path) -> List[str]:
    """.../mmslffm/a/b.py -> [mmslffm, a, b]; .../mmslffm/a/__init__.py -> [mmslffm, a]."""
    parts = list(path.with_suffix('').parts)
    parts = parts[len(parts) - 1 - parts[::-1].index('mmslffm') :]
    return parts[:-1] if parts[-1] == '__init__' else parts


def imported_modules(path: Path, tree: ast.AST) -> Iterator[Tuple[int, str]]:
    """(line, absolute module name) of every import anywhere in the file.

    ``from X import Y`` yields ``X.Y`` (Y may be a module); relative imports are resolved
    against the file's package.
    """
    package = _module_parts(path)
    if path.name != '__init__.py':
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = '.'.join(
                    base + ([node.module] if node.module else [])
                )
            else:
                module = node.module
            for alias in node.names:
                yield node.lineno, f'{module}.{alias.name}'


def subpackage(module: str) -> Optional[str]:
    """Our package a module belongs to, ROOT for the package root, None if not ours."""
    parts = module.split('.')
    if parts[0] != 'mmslffm':
        return None
    if len(parts) == 1 or parts[1] in ('__version__', '*'):
        return ROOT
    return parts[1]


def sources(package: Path = PACKAGE) -> Iterator[Tuple[Path, ast.AST]]:
    for path in sorted(package.rglob('*.py')):
        yield path, ast.parse(path.read_text(), str(path))


def owner(path: Path) -> str:
    parts = _module_parts(path)
    return parts[1] if len(parts) > 1 else ROOT


def scan(package: Path = PACKAGE) -> Dict[Tuple[str, str], List[Import]]:
    """{(importing package, imported package): [(file, line, module), ...]} for our imports."""
    edges = defaultdict(list)
    for path, tree in sources(package):
        source = owner(path)
        for line, module in imported_modules(path, tree):
            target = subpackage(module)
            if target is not None and target != source:
                rel = str(path.relative_to(package.parent))
                edges[source, target].append((rel, line, module))
    return edges


def upward_imports(edges) -> List[str]:
    """Imports of a package on the same or a higher row (the package root imports nothing)."""
    problems = []
    for (source, target), sites in sorted(edges.items()):
        if target == ROOT:
            continue
        if source == ROOT or ROW[target] >= ROW[source]:
            problems += [
                f'{file}:{line}: {source} (row {ROW.get(source)}) imports '
                f'{module} (row {ROW[target]})'
                for file, line, module in sites
            ]
    return problems


def find_cycle(edges) -> Optional[List[str]]:
    """One cycle of the package graph, as a list of packages, or None."""
    graph = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    state: Dict[str, int] = {}  # 1 = on the path, 2 = done
    path: List[str] = []

    def visit(node: str) -> Optional[List[str]]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def drawing_outside_visualization(package: Path = PACKAGE) -> List[str]:
    """matplotlib/seaborn/PIL drawing imports and OpenCV drawing calls outside visualization/."""
    problems = []
    for path, tree in sources(package):
        if owner(path) == 'visualization':
            continue
        rel = path.relative_to(package.parent)
        for line, module in imported_modules(path, tree):
            if any(
                module == m or module.startswith(m + '.')
                for m in DRAWING_MODULES
            ):
                problems.append(f'{rel}:{line}: imports {module}')
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == 'cv2'
                and node.attr in CV2_DRAWING
            ):
                problems.append(
                    f'{rel}:{node.lineno}: draws with cv2.{node.attr}'
                )
    return problems


def _import_time_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Nodes run when the module is imported: everything outside function bodies."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            pending += node.decorator_list  # run at import, unlike the body
            continue
        yield node
        pending += list(ast.iter_child_nodes(node))


def import_side_effects(package: Path = PACKAGE) -> List[str]:
    """Call statements at module level and process-wide state changed at import."""
    problems = []
    for path, tree in sources(package):
        rel = path.relative_to(package.parent)
        for node in tree.body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                problems.append(
                    f'{rel}:{node.lineno}: runs {ast.unparse(node.value)} at import'
                )
        for node in _import_time_nodes(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else None
                name = func.id if isinstance(func, ast.Name) else name
                if name in GLOBAL_STATE_CALLS:
                    problems.append(
                        f'{rel}:{node.lineno}: {ast.unparse(func)}() at import'
                    )
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if ast.unparse(target) in ('sys.stdout', 'sys.stderr'):
                        problems.append(
                            f'{rel}:{node.lineno}: replaces {target}'
                        )
    return problems


def test_every_package_has_a_row():
    packages = {
        p.name for p in PACKAGE.iterdir() if (p / '__init__.py').is_file()
    } | {p.stem for p in PACKAGE.glob('*.py') if p.stem != '__init__'}
    assert packages == set(ROW), (
        'give each package of mmslffm/ a row in LAYERS of tests/test_layering.py: '
        f'{sorted(packages ^ set(ROW))}'
    )


def test_no_upward_or_sideways_import():
    problems = upward_imports(scan())
    assert not problems, 'imports against the layers:\n' + '\n'.join(problems)


def test_no_cycle_between_packages():
    cycle = find_cycle(scan())
    assert cycle is None, 'import cycle: ' + ' -> '.join(cycle)


@pytest.mark.parametrize('bottom', ['registry', 'utils'])
def test_bottom_row_imports_nothing_of_ours(bottom):
    sites = [
        site
        for (s, t), found in scan().items()
        if s == bottom
        for site in found
    ]
    assert not sites, f'{bottom} imports packages of ours: {sites}'


def test_library_never_imports_testing():
    sites = [
        site
        for (s, t), found in scan().items()
        if t == 'testing'
        for site in found
    ]
    assert not sites, f'the library imports mmslffm.testing: {sites}'


def test_drawing_only_in_visualization():
    problems = drawing_outside_visualization()
    assert not problems, (
        'drawing outside mmslffm/visualization:\n' + '\n'.join(problems)
    )


def test_no_side_effect_at_import():
    problems = import_side_effects()
    assert not problems, '\n'.join(problems)


def foreign_registrations(package: Path = PACKAGE) -> List[str]:
    """``X.register_module`` where X is not a registry imported from mmslffm.registry."""
    problems = []
    for path, tree in sources(package):
        ours = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
            and node.module == 'mmslffm.registry'
            for alias in node.names
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == 'register_module'
                and not (
                    isinstance(node.value, ast.Name) and node.value.id in ours
                )
            ):
                problems.append(
                    f'{path.relative_to(package.parent)}:{node.lineno}: '
                    f'{ast.unparse(node)}'
                )
    return problems


def test_registers_only_in_our_registries():
    problems = foreign_registrations()
    assert not problems, (
        'registration in a registry not of ours:\n' + '\n'.join(problems)
    )


def test_tools_quiet_the_toolkits_before_importing_mmslffm():
    """The library prints nothing on import; the tools drop the toolkits' OneDL probe lines
    (see :mod:`mmslffm.utils.quiet_imports`) before their first other import of ours."""
    late = []
    for path in sorted((PACKAGE.parent / 'tools').rglob('*.py')):
        tree = ast.parse(path.read_text(), str(path))
        for node in tree.body:
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                if ast.unparse(node.value) == 'import_datasets_quietly()':
                    break
            modules = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(
                m.startswith('mmslffm') and m != 'mmslffm.utils.quiet_imports'
                for m in modules
            ):
                late.append(f'{path.name}:{node.lineno}')
                break
    assert not late, (
        f'imports mmslffm before import_datasets_quietly(): {late}'
    )


def _write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_checks_catch_injected_violations(tmp_path):
    """Each check fails on a small package that breaks its rule."""
    package = tmp_path / 'mmslffm'
    _write(package, '__init__.py', '')
    _write(package, 'registry.py', '')
    _write(package, 'utils/__init__.py', '')
    _write(package, 'engine/__init__.py', 'from mmslffm.apis import run\n')
    _write(
        package,
        'apis/__init__.py',
        'def run():\n    from ..engine import hook\n',
    )
    _write(
        package,
        'utils/cli.py',
        'import matplotlib.pyplot as plt\n'
        'import cv2\n'
        'def draw(image):\n    cv2.putText(image, "x", (0, 0), 0, 1, 0)\n'
        'from mmslffm.registry import MODELS\n',
    )
    _write(
        package,
        'datasets/__init__.py',
        'import warnings\n'
        'from . import loud\n'
        'warnings.simplefilter("ignore")\n'
        'def quiet():\n    warnings.simplefilter("ignore")\n',
    )
    _write(
        package,
        'datasets/loud.py',
        'from mmrotate.registry import DATASETS\n'
        'from mmslffm.models import Net\n'
        'from mmslffm.registry import MODELS\n'
        '@DATASETS.register_module()\nclass A: pass\n'
        '@MODELS.register_module()\nclass B: pass\n',
    )

    edges = scan(package)
    upward = upward_imports(edges)
    assert any('engine (row 5) imports mmslffm.apis.run' in p for p in upward)
    assert any(
        'utils (row 0) imports mmslffm.registry.MODELS' in p for p in upward
    )
    assert any(
        'datasets (row 2) imports mmslffm.models.Net' in p for p in upward
    )
    assert not any(
        'apis' in p.split(':')[0] for p in upward
    )  # apis -> engine is fine
    assert find_cycle(edges) in (
        ['apis', 'engine', 'apis'],
        ['engine', 'apis', 'engine'],
    )
    drawing = drawing_outside_visualization(package)
    assert any('imports matplotlib.pyplot' in p for p in drawing)
    assert any('draws with cv2.putText' in p for p in drawing)
    effects = import_side_effects(package)
    assert len(effects) == 2, (
        effects
    )  # the call statement and the filter it sets
    assert all('datasets/__init__.py:3' in p for p in effects)
    foreign = foreign_registrations(package)
    assert foreign == ['mmslffm/datasets/loud.py:4: DATASETS.register_module']
