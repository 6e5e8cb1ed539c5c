"""Config loading shared by the tools: clear errors, OpenMMLab work-dir defaults."""
import os.path as osp
from typing import Optional

from mmengine.config import Config
from mmengine.logging import print_log

from .quiet_imports import import_datasets_quietly
from .warmup import cap_warmup


def load_config(path: str,
                cfg_options: Optional[dict] = None,
                work_dir: Optional[str] = None) -> Config:
    """Read ``path``, merge ``--cfg-options``, settle ``work_dir``, and keep a
    linear warm-up within a tenth of a short run (:func:`cap_warmup`).

    work_dir: the argument, else the config's own, else
    ``./work_dirs/<config name>`` as every OpenMMLab tool does.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'config not found: {path} (configs live under configs/, e.g. '
            'configs/pretrain/slffm_convnext_b.py)')
    cfg = Config.fromfile(path)
    import_datasets_quietly()
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    change = cap_warmup(cfg)
    if change:
        print_log(change, logger='current')
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(path))[0])
    return cfg
