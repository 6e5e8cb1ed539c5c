"""CPUSyncBatchNorm over 2 gloo processes == BatchNorm over the whole batch in one process."""

import os
import socket

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mmslffm.models import CPUSyncBatchNorm

SHAPE = (4, 3, 5, 5)


def _weights() -> torch.Tensor:
    """A fixed, non-uniform upstream gradient."""
    return torch.arange(torch.Size(SHAPE).numel()).view(SHAPE).float().sin()


def _whole_batch():
    torch.manual_seed(0)
    x = torch.randn(SHAPE, requires_grad=True)
    bn = torch.nn.BatchNorm2d(3)
    with torch.no_grad():
        bn.weight.uniform_()
        bn.bias.uniform_()
    initial = {k: v.clone() for k, v in bn.state_dict().items()}
    y = bn(x)
    (y * _weights()).sum().backward()
    return x, y, bn, initial


def _rank(rank: int, port: int, results) -> None:
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank, world_size=2
    )
    x, y, bn, initial = _whole_batch()
    sync = CPUSyncBatchNorm(3)
    sync.load_state_dict(initial)
    half = slice(2 * rank, 2 * rank + 2)
    x_half = x.detach()[half].clone().requires_grad_()
    y_half = sync(x_half)
    (y_half * _weights()[half]).sum().backward()
    weight_grad = sync.weight.grad.clone()
    dist.all_reduce(weight_grad)
    results[rank] = [
        (y_half - y[half]).abs().max().item(),
        (x_half.grad - x.grad[half]).abs().max().item(),
        (weight_grad - bn.weight.grad).abs().max().item(),
        (sync.running_mean - bn.running_mean).abs().max().item(),
        (sync.running_var - bn.running_var).abs().max().item(),
    ]
    dist.destroy_process_group()


@pytest.mark.multiprocess
def test_two_cpu_processes_normalize_like_one_batch():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    # spawn, not fork: a child forked from a process whose OpenMP pool is up
    # (any earlier test that ran torch ops) deadlocks in its first parallel op
    context = mp.get_context('spawn')
    results = context.Manager().dict()
    mp.start_processes(
        _rank, args=(port, results), nprocs=2, start_method='spawn'
    )
    for rank in (0, 1):
        assert max(results[rank]) < 1e-5, results[rank]


def test_outside_a_process_group_it_is_batch_norm():
    x, y, bn, initial = _whole_batch()
    sync = CPUSyncBatchNorm(3)
    sync.load_state_dict(initial)
    torch.testing.assert_close(sync(x.detach()), y.detach())
