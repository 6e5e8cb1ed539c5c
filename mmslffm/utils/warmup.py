"""Keep a linear warm-up within a tenth of a short run.

The full recipes warm up over 500-1500 iterations; a run shortened with
``--cfg-options train_cfg.max_iters=N`` would spend most of itself at almost zero learning
rate. mmengine's schedulers take fixed ``begin``/``end`` iterations, computed when the config
is read, so the config cannot follow ``max_iters`` by itself; this moves the warm-up's end
(and the next scheduler's begin) to ``max_iters // 10`` when it lies beyond it.
"""

from typing import Optional

from mmengine.config import Config

__all__ = ['cap_warmup']

WARMUP_FRACTION = 10  # warm-up at most a tenth of the run


def cap_warmup(cfg: Config) -> Optional[str]:
    """Shorten an iteration-based ``LinearLR`` warm-up past ``max_iters // 10``.

    Returns:
        A line saying what changed, or None when nothing did.
    """
    max_iters = (cfg.get('train_cfg') or {}).get('max_iters')
    schedulers = cfg.get('param_scheduler')
    if not max_iters or not isinstance(schedulers, list) or not schedulers:
        return None
    warmup = schedulers[0]
    cap = max(1, max_iters // WARMUP_FRACTION)
    if (
        warmup.get('type') != 'LinearLR'
        or warmup.get('by_epoch', True)
        or warmup.get('begin', 0) != 0
        or warmup.get('end', 0) <= cap
    ):
        return None
    old_end = warmup['end']
    warmup['end'] = cap
    for scheduler in schedulers[1:]:
        if scheduler.get('begin') == old_end:
            scheduler['begin'] = cap
    return (
        f'warm-up shortened from {old_end} to {cap} iterations, a tenth '
        f'of train_cfg.max_iters={max_iters}'
    )
