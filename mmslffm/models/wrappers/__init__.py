from .cpu_distributed import CPUDistributedDataParallel, CPUSyncBatchNorm

__all__ = ['CPUDistributedDataParallel', 'CPUSyncBatchNorm']
