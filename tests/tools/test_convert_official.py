"""tools/convert_official.py on files the official SLFFM release's own code wrote.

The fixtures (tests/data/official/checkpoints, README there) are the two files the release's
``main.py`` saves every epoch, for a tiny ConvNeXt, and the release's decoder output for one
image and mask. Conversions run in this process, as ``python tools/convert_official.py``
would (exit code and stderr included), and so does continued pretraining through tools/train.py.
"""

import json
import re
import shutil

import pytest
import torch
from mmengine.registry import init_default_scope

from mmslffm.checkpoint import load_checkpoint_file, load_model_weights
from mmslffm.checkpoint.official import convert_release_pretraining
from mmslffm.registry import MODELS
from mmslffm.testing import DEMO_DATA, REPO_ROOT
from mmslffm.testing.in_process import run_in_process
from mmslffm.utils import load_config
from tests.checkpoint.payloads import ShellPayload

FIXTURES = REPO_ROOT / 'tests/data/official/checkpoints'
WITH_DECODER = (
    FIXTURES / 'convnext_test_withdecoder_1kpretrained_pcfm_style.pth'
)
ENCODER_ONLY = FIXTURES / 'convnext_test_1kpretrained_timm_style.pth'
TOOL = 'tools/convert_official.py'
PRETRAIN_BASE = (
    'configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py'
)

# the fixture's model: ConvNeXt dims 4..24, one block per stage, decoder width 32, 64 px
TINY_CONFIG = """
_base_ = ['{base}']
train_pipeline = [
    dict(type='mmslffm.LoadRemoteSensingImage'),
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.67, 1.0),
         interpolation='bicubic', backend='cv2'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=2, num_workers=0,
    dataset=dict(data_root='{data}', index_dir='{index}',
                 pipeline=train_pipeline))
model = dict(
    backbone=dict(arch=dict(_delete_=True, depths=[1, 1, 1, 1],
                            channels=[4, 8, 16, 24])),
    neck=dict(feature_dim=32))
train_cfg = dict(max_iters=2)
default_hooks = dict(logger=dict(interval=1),
                     checkpoint=dict(interval=2, max_keep_ckpts=1))
custom_hooks = [dict(type='mmslffm.RandomStateHook')]
log_processor = dict(window_size=1)
"""


@pytest.fixture(scope='module')
def tiny_config(tmp_path_factory):
    root = tmp_path_factory.mktemp('release')
    tiles = root / 'tiles'
    tiles.mkdir()
    for tile in sorted((DEMO_DATA / 'pretrain_unlabeled').glob('*.jpg'))[:4]:
        shutil.copy(tile, tiles)
    config = root / 'slffm_release_tiny.py'
    config.write_text(
        TINY_CONFIG.format(
            base=REPO_ROOT / PRETRAIN_BASE, data=tiles, index=root / 'index'
        )
    )
    return config


def _build(config, cfg_options=None):
    cfg = load_config(str(config), cfg_options)
    init_default_scope(cfg.get('default_scope'))
    model_cfg = cfg.model.copy()
    model_cfg.setdefault('data_preprocessor', cfg.get('data_preprocessor'))
    return MODELS.build(model_cfg)


def _convert(monkeypatch, *args):
    return run_in_process([TOOL, *map(str, args)], monkeypatch)


def _fates(stdout):
    """{source: target} of the 'A -> B' lines, and the dropped sources."""
    converted, dropped = {}, []
    for line in stdout.splitlines():
        if ' -> ' in line:
            source, target = line.split(' -> ')
            converted[source] = target
        elif ': dropped, ' in line:
            dropped.append(line.split(': dropped, ')[0])
    return converted, dropped


def _release_entry(checkpoint, source):
    """The tensor a printed source name ('module.x.y') denotes."""
    return checkpoint['module'][source[len('module.') :]]


def _assert_bitwise(release, converted, fates):
    for source, target in fates.items():
        ours, theirs = converted[target], _release_entry(release, source)
        assert ours.dtype == theirs.dtype and torch.equal(ours, theirs), target


def _refusal(run, *named):
    assert run.returncode == 2, run.stdout[-2000:] + run.stderr[-2000:]
    assert 'Traceback' not in run.stderr
    line = run.stderr.strip().splitlines()[-1]
    assert line.startswith('convert_official.py: error: '), line
    for text in named:
        assert text in line, line
    return line


@pytest.mark.parametrize('source', [WITH_DECODER, ENCODER_ONLY])
def test_every_release_file_converts_to_the_same_backbone(
    source, tmp_path, monkeypatch
):
    run = _convert(monkeypatch, source, tmp_path / 'backbone.pth')
    assert run.returncode == 0, run.stderr[-3000:]
    release = load_checkpoint_file(str(source))
    converted, dropped = _fates(run.stdout)
    backbone = load_checkpoint_file(str(tmp_path / 'backbone.pth'))
    _assert_bitwise(release, backbone['state_dict'], converted)
    # every entry and key has its fate
    module = {f'module.{key}' for key in release['module']}
    entries = {key for key in release if key != 'module'}
    assert set(converted) | set(dropped) == module | entries
    assert len(converted) == 52
    if source == WITH_DECODER:
        assert 'module.config' in dropped and 'optimizer' in dropped
        assert 'module.dense_decoder.proj.weight' in dropped


def test_both_release_files_give_one_backbone(tmp_path, monkeypatch):
    backbones = []
    for index, source in enumerate([WITH_DECODER, ENCODER_ONLY]):
        out = tmp_path / f'backbone{index}.pth'
        assert _convert(monkeypatch, source, out).returncode == 0
        backbones.append(load_checkpoint_file(str(out))['state_dict'])
    assert list(backbones[0]) == list(backbones[1])
    for key, value in backbones[0].items():
        assert torch.equal(value, backbones[1][key]), key


@pytest.fixture(scope='module')
def full_conversion(tiny_config, tmp_path_factory):
    out = tmp_path_factory.mktemp('full') / 'slffm_release.pth'
    with pytest.MonkeyPatch.context() as monkeypatch:
        run = _convert(monkeypatch, WITH_DECODER, out, '--config', tiny_config)
    assert run.returncode == 0, run.stderr[-3000:]
    return out, run


def test_full_conversion_keeps_every_tensor_bitwise(full_conversion):
    out, run = full_conversion
    release = load_checkpoint_file(str(WITH_DECODER))
    converted, dropped = _fates(run.stdout)
    state_dict = load_checkpoint_file(str(out))['state_dict']
    assert sorted(converted.values()) == sorted(state_dict)
    _assert_bitwise(release, state_dict, converted)
    assert sorted(dropped) == sorted(
        [
            'args',
            'arch',
            'epoch',
            'input_size',
            'is_pretrain',
            'optimizer',
            'performance_desc',
            'module.config',
            'module.imn_m',
            'module.imn_s',
            'module.norm_black',
        ]
    )
    assert run.stdout.strip().splitlines()[-1] == (
        f'SLFFM pretraining model written to {out} (144 keys converted, 11 '
        'entries dropped)'
    )


def test_full_conversion_reconstructs_as_the_release(
    full_conversion, tiny_config
):
    """Every key loads (strictly), and the model decodes what the release did."""
    model = _build(tiny_config)
    report = load_model_weights(
        model, load_checkpoint_file(str(full_conversion[0])), 'converted'
    )
    assert len(report.matched) == len(model.state_dict()) == 144
    golden = load_checkpoint_file(str(FIXTURES / 'reconstruction.pth'))
    model.eval()
    with torch.no_grad():
        ours = model.reconstruct(golden['image'], golden['active'])
    expected = golden['reconstruction']
    torch.testing.assert_close(
        ours, expected, rtol=0, atol=1e-5 * expected.abs().max().item()
    )


def test_continued_pretraining_from_the_release(
    full_conversion, tiny_config, tmp_path, monkeypatch
):
    out = full_conversion[0]
    run = run_in_process(
        [
            'tools/train.py',
            str(tiny_config),
            '--work-dir',
            str(tmp_path),
            '--cfg-options',
            f'load_from={out}',
        ],
        monkeypatch,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    log = next(tmp_path.glob('*/*.log')).read_text()
    assert f'{out}: 144 of 144 model keys loaded, 0 missing' in log
    losses = re.findall(r'Iter\(train\) \[(\d)/2\].* loss: ([\d.]+)', log)
    assert [it for it, _ in losses] == ['1', '2'], log[-3000:]
    before = load_checkpoint_file(str(out))['state_dict']
    after = load_checkpoint_file(str(tmp_path / 'iter_2.pth'))['state_dict']
    # the release counted 2 batches in its decoder's batch norms: 2 more now
    tracked = 'neck.decoder.0.conv_blocks.0.norm1.num_batches_tracked'
    assert before[tracked] == 2 and after[tracked] == 4
    for key in ('backbone.downsample_layers.0.0.weight', 'neck.proj.weight'):
        change = (after[key] - before[key]).norm() / before[key].norm()
        assert 0 < change < 0.05, (key, change)


def _hostile_copy(path, edit):
    checkpoint = load_checkpoint_file(str(WITH_DECODER))
    edit(checkpoint)
    torch.save(checkpoint, path)
    return path


def _extra_key(checkpoint):
    checkpoint['module']['dense_decoder.dec.9.up_sample.weight'] = torch.ones(
        2, 2, 4, 4
    )


def _foreign_key(checkpoint):
    checkpoint['module']['head.fc.weight'] = torch.ones(10, 24)


def _missing_key(checkpoint):
    del checkpoint['module']['mask_tokens.2']


def _wrong_shape(checkpoint):
    checkpoint['module']['densify_projs.0.weight'] = torch.ones(32, 40, 1, 1)


def _extra_entry(checkpoint):
    checkpoint['scaler'] = {'scale': 1.0}


def _text_as_epoch(checkpoint):
    checkpoint['epoch'] = '199'


def _text_as_weight(checkpoint):
    checkpoint['module']['note'] = 'not a tensor'


@pytest.mark.parametrize(
    'edit, named',
    [
        (
            _extra_key,
            '1 keys it cannot place (e.g. dense_decoder.dec.9.up_sample.weight)',
        ),
        (_missing_key, '1 model keys it lacks (e.g. densify.mask_tokens.2)'),
        (
            _wrong_shape,
            '1 of another shape (e.g. densify.projections.0.weight '
            '(32, 40, 1, 1) vs (32, 24, 1, 1))',
        ),
        (_extra_entry, "entry 'scaler' is not one the SLFFM release writes"),
        (
            _text_as_epoch,
            "'epoch' is of type str where the SLFFM release writes int",
        ),
        (_text_as_weight, 'module.note is a str, not a tensor'),
    ],
)
def test_full_conversion_refuses_what_it_cannot_account_for(
    edit, named, tiny_config, tmp_path, monkeypatch
):
    source = _hostile_copy(tmp_path / 'edited.pth', edit)
    run = _convert(
        monkeypatch, source, tmp_path / 'out.pth', '--config', tiny_config
    )
    _refusal(run, str(source), named)
    assert not (tmp_path / 'out.pth').exists()


def test_backbone_conversion_refuses_an_unknown_key(tmp_path, monkeypatch):
    source = _hostile_copy(tmp_path / 'edited.pth', _foreign_key)
    run = _convert(monkeypatch, source, tmp_path / 'out.pth')
    _refusal(run, '1 keys the SLFFM release does not write (e.g. module.head')
    assert not (tmp_path / 'out.pth').exists()


def test_full_conversion_needs_the_with_decoder_file(
    tiny_config, tmp_path, monkeypatch
):
    run = _convert(
        monkeypatch,
        ENCODER_ONLY,
        tmp_path / 'out.pth',
        '--config',
        tiny_config,
    )
    _refusal(run, 'holds the encoder only', 'drop --config')


@pytest.mark.parametrize('full', [False, True])
def test_a_pickle_payload_is_refused_and_never_runs(
    full, tiny_config, tmp_path, monkeypatch
):
    marker = tmp_path / 'marker'

    def payload_as_args(checkpoint):
        checkpoint['args'] = ShellPayload(marker)

    source = _hostile_copy(tmp_path / 'evil.pth', payload_as_args)
    config = ['--config', tiny_config] if full else []
    run = _convert(monkeypatch, source, tmp_path / 'out.pth', *config)
    _refusal(run, 'UnsafeCheckpointError', 'refused')
    assert not marker.exists()
    assert not (tmp_path / 'out.pth').exists()


@pytest.mark.parametrize(
    'arch, config',
    [
        (
            'convnext_base',
            'configs/pretrain/slffm_convnext-b_200e_geosense.py',
        ),
        (
            'convnext_large',
            'configs/pretrain/slffm_convnext-l_200e_geosense.py',
        ),
    ],
)
def test_release_b_and_l_layouts_fill_our_models(arch, config):
    """Key for key and shape for shape, the release's ConvNeXt-B/-L with-decoder
    ``module`` (decoder width 768 for both) fills our pretraining model."""
    layouts = json.loads(
        (FIXTURES / 'withdecoder_layouts_b_l.json').read_text()
    )
    weights = {
        key: torch.empty(shape, device='meta')
        for key, shape in layouts[arch].items()
        if key != 'config'
    }
    assert layouts[arch]['config']['dense_decoder.width'] == 768
    # our configs as they are: the decoder starts at 768 for ConvNeXt-L too
    model = _build(REPO_ROOT / config)
    converted, fates = convert_release_pretraining(
        weights, model.state_dict(), arch
    )
    assert len(converted) == len(model.state_dict()) == 432
    assert (
        sum(fate.reason is not None for fate in fates) == 3
    )  # unused buffers
