"""Output files that exist whole or not at all.

A large-scene run writes its GeoTIFF for minutes; a read error mid-scene (or Ctrl-C) would
leave a file that opens fine and holds nodata where the run stopped. Writers here write to a
temporary name in the output's folder (same file system: the rename is atomic), rename it when
complete, and remove it when the block fails.
"""

import os
import os.path as osp
from contextlib import contextmanager
from typing import Iterator

__all__ = ['written_atomically']


@contextmanager
def written_atomically(path: str) -> Iterator[str]:
    """Yield the temporary path to write; it becomes ``path`` when the block ends.

    The temporary name keeps the extension (writers that choose a format by
    it still do): ``<stem>.partial-<pid><ext>`` beside ``path``. If the block
    raises, the temporary file is removed and ``path`` is left untouched.
    """
    folder, name = osp.split(path)
    stem, extension = osp.splitext(name)
    partial = osp.join(folder, f'{stem}.partial-{os.getpid()}{extension}')
    try:
        yield partial
        os.replace(partial, path)
    except BaseException:
        if osp.lexists(partial):
            os.remove(partial)
        raise
