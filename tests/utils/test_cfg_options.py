"""--cfg-options: typos refused with suggestions, keys the built class takes allowed."""

import copy

import pytest
from mmengine.config import Config

from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.utils import ConfigError, load_config
from mmslffm.utils.cfg_options import check_cfg_options

LEVIR_TINY = REPO / 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
LEVIR_B = REPO / 'configs/levir_cd/bit_convnext-b-slffm_20k_levir-cd.py'


@pytest.fixture(scope='module')
def tiny():
    return Config.fromfile(LEVIR_TINY)


@pytest.mark.parametrize(
    'options',
    [
        {'train_cfg.max_iters': 3},  # existing
        {'model.decode_head.in_channels': 16},
        {'test_evaluator.output_dir': '/tmp/maps'},  # new, the metric takes it
        {'load_from': 'x.pth', 'resume': True},  # the runner takes them
        {'randomness.deterministic': True},  # Runner.set_randomness
        {'train_cfg.val_begin': 2},  # IterBasedTrainLoop
        {'model.test_cfg.crop_size': [256, 256]},  # free-form: warned only
        {'custom_hooks': []},
    ],
)
def test_allowed(tiny, options):
    check_cfg_options(tiny, options)


def test_new_init_cfg_key_where_init_cfg_exists():
    cfg = Config.fromfile(LEVIR_B)
    check_cfg_options(
        cfg,
        {
            'model.backbone.init_cfg.checkpoint': 'b.pth',
            'model.backbone.init_cfg.prefix': 'backbone.',
        },
    )
    with pytest.raises(ConfigError, match='did you mean checkpoint'):
        check_cfg_options(cfg, {'model.backbone.init_cfg.chekpoint': 'b'})


@pytest.mark.parametrize(
    'options, expected',
    [
        (
            {'model.backbone.arc': 'test'},
            "--cfg-options model.backbone.arc: no key 'arc' in model.backbone "
            '(mmslffm.SparseConvNeXt takes no such argument); did you mean arch?',
        ),
        (
            {'lod_from': 'x.pth'},
            "--cfg-options lod_from: no key 'lod_from' in the top level; did you "
            'mean load_from?',
        ),
        ({'test_evaluator.output_dri': 'maps'}, 'did you mean output_dir?'),
        ({'train_cfg.max_iters': 'abc'}, 'expected a number'),
        ({'model.backbone.out_indices.7': 1}, 'is not an index'),
        ({'model.neck_typo.x': 1}, "no key 'neck_typo' in model"),
    ],
)
def test_refused_in_one_line(tiny, options, expected):
    with pytest.raises(ConfigError) as error:
        check_cfg_options(tiny, options)
    assert expected in str(error.value) and '\n' not in str(error.value)


def test_a_key_under_none_is_refused_in_one_line(tiny):
    cfg = copy.deepcopy(tiny)
    cfg.model.backbone.init_cfg = None
    with pytest.raises(ConfigError) as error:
        check_cfg_options(cfg, {'model.backbone.init_cfg.checkpoint': 'b.pth'})
    message = str(error.value)
    assert (
        'model.backbone.init_cfg is None in the config, not a dict' in message
    )
    assert '\n' not in message


def test_load_config_reports_a_broken_config(tmp_path):
    broken = tmp_path / 'broken.py'
    broken.write_text("_base_ = ['missing_base.py']\n")
    with pytest.raises(ConfigError, match=f'{broken}: .*fix the config'):
        load_config(str(broken))
    broken.write_text('model = dict(type=\n')
    with pytest.raises(ConfigError, match='SyntaxError'):
        load_config(str(broken))
