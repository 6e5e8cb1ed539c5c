"""A short run of a full recipe warms up over a tenth of itself, not 1.5k iterations."""

from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.utils import load_config

POTSDAM = str(
    REPO / 'configs/potsdam/upernet_convnext-b-slffm_160k_potsdam.py'
)
DOTA = str(
    REPO / 'configs/dota/oriented-rcnn-le90_convnext-b-slffm_fpn_1x_dota.py'
)


def test_short_run_gets_a_tenth_as_warm_up():
    cfg = load_config(POTSDAM, {'train_cfg.max_iters': 200})
    warmup, poly = cfg.param_scheduler
    assert (warmup.begin, warmup.end) == (0, 20)
    assert poly.begin == 20


def test_full_run_keeps_the_recipe():
    cfg = load_config(POTSDAM)
    assert cfg.param_scheduler[0].end == 1500
    assert cfg.param_scheduler[1].begin == 1500


def test_epoch_based_schedules_are_left_alone():
    cfg = load_config(DOTA)
    assert cfg.param_scheduler[0].end == 500
