import pytest
import torch
from mmpretrain.models import ConvNeXt

from mmslffm.models.backbones import SPARSE_BACKENDS, SparseConvNeXt
from mmslffm.models.utils import ActiveSites, random_active_mask


def _random_state(model: torch.nn.Module, seed: int = 0) -> dict:
    """Every weight random, so that equivalence tests compare real numbers."""
    gen = torch.Generator().manual_seed(seed)
    return {
        k: torch.randn(v.shape, generator=gen) * 0.2
        for k, v in model.state_dict().items()
    }


@pytest.mark.parametrize('arch, size', [('tiny', 64), ('base', 32)])
def test_dense_forward_matches_mmpretrain_both_ways(arch, size):
    ours = SparseConvNeXt(arch=arch)
    theirs = ConvNeXt(
        arch=arch, out_indices=(0, 1, 2, 3), gap_before_final_norm=False
    )
    ours.eval(), theirs.eval()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    x = torch.randn(1, 3, size, size)

    ours.load_state_dict(_random_state(theirs, seed=1))
    theirs.load_state_dict(ours.state_dict())
    with torch.no_grad():
        for a, b in zip(ours(x), theirs(x)):
            torch.testing.assert_close(a, b, atol=1e-5, rtol=0)

    theirs.load_state_dict(_random_state(theirs, seed=2))
    ours.load_state_dict(theirs.state_dict())
    with torch.no_grad():
        for a, b in zip(ours(x), theirs(x)):
            torch.testing.assert_close(a, b, atol=1e-5, rtol=0)


@pytest.mark.parametrize('arch, millions', [('base', 87.56), ('large', 196.2)])
def test_parameter_counts_match_convnext(arch, millions):
    # Backbone only (no output norms), as SLFFM pretrains it: ConvNeXt's
    # 89 M / 198 M (Liu et al., CVPR 2022) without the 1000-class head.
    model = SparseConvNeXt(arch=arch, out_indices=())
    count = sum(p.numel() for p in model.parameters()) / 1e6
    # to the precision of 87.56 M and 196.2 M
    assert round(count, 2 if arch == 'base' else 1) == millions


def test_dense_output_shapes_and_out_indices():
    model = SparseConvNeXt(arch='test', out_indices=(1, 3))
    outs = model(torch.randn(2, 3, 64, 96))
    assert [tuple(o.shape) for o in outs] == [(2, 16, 8, 12), (2, 64, 2, 3)]


def _test_inputs(seed=0):
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(3, 3, 96, 128, generator=gen)
    active = torch.zeros(3, 1, 3, 4, dtype=torch.bool)
    active[0, 0, 1, 2] = True  # a single active patch
    active[1] = True  # all active
    active[2] = random_active_mask(1, (3, 4), 0.6, generator=gen)[0]
    return x, active


@pytest.mark.parametrize('backend', SPARSE_BACKENDS)
def test_sparse_path_is_submanifold(backend):
    torch.manual_seed(0)
    model = SparseConvNeXt(arch='test', sparse_backend=backend).eval()
    model.load_state_dict(_random_state(model))
    x, active = _test_inputs()
    with torch.no_grad():
        maps = model(x, active)
        # change every pixel inside masked patches
        hidden = ~active.repeat_interleave(32, 2).repeat_interleave(32, 3)
        noisy = torch.where(hidden, torch.randn_like(x) * 5, x)
        maps_noisy = model(noisy, active)
    assert len(maps) == 4
    for stage, (clean, moved) in enumerate(zip(maps, maps_noisy)):
        size = clean.shape[-2:]
        factor = size[0] // active.shape[-2]
        mask = (
            active.repeat_interleave(factor, 2)
            .repeat_interleave(factor, 3)
            .expand_as(clean)
        )
        assert clean[~mask].abs().max() == 0, f'stage {stage} leaks'
        assert clean[mask].abs().sum() > 0
        torch.testing.assert_close(clean, moved, atol=0, rtol=0)


def test_all_active_sparse_equals_dense_stages():
    model = SparseConvNeXt(arch='test', out_indices=()).eval()
    model.load_state_dict(_random_state(model))
    x = torch.randn(2, 3, 64, 64)
    active = torch.ones(2, 1, 2, 2, dtype=torch.bool)
    with torch.no_grad():
        sparse = model(x, active)
        dense = x
        for i, stage in enumerate(model.stages):
            dense = stage(model.downsample_layers[i](dense))
            torch.testing.assert_close(sparse[i], dense, atol=1e-5, rtol=0)


@pytest.mark.parametrize('arch', ['test', 'tiny', 'base'])
def test_gather_backend_matches_masked_dense(arch):
    """Outputs on active positions and weight gradients agree across backends."""
    reference = SparseConvNeXt(
        arch=arch, sparse_backend='masked_dense', out_indices=()
    )
    weights = _random_state(reference) if arch == 'test' else None
    if weights is not None:
        reference.load_state_dict(weights)
    gather = SparseConvNeXt(arch=arch, sparse_backend='gather', out_indices=())
    gather.load_state_dict(reference.state_dict())
    x, active = _test_inputs(seed=3)
    if arch == 'base':
        x, active = x[:, :, :64, :64], active[:, :, :2, :2].clone()
        active[0] = False
        active[0, 0, 0, 1] = True
    results = []
    for model in (reference, gather):
        model.zero_grad()
        maps = model(x, active)
        loss = sum(
            (m * torch.linspace(-1, 1, m.numel()).view_as(m)).sum()
            for m in maps
        )
        loss.backward()
        grads = {
            n: p.grad.clone()
            for n, p in model.named_parameters()
            if p.grad is not None
        }
        results.append(([m.detach() for m in maps], grads))
    (maps_a, grads_a), (maps_b, grads_b) = results
    for a, b in zip(maps_a, maps_b):
        torch.testing.assert_close(a, b, atol=1e-4, rtol=1e-4)
    assert grads_a.keys() == grads_b.keys()
    for name in grads_a:
        torch.testing.assert_close(
            grads_a[name], grads_b[name], atol=1e-4, rtol=1e-3, msg=name
        )


def test_gather_backend_under_cpu_autocast():
    """Mixed precision (``tools/train.py --amp``): the gather backend runs, in
    masked_dense's dtypes, and its bfloat16 gradients are about as far from
    the float32 ones as masked_dense's (both are several % off on sums with
    cancellation, e.g. the stem's LayerNorm bias)."""
    x, active = _test_inputs(seed=3)

    def maps_and_grads(backend: str, autocast: bool):
        model = SparseConvNeXt(
            arch='test', sparse_backend=backend, out_indices=()
        )
        model.load_state_dict(_random_state(model))
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=autocast):
            maps = model(x, active)
        sum(
            (m.float() * torch.linspace(-1, 1, m.numel()).view_as(m)).sum()
            for m in maps
        ).backward()
        return maps, {n: p.grad for n, p in model.named_parameters()}

    _, exact = maps_and_grads('masked_dense', autocast=False)
    maps_dense, grads_dense = maps_and_grads('masked_dense', autocast=True)
    maps_gather, grads_gather = maps_and_grads('gather', autocast=True)
    for a, b in zip(maps_dense, maps_gather):
        assert a.dtype == b.dtype
        assert (a - b).abs().max() <= 2e-2 * a.abs().max()
    for name, grad in exact.items():
        assert grads_gather[name].dtype == torch.float32
        error_dense = (grads_dense[name] - grad).norm() / grad.norm()
        error_gather = (grads_gather[name] - grad).norm() / grad.norm()
        assert error_gather <= 2 * error_dense + 1e-2, name


def test_gather_drop_path_drops_whole_samples():
    model = SparseConvNeXt(
        arch='test', drop_path_rate=0.5, sparse_backend='gather'
    )
    model.load_state_dict(_random_state(model))
    block = model.stages[3][-1]
    assert block.drop_path.drop_prob == 0.5
    active = random_active_mask(16, (4, 4), 0.5)
    sites = ActiveSites(active, (128, 128))
    x = torch.randn(16, 64, 4, 4) * sites.mask((4, 4))
    block.eval()
    kept = SparseConvNeXt._gather_block(block, x, sites) - x
    block.train()
    torch.manual_seed(0)
    update = SparseConvNeXt._gather_block(block, x, sites) - x
    dropped = [bool((u == 0).all()) for u in update]
    assert any(dropped) and not all(dropped)
    for sample_update, sample_kept, was_dropped in zip(update, kept, dropped):
        if not was_dropped:
            torch.testing.assert_close(sample_update, sample_kept / 0.5)


def test_auto_backend_is_logged_and_matches(monkeypatch):
    logged = []
    monkeypatch.setattr(
        'mmslffm.models.backbones.sparse_convnext.print_log',
        lambda message, **kwargs: logged.append(message),
    )
    auto = SparseConvNeXt(arch='test', sparse_backend='auto').eval()
    oracle = SparseConvNeXt(arch='test', sparse_backend='masked_dense').eval()
    oracle.load_state_dict(auto.state_dict())
    x, active = _test_inputs()
    with torch.no_grad():
        for _ in range(2):
            for a, b in zip(auto(x, active), oracle(x, active)):
                torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)
    assert logged == [
        "SparseConvNeXt: sparse_backend='auto' uses 'gather' on cpu"
    ]


def _capture_log(monkeypatch) -> list:
    logged = []
    monkeypatch.setattr(
        'mmslffm.models.backbones.sparse_convnext.print_log',
        lambda message, **kwargs: logged.append(message),
    )
    return logged


@pytest.mark.parametrize('faster', SPARSE_BACKENDS)
def test_auto_times_both_backends_once_where_none_is_measured(
    monkeypatch, faster
):
    """A device type without a table entry (here CPU, with an empty table):
    the first training batch times both backends, the faster is kept on the
    instance and both times are logged. Times are injected: no flaky clock."""
    logged = _capture_log(monkeypatch)
    table = {}
    model = SparseConvNeXt(
        arch='test', sparse_backend='auto', auto_backends=table
    )
    fake_seconds = {backend: 0.005 for backend in SPARSE_BACKENDS}
    fake_seconds[faster] = 0.002
    timed = []

    def fake_timing(backend, x, sites):
        timed.append(backend)
        return fake_seconds[backend]

    monkeypatch.setattr(model, '_time_backend', fake_timing)
    x, active = _test_inputs()
    for _ in range(2):
        model(x, active)
    assert sorted(timed) == sorted(SPARSE_BACKENDS)
    assert model.auto_backends == {'cpu': faster} and table == {}
    times = ', '.join(
        f'{backend} {1000 * fake_seconds[backend]:.1f} ms'
        for backend in SPARSE_BACKENDS
    )
    assert logged == [
        "SparseConvNeXt: sparse_backend='auto' timed forward + backward on "
        f"cpu (best of 3): {times}; uses '{faster}'"
    ]
    # another instance keeps its own table
    assert SparseConvNeXt(
        arch='test', sparse_backend='auto'
    ).auto_backends == {'cpu': 'gather'}


def test_auto_timing_leaves_the_training_step_untouched():
    """Real timing: no gradient accumulated, random state (drop path) as it
    was, so the step equals one with the chosen backend from the start."""
    auto = SparseConvNeXt(
        arch='test',
        sparse_backend='auto',
        auto_backends={},
        drop_path_rate=0.5,
    )
    x, active = _test_inputs()
    torch.manual_seed(1)
    maps = auto(x, active)
    chosen = auto.auto_backends['cpu']
    assert chosen in SPARSE_BACKENDS
    assert all(p.grad is None for p in auto.parameters())
    fixed = SparseConvNeXt(
        arch='test', sparse_backend=chosen, drop_path_rate=0.5
    )
    fixed.load_state_dict(auto.state_dict())
    torch.manual_seed(1)
    for ours, expected in zip(maps, fixed(x, active)):
        assert torch.equal(ours, expected)


def test_auto_waits_for_a_training_batch_to_time(monkeypatch):
    logged = _capture_log(monkeypatch)
    model = SparseConvNeXt(
        arch='test', sparse_backend='auto', auto_backends={}
    )
    monkeypatch.setattr(model, '_time_backend', pytest.fail)
    x, active = _test_inputs()
    with torch.no_grad():
        model(x, active)
    model.eval()(x, active)
    assert model.auto_backends == {}
    assert logged == [
        "SparseConvNeXt: sparse_backend='auto' uses 'masked_dense' on cpu "
        'until a training batch times both backends'
    ]


def test_unknown_arch_and_backend_are_clear_errors():
    with pytest.raises(
        ValueError, match="Unknown SparseConvNeXt arch 'huge2'"
    ):
        SparseConvNeXt(arch='huge2')
    with pytest.raises(ValueError, match="sparse_backend 'spconv3'"):
        SparseConvNeXt(arch='test', sparse_backend='spconv3')
    with pytest.raises(
        ValueError, match="auto_backends\\['cuda'\\] = 'fast': choose one of"
    ):
        SparseConvNeXt(arch='test', auto_backends={'cuda': 'fast'})


def test_mask_must_fit_the_image():
    model = SparseConvNeXt(arch='test')
    with pytest.raises(ValueError, match='bool tensor'):
        model(torch.randn(1, 3, 64, 64), torch.ones(1, 1, 2, 2))
    with pytest.raises(ValueError, match='multiples of 32'):
        model(
            torch.randn(1, 3, 70, 64), torch.ones(1, 1, 2, 2, dtype=torch.bool)
        )
    with pytest.raises(ValueError, match=r'mask of \(B, 1, 2, 2\)'):
        model(
            torch.randn(1, 3, 64, 64), torch.ones(1, 1, 4, 4, dtype=torch.bool)
        )


def test_frozen_stages_and_norm_eval():
    model = SparseConvNeXt(
        arch='test', frozen_stages=1, norm_eval=True, norm_cfg=dict(type='BN')
    )
    model.train()
    assert not any(
        p.requires_grad for p in model.downsample_layers[0].parameters()
    )
    assert all(p.requires_grad for p in model.stages[1].parameters())
    batch_norms = [
        m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)
    ]
    assert batch_norms and not any(m.training for m in batch_norms)


def test_multispectral_stem_loads_rgb_checkpoint():
    rgb = SparseConvNeXt(arch='test')
    rgb.load_state_dict(_random_state(rgb))
    five = SparseConvNeXt(arch='test', in_channels=5)
    five.load_state_dict(rgb.state_dict())
    weight = rgb.state_dict()['downsample_layers.0.0.weight']
    adapted = five.state_dict()['downsample_layers.0.0.weight']
    assert adapted.shape[1] == 5
    # bands taken cyclically R,G,B,R,G and scaled by 3/5
    torch.testing.assert_close(adapted[:, 3], weight[:, 0] * 0.6)
    # with a multiple of 3 bands, equal bands give the RGB model's response
    six = SparseConvNeXt(arch='test', in_channels=6)
    six.load_state_dict(rgb.state_dict())
    gray = torch.rand(1, 1, 32, 32)
    rgb.eval(), six.eval()
    torch.testing.assert_close(
        six(gray.expand(1, 6, 32, 32))[0],
        rgb(gray.expand(1, 3, 32, 32))[0],
        atol=1e-5,
        rtol=1e-4,
    )
    single = SparseConvNeXt(arch='test', in_channels=1)
    single.load_state_dict(rgb.state_dict())
    torch.testing.assert_close(
        single.state_dict()['downsample_layers.0.0.weight'],
        weight.sum(1, keepdim=True),
    )
