"""Import mmrotate without its "Could not import OneDL" line on stdout.

mmrotate 1.2 probes an optional OneDL dataset when ``mmrotate.datasets`` is imported and
reports the (expected) failure with ``print_log(..., level=DEBUG)`` but no logger, which
mmengine turns into a plain ``print`` on every detection command. Importing the module once
here, with that one line filtered from stdout, leaves it cached for every later import
(mmengine's registry locations included); anything else it prints goes through.
"""
import contextlib
import importlib
import importlib.util
import io
import sys

ONEDL_PROBE_LINE = 'Could not import OneDL'


def import_mmrotate_quietly() -> None:
    """Import ``mmrotate.datasets`` once, dropping only the OneDL probe line."""
    if ('mmrotate.datasets' in sys.modules
            or importlib.util.find_spec('mmrotate') is None):
        return
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured):
        importlib.import_module('mmrotate.datasets')
    for line in captured.getvalue().splitlines(keepends=True):
        if line.strip() != ONEDL_PROBE_LINE:
            sys.stdout.write(line)
