"""Config loading shared by the tools: one-line errors, checked overrides, work-dir defaults."""

import os.path as osp
from typing import Optional

from mmengine.config import Config
from mmengine.logging import print_log

from .cfg_options import check_cfg_options
from .config_values import check_config_values
from .errors import ConfigError
from .quiet_imports import import_datasets_quietly
from .warmup import cap_warmup


def load_config(
    path: str,
    cfg_options: Optional[dict] = None,
    work_dir: Optional[str] = None,
) -> Config:
    """Read ``path``, check and merge ``--cfg-options``, check the values the
    tools read (:func:`check_config_values`), settle ``work_dir``,
    and keep a linear warm-up within a tenth of a short run (:func:`cap_warmup`).

    work_dir: the argument, else the config's own, else
    ``./work_dirs/<config name>`` as every OpenMMLab tool does.

    Raises:
        FileNotFoundError: no such config.
        ConfigError: the config does not run (syntax error, a name it does
            not define, a missing ``_base_``...), an option fits no key, or a
            value is of the wrong type or out of range.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'config not found: {path} (configs live under configs/, e.g. '
            'configs/pretrain/slffm_convnext-b_200e_geosense.py)'
        )
    try:
        cfg = Config.fromfile(path)
    except Exception as err:  # a config is user code: any failure is theirs
        message = ' '.join(str(err).split())
        raise ConfigError(
            f'{path}: {type(err).__name__}: {message} (fix the config file)'
        ) from err
    import_datasets_quietly()
    if cfg_options:
        check_cfg_options(cfg, cfg_options)
        cfg.merge_from_dict(cfg_options)
    check_config_values(cfg, path, cfg_options)
    change = cap_warmup(cfg)
    if change:
        print_log(change, logger='current')
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join(
            './work_dirs', osp.splitext(osp.basename(path))[0]
        )
    return cfg
