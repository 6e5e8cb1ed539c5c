"""Why a checkpoint file cannot be used; shown as one line by the tools."""


class CheckpointError(RuntimeError):
    """A checkpoint file cannot be used: unreadable, unsafe or of another model."""


class UnsafeCheckpointError(CheckpointError):
    """Unpickling the checkpoint would call code outside the allow-list."""
