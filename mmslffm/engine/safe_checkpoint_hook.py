"""mmengine's CheckpointHook, deleting outdated checkpoints only once the new one is saved.

mmengine's hook removes the oldest checkpoint (``max_keep_ckpts``) and the previous best
(``save_best``) before writing the new one: a kill in between leaves, with
``max_keep_ckpts=1``, no checkpoint at all. This hook runs the same steps with removals held
back until the save (and ``last_checkpoint``) is done. With
:class:`~mmslffm.engine.SafeCheckpointRunner` the save itself is atomic too.
"""

import contextlib
from typing import Any, Iterator, List, Tuple

from mmengine.hooks import CheckpointHook

from mmslffm.registry import HOOKS


class _DeferredRemovals:
    """A file back end whose ``remove`` / ``rmtree`` wait for :meth:`apply`."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend
        self._pending: List[Tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._backend, name)

    def remove(self, path: str) -> None:
        self._pending.append(('remove', path))

    def rmtree(self, path: str) -> None:
        self._pending.append(('rmtree', path))

    def apply(self, keep: set) -> None:
        """Remove what was asked, except the paths in ``keep`` (just written)."""
        for method, path in self._pending:
            if path not in keep:
                getattr(self._backend, method)(path)


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """CheckpointHook (same arguments) that never deletes before saving."""

    def _save_checkpoint_with_step(
        self, runner, step: int, meta: dict
    ) -> None:
        with self._removals_after_saving():
            super()._save_checkpoint_with_step(runner, step, meta)

    def _save_best_checkpoint(self, runner, metrics: dict) -> None:
        with self._removals_after_saving():
            super()._save_best_checkpoint(runner, metrics)

    @contextlib.contextmanager
    def _removals_after_saving(self) -> Iterator[None]:
        backend = self.file_backend
        deferred = _DeferredRemovals(backend)
        self.file_backend = deferred
        try:
            yield
        finally:
            self.file_backend = backend
        written = {
            self.last_ckpt,
            getattr(self, 'best_ckpt_path', None),
            *getattr(self, 'best_ckpt_path_dict', {}).values(),
        }
        deferred.apply(keep=written)
