"""MkDocs hook: serve the repository files the docs link to, at their paths.

The per-task READMEs (``configs/<task>/README.md``), ``CHANGELOG.md`` and
``CONTRIBUTING.md`` stay where GitHub shows them, the one source of what they
say. MkDocs only reads ``docs/``, and its plugins for outside files would be
one more dependency, so this hook (MkDocs' own ``hooks:`` feature) adds them to
the site under their repository paths, with the configs, tools and benchmark
results they link to. Links are written relative to the file that holds them,
as GitHub resolves them; links that leave ``docs/`` are rewritten to the
mounted copies, and a link to a file that does not exist fails the strict
build like any other broken link.
"""

import glob
import os
import posixpath
import re

from mkdocs.structure.files import File, Files

# Repository files served on the site, as globs relative to the repository.
MOUNTED = (
    'CHANGELOG.md',
    'CONTRIBUTING.md',
    'LICENSE',
    'NOTICE',
    'CITATION.cff',
    'demo/data/PROVENANCE.md',
    'configs/**/*.md',
    'configs/**/*.py',
    'tools/**/*.py',
    'tools/**/*.sh',
    'benchmarks/*.py',
    'benchmarks/results/*',
    'tests/data/official/**/*',
)
# An inline Markdown link or image target: ](target) or ](target "title").
LINK = re.compile(r'(\]\()([^)\s]+)((?:\s+"[^"]*")?\))')
FENCE = re.compile(r'^(```|~~~).*?^\1', re.MULTILINE | re.DOTALL)


def _repo_root(config) -> str:
    return os.path.dirname(os.path.abspath(config['config_file_path']))


def on_files(files: Files, config) -> Files:
    """Add the repository files of :data:`MOUNTED` at their own paths."""
    root = _repo_root(config)
    for pattern in MOUNTED:
        for path in sorted(glob.glob(pattern, root_dir=root, recursive=True)):
            if '__pycache__' in path or not os.path.isfile(
                os.path.join(root, path)
            ):
                continue
            files.append(
                File(
                    path,
                    src_dir=root,
                    dest_dir=config['site_dir'],
                    use_directory_urls=config['use_directory_urls'],
                )
            )
    return files


def _rewrite(target: str, page_repo_path: str, page_uri: str) -> str:
    """The link ``target`` of a page, re-aimed from repository to site paths.

    ``page_repo_path`` is the page's path in the repository (``docs/x.md`` or
    a mounted ``configs/dota/README.md``), ``page_uri`` its path on the site.
    """
    if re.match(r'^[a-z][a-z0-9+.-]*:|^[#/]', target):
        return target  # a URL, an anchor or an absolute path
    path, _, anchor = target.partition('#')
    repo_path = posixpath.normpath(
        posixpath.join(posixpath.dirname(page_repo_path), path)
    )
    if repo_path.startswith('docs/'):
        site_path = repo_path[len('docs/') :]
    else:
        site_path = repo_path  # mounted at its repository path
    new = posixpath.relpath(site_path, posixpath.dirname(page_uri) or '.')
    return new + ('#' + anchor if anchor else '')


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Re-aim the page's relative links (outside fenced code) at the site."""
    docs_dir = os.path.abspath(config['docs_dir'])
    in_docs = os.path.abspath(page.file.abs_src_path).startswith(
        docs_dir + os.sep
    )
    uri = page.file.src_uri
    repo_path = 'docs/' + uri if in_docs else uri

    def fix(match: re.Match) -> str:
        target = _rewrite(match.group(2), repo_path, uri)
        return match.group(1) + target + match.group(3)

    out, start = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(LINK.sub(fix, markdown[start : fence.start()]))
        out.append(fence.group(0))
        start = fence.end()
    out.append(LINK.sub(fix, markdown[start:]))
    return ''.join(out)
