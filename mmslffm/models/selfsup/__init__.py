from .densify import SparseDensify
from .low_freq_target import LowFreqFilteredTarget
from .slffm import SLFFM

__all__ = ['LowFreqFilteredTarget', 'SLFFM', 'SparseDensify']
