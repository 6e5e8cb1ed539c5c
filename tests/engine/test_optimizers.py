import copy

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import OPTIMIZERS, init_default_scope
from mmpretrain.engine.optimizers import Lamb

from mmslffm.engine import FusedLamb
from mmslffm.engine.optimizers import flat_views

# parameter shapes of ConvNeXt-like layers: pointwise weight, bias, depthwise
# conv, layer scale, mask token; a channels-last decoder conv; a transposed
# weight whose gradient is contiguous (no common flat view)
SHAPES = [
    (96, 24),
    (96,),
    (24, 1, 7, 7),
    (24,),
    (1, 24, 1, 1),
    (8, 24, 3, 3),
    (24, 96),
]


def _parameters(seed=0):
    generator = torch.Generator().manual_seed(seed)
    params = [
        torch.nn.Parameter(torch.randn(s, generator=generator) * 0.02)
        for s in SHAPES
    ]
    params[3].data.fill_(1e-6)  # layer scale starts tiny
    for conv in params[2], params[5]:
        conv.data = conv.data.to(memory_format=torch.channels_last)
    params[6].data = params[6].data.t().contiguous().t()
    return params


def _groups(params):
    """SLFFM's grouping: decay on weights, none on biases and 1-D tensors."""
    decay = [p for p in params if p.ndim > 1]
    no_decay = [p for p in params if p.ndim <= 1]
    return [
        dict(params=decay, weight_decay=0.04),
        dict(params=no_decay, weight_decay=0.0),
    ]


def _run(optimizer_cls, steps, grad_scales, params=None, **kwargs):
    """Params and optimizer after ``steps`` steps of seeded gradients."""
    params = _parameters() if params is None else params
    optimizer = optimizer_cls(
        _groups(params), lr=1e-2, betas=(0.9, 0.95), **kwargs
    )
    generator = torch.Generator().manual_seed(1)
    for step in range(steps):
        for param in params:
            param.grad = (
                torch.randn(param.shape, generator=generator)
                * grad_scales[step % len(grad_scales)]
            )
            if param.ndim == 4:
                param.grad = param.grad.contiguous(
                    memory_format=torch.channels_last
                )
        optimizer.step()
    return params, optimizer


def _assert_close(params, optimizer, reference, reference_opt, rtol):
    """Each parameter and moment within ``rtol`` of its largest entry."""
    for ours, theirs in zip(params, reference):
        pairs = [(ours, theirs)] + [
            (optimizer.state[ours][key], reference_opt.state[theirs][key])
            for key in ('exp_avg', 'exp_avg_sq')
        ]
        for mine, expected in pairs:
            error = (mine - expected).abs().max() / expected.abs().max()
            assert error <= rtol, (tuple(ours.shape), error.item())


@pytest.mark.parametrize(
    'kwargs',
    [
        dict(),  # mmpretrain's defaults: max_grad_norm 1
        dict(max_grad_norm=1e6),  # never clips
        dict(always_adapt=True, trust_clip=True),
        dict(eps=1e-3, trust_clip=True),
    ],
)
def test_matches_mmpretrain_lamb(kwargs):
    # gradient norms of ~0.02 and ~2: steps below and above max_grad_norm
    scales = [0.002, 0.2, 0.02]
    reference, reference_opt = _run(Lamb, 5, scales, **kwargs)
    params, optimizer = _run(FusedLamb, 5, scales, **kwargs)
    # measured: 2e-7 relative at most (the fused kernel rounds differently)
    _assert_close(params, optimizer, reference, reference_opt, rtol=2e-6)
    assert [g['step'] for g in optimizer.param_groups] == [5, 5]


def test_flags_the_fused_kernel_lacks_take_mmpretrains_step():
    kwargs = dict(bias_correction=False, grad_averaging=False)
    reference, _ = _run(Lamb, 3, [0.2], **kwargs)
    params, _ = _run(FusedLamb, 3, [0.2], **kwargs)
    for ours, theirs in zip(params, reference):
        assert torch.equal(ours, theirs)


def test_state_dict_is_interchangeable_with_mmpretrain_lamb():
    """Moments saved by mmpretrain's Lamb for channels-first weights resume
    weights that are now channels-last (SLFFM's decoder): element for
    element, not in memory order."""
    scales = [0.2]
    params, reference_opt = _run(Lamb, 2, scales)
    for param in params:
        param.data = param.data.contiguous()
    reference_opt.state = {
        p: {k: v.contiguous() for k, v in state.items()}
        for p, state in reference_opt.state.items()
    }
    ours_params = [copy.deepcopy(p) for p in params]
    for param in ours_params:
        if param.ndim == 4:
            param.data = param.data.to(memory_format=torch.channels_last)
    optimizer = FusedLamb(_groups(ours_params), lr=1e-2, betas=(0.9, 0.95))
    optimizer.load_state_dict(copy.deepcopy(reference_opt.state_dict()))
    assert not optimizer.state[ours_params[5]]['exp_avg'].is_contiguous(
        memory_format=torch.channels_last
    )
    for optim, group_params in (
        (reference_opt, params),
        (optimizer, ours_params),
    ):
        generator = torch.Generator().manual_seed(2)
        for param in group_params:
            param.grad = torch.randn(param.shape, generator=generator) * 0.2
        optim.step()
    _assert_close(ours_params, optimizer, params, reference_opt, rtol=2e-6)


def test_flat_views_follow_memory_order():
    conv = torch.randn(8, 24, 3, 3).to(memory_format=torch.channels_last)
    grad = torch.randn(8, 24, 3, 3).to(memory_format=torch.channels_last)
    flat_conv, flat_grad = flat_views((conv, grad))
    assert flat_conv.data_ptr() == conv.data_ptr()  # views, not copies
    assert torch.equal(flat_conv, conv.permute(0, 2, 3, 1).reshape(-1))
    assert torch.equal(flat_grad, grad.permute(0, 2, 3, 1).reshape(-1))
    assert flat_views((conv, grad.contiguous())) is None  # layouts differ
    assert flat_views((torch.randn(4, 6)[:, ::2],)) is None  # gaps


def test_skips_parameters_without_gradient_and_rejects_gapped_ones():
    params = _parameters()
    before = params[0].detach().clone()
    optimizer = FusedLamb(_groups(params))
    for param in params[1:]:
        param.grad = torch.ones_like(param)
    optimizer.step()
    assert torch.equal(params[0], before)
    assert params[0] not in optimizer.state
    gapped = torch.nn.Parameter(torch.randn(4, 6)[:, ::2])
    gapped.grad = torch.ones_like(gapped)
    with pytest.raises(ValueError, match='dense parameters'):
        FusedLamb([gapped]).step()


def test_pretraining_schedule_builds_it():
    cfg = Config.fromfile('configs/_base_/schedules/slffm_lamb_200e.py')
    init_default_scope('mmpretrain')
    optimizer_cfg = dict(cfg.optim_wrapper.optimizer, params=_parameters())
    optimizer = OPTIMIZERS.build(optimizer_cfg)
    assert isinstance(optimizer, FusedLamb)
