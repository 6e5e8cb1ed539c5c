"""Every repository path and relative link the docs and READMEs give exists.

Scans README.md, CONTRIBUTING.md, docs/**/*.md and configs/*/README.md for paths under
tools/, configs/, benchmarks/, mmslffm/, tests/ and demo/ (in prose and in commands) and for
relative Markdown links. Paths with placeholders (``<task>``, ``*``, ``{b,l}``, ``$VAR``) are
patterns, not files, and are skipped. The strict docs build checks the site's links too; this
test also covers the READMEs GitHub shows and the command lines inside code blocks.
"""

import re
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

REPO = Path(__file__).resolve().parents[1]
PREFIXES = ('tools', 'configs', 'benchmarks', 'mmslffm', 'tests', 'demo')
# A repository path: one of PREFIXES at the start of a word (not inside another path such as
# <site-packages>/mmseg/.mim/tools/...), then path characters.
PATH = re.compile(
    r'(?<![\w./-])((?:' + '|'.join(PREFIXES) + r')/[\w./<>{}*$,-]*)'
)
PLACEHOLDER = re.compile(r'[<>{}*$]')
LINK = re.compile(r'\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
FENCE = re.compile(r'^(```|~~~).*?^\1', re.MULTILINE | re.DOTALL)


def documents() -> List[Path]:
    files = [REPO / 'README.md', REPO / 'CONTRIBUTING.md']
    files += sorted((REPO / 'docs').rglob('*.md'))
    files += sorted((REPO / 'configs').glob('*/README.md'))
    return [f for f in files if f.is_file()]


def named_paths(text: str) -> Iterator[str]:
    """Repository paths named in ``text``, placeholders left out."""
    for match in PATH.finditer(text):
        path = match.group(1).rstrip('.,')
        if not PLACEHOLDER.search(path):
            yield path


def relative_links(text: str) -> Iterator[str]:
    """Targets of the Markdown links outside fenced code, minus URLs."""
    prose = FENCE.sub('', text)
    for match in LINK.finditer(prose):
        target = match.group(1).split('#')[0]
        if target and not re.match(r'^[a-z][a-z0-9+.-]*:|^/', target):
            yield target


def missing(document: Path, text: str) -> List[Tuple[str, str]]:
    """(kind, path) of each path or link in ``text`` that does not exist."""
    absent = [
        ('path', path)
        for path in named_paths(text)
        if not (REPO / path).exists()
    ]
    absent += [
        ('link', link)
        for link in relative_links(text)
        if not (document.parent / link).exists()
    ]
    return absent


def test_the_documents_are_found():
    names = {str(d.relative_to(REPO)) for d in documents()}
    assert {'README.md', 'docs/index.md', 'configs/dota/README.md'} <= names


@pytest.mark.parametrize(
    'document', documents(), ids=lambda d: str(d.relative_to(REPO))
)
def test_named_paths_and_links_exist(document):
    absent = missing(document, document.read_text(encoding='utf-8'))
    assert not absent, (
        f'{document.relative_to(REPO)} names what does not exist: {absent}'
    )


def test_a_wrong_path_or_link_is_reported():
    text = (
        'Run `$PY tools/trian.py configs/dota/none.py`, see '
        '[the guide](docs/nowhere.md) and tools/train.py.\n'
        '```bash\n$PY tools/missing_tool.py [x](not-a-link.md)\n```\n'
    )
    assert missing(REPO / 'README.md', text) == [
        ('path', 'tools/trian.py'),
        ('path', 'configs/dota/none.py'),
        ('path', 'tools/missing_tool.py'),
        ('link', 'docs/nowhere.md'),
    ]


def test_placeholders_and_foreign_paths_are_skipped():
    text = (
        'configs/<task>/README.md, configs/x/cls_{b,l}.py, tools/*.py, '
        '$PY <site-packages>/mmseg/.mim/tools/dataset_converters/loveda.py, '
        '[site](https://example.org/tools/x.py) and [anchor](#here).'
    )
    assert missing(REPO / 'README.md', text) == []
