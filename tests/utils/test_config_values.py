"""--cfg-options values of the wrong kind or out of range: refused in one line naming them."""

import glob

import pytest
from mmengine.config import Config

from mmslffm.testing import REPO_ROOT as REPO
from mmslffm.utils import ConfigError, load_config
from mmslffm.utils.cfg_options import check_cfg_options

LEVIR_TINY = REPO / 'configs/levir_cd/bit_convnext-test_tiny-demo_levir-cd.py'
PRETRAIN = (
    REPO / 'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
)


@pytest.fixture(scope='module')
def tiny():
    return Config.fromfile(LEVIR_TINY)


@pytest.mark.parametrize(
    'options, expected',
    [
        ({'model': None}, 'model=None: model cannot be removed'),
        (
            {'train_dataloader.dataset': None},
            'train_dataloader.dataset cannot be removed',
        ),
        (
            {'optim_wrapper.optimizer': None},
            'optim_wrapper.optimizer cannot be removed',
        ),
        ({'model.backbone': None}, 'model.backbone cannot be removed'),
        (
            {'train_cfg.val_interval': None},
            'give a value of that kind',
        ),
        ({'train_cfg.max_iters': 2.5}, 'expected an integer'),
        ({'train_cfg.max_iters': [1, 2]}, 'expected one number'),
        ({'train_dataloader.batch_size': 1.5}, 'expected an integer'),
        ({'model': [1]}, 'model is a dict in the config'),
        (
            {'train_dataloader.sampler.shuffle': 1},
            'expected True or False',
        ),
    ],
)
def test_wrong_kinds_are_refused_in_one_line(tiny, options, expected):
    with pytest.raises(ConfigError) as error:
        check_cfg_options(tiny, options)
    message = str(error.value)
    assert message.startswith(f'--cfg-options {next(iter(options))}=')
    assert expected in message and '\n' not in message


@pytest.mark.parametrize(
    'options',
    [
        {'model.backbone.init_cfg': None},  # BaseModule takes None
        {'model.backbone.arch': 'atto'},
        {'optim_wrapper.optimizer.lr': 1},  # an int where a float is
        {'train_dataloader.dataset.ann_file': ''},
        {'val_dataloader': None, 'val_cfg': None, 'val_evaluator': None},
    ],
)
def test_values_of_the_right_kind_pass(tiny, options):
    check_cfg_options(tiny, options)


@pytest.mark.parametrize(
    'option, expected',
    [
        ('train_cfg.val_interval=0', 'expected a positive integer'),
        ('train_cfg.max_iters=0', 'expected a positive integer'),
        ('train_dataloader.batch_size=None', 'expected a positive integer'),
        ('train_dataloader.num_workers=-1', 'expected an integer >= 0'),
        ('optim_wrapper.optimizer.lr=inf', 'a finite number >= 0'),
        ('optim_wrapper.optimizer.lr=-0.1', 'a finite number >= 0'),
        ('default_hooks.logger.interval=0', 'a positive integer'),
        ('default_hooks.checkpoint.interval=0', 'or -1 for no periodic'),
        ('model.backbone.drop_path_rate=1.5', 'a number in [0, 1)'),
    ],
)
def test_out_of_range_values_name_the_option(option, expected):
    from mmengine.config import DictAction

    key, text = option.split('=')
    value = DictAction._parse_iterable(text)
    with pytest.raises(ConfigError) as error:
        load_config(str(LEVIR_TINY), {key: value})
    message = str(error.value)
    assert message.startswith(f'--cfg-options {key}=')
    assert expected in message and '\n' not in message


def test_a_config_file_value_out_of_range_names_the_file(tmp_path):
    config = tmp_path / 'bad_lr.py'
    config.write_text(
        f"_base_ = ['{PRETRAIN}']\n"
        'optim_wrapper = dict(optimizer=dict(lr=float("nan")))\n'
    )
    with pytest.raises(ConfigError) as error:
        load_config(str(config))
    assert str(error.value).startswith(
        f'{config}: optim_wrapper.optimizer.lr=nan: expected a finite'
    )
    config.write_text(f"_base_ = ['{PRETRAIN}']\noptim_wrapper = None\n")
    with pytest.raises(ConfigError) as error:
        load_config(str(config))
    assert str(error.value).startswith(
        f'{config}: optim_wrapper=None: expected a dict'
    )


def test_every_shipped_config_passes():
    configs = [
        path
        for path in glob.glob(str(REPO / 'configs/**/*.py'), recursive=True)
        if '/_base_/' not in path
    ]
    assert len(configs) > 10
    for path in configs:
        load_config(path)
