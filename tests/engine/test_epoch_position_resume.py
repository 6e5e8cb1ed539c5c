"""Resuming an epoch-based run from a mid-epoch checkpoint continues that epoch where it stopped."""

import copy
from typing import List

import pytest
import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

NUM_SAMPLES, BATCH, STOP_ITER = (
    10,
    2,
    3,
)  # 5 batches per epoch, stop in epoch 0


class IndexDataset(Dataset):
    """Sample i is the number i."""

    def __len__(self) -> int:
        return NUM_SAMPLES

    def __getitem__(self, i: int) -> dict:
        return dict(inputs=torch.tensor([float(i)]))


class RecordingModel(BaseModel):
    """Remembers the sample numbers of every training batch, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(1))
        self.seen: List[int] = []

    def forward(
        self, inputs: torch.Tensor, data_samples=None, mode: str = 'loss'
    ) -> dict:
        self.seen += inputs.flatten().long().tolist()
        return dict(loss=(self.weight * inputs).sum())


def _runner(work_dir, sampler: str, resume_from=None) -> Runner:
    return Runner(
        model=RecordingModel(),
        work_dir=str(work_dir),
        train_dataloader=dict(
            dataset=IndexDataset(),
            batch_size=BATCH,
            num_workers=0,
            sampler=dict(type=sampler, shuffle=True, seed=3),
            collate_fn=dict(type='default_collate'),
        ),
        optim_wrapper=dict(optimizer=dict(type='SGD', lr=0.1)),
        train_cfg=dict(by_epoch=True, max_epochs=2),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            checkpoint=dict(
                type='CheckpointHook', by_epoch=False, interval=STOP_ITER
            ),
        ),
        custom_hooks=[dict(type='mmslffm.EpochPositionHook')],
        load_from=resume_from and str(resume_from),
        resume=resume_from is not None,
        default_scope='mmslffm',
        experiment_name=f'{sampler}_{work_dir.parent.name}_{work_dir.name}',
    )


def _seen_after_resume(tmp_path, sampler: str):
    whole = _runner(tmp_path / 'whole', sampler)
    whole.train()
    checkpoint = tmp_path / 'whole' / f'iter_{STOP_ITER}.pth'
    resumed = _runner(tmp_path / 'resumed', sampler, resume_from=checkpoint)
    resumed.train()
    return copy.copy(whole.model.seen), resumed.model.seen


def test_resumed_epoch_continues_from_the_sampler_position(tmp_path):
    whole, after_resume = _seen_after_resume(
        tmp_path, 'mmslffm.ResumableSampler'
    )
    assert len(whole) == 2 * NUM_SAMPLES
    assert sorted(whole[:NUM_SAMPLES]) == list(range(NUM_SAMPLES))
    # exactly the rest of epoch 0, then the whole of epoch 1 in its order
    assert after_resume == whole[STOP_ITER * BATCH :]


def test_default_sampler_replays_the_interrupted_epoch(tmp_path):
    """What mmengine alone does, and why the sampler above exists."""
    whole, after_resume = _seen_after_resume(tmp_path, 'DefaultSampler')
    assert after_resume[:NUM_SAMPLES] == whole[:NUM_SAMPLES]
    assert after_resume != whole[STOP_ITER * BATCH :]


@pytest.mark.parametrize('samples', [0, 4])
def test_skip_applies_to_one_epoch_only(samples):
    from mmslffm.datasets import ResumableSampler

    sampler = ResumableSampler(IndexDataset(), shuffle=True, seed=1)
    full = list(sampler)
    sampler.skip(samples)
    assert list(sampler) == full[samples:]
    assert list(sampler) == full
