"""Weighted kNN against hand-computed votes and scikit-learn's 1-NN; z-scored against raw."""

import math

import numpy as np
import pytest
import torch
from sklearn.neighbors import KNeighborsClassifier

from mmslffm.evaluation.representation import (
    evaluate_protocols,
    knn_accuracy,
    knn_predict,
    normalize_features,
)

BANK = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
BANK_LABELS = torch.tensor([0, 1, 1])


def test_votes_are_exp_cosine_over_t_of_the_k_nearest():
    query = torch.tensor([[1.0, 0.2]])
    votes = knn_predict(
        BANK, BANK_LABELS, query, num_classes=2, k=2, temperature=0.07
    )
    norm = math.hypot(1, 0.2)
    cos_first = 1 / norm  # with (1, 0), class 0
    cos_third = 1.2 / (norm * math.sqrt(2))  # with (1, 1), class 1
    # (0, 1) has cosine 0.196: third nearest, outside k=2
    expected = [math.exp(cos_first / 0.07), math.exp(cos_third / 0.07)]
    assert votes[0].tolist() == pytest.approx(expected, rel=1e-5)


def test_temperature_decides_between_one_close_and_two_far_neighbours():
    bank = torch.tensor([[1.0, 0.0], [0.8, 0.6], [0.8, -0.6]])
    labels = torch.tensor([0, 1, 1])
    query = torch.tensor([[1.0, 0.0]])
    # cosines 1, .8, .8: at T=0.07 exp(1/T) > 2 exp(.8/T); at T=1 it is not
    sharp = knn_predict(bank, labels, query, 2, k=3, temperature=0.07)
    flat = knn_predict(bank, labels, query, 2, k=3, temperature=1.0)
    assert sharp.argmax().item() == 0
    assert flat.argmax().item() == 1
    assert flat[0].tolist() == pytest.approx([math.e, 2 * math.exp(0.8)])


def test_features_are_compared_by_cosine_not_length():
    votes = knn_predict(
        BANK, BANK_LABELS, torch.tensor([[100.0, 1.0]]), 2, k=1
    )
    assert votes.argmax().item() == 0


def test_leave_one_out_never_votes_for_itself():
    features = torch.tensor([[1.0, 0.0], [1.0, 0.1], [0.0, 1.0], [0.1, 1.0]])
    labels = torch.tensor([0, 1, 0, 1])
    # every sample's only other close neighbour has the other label
    assert (
        knn_accuracy(
            features, labels, features, labels, 2, k=1, exclude_self=True
        )
        == 0.0
    )
    assert knn_accuracy(features, labels, features, labels, 2, k=1) == 100.0


def test_k1_matches_scikit_learn_cosine_nearest_neighbour():
    rng = np.random.default_rng(0)
    bank, queries = rng.normal(size=(60, 8)), rng.normal(size=(25, 8))
    labels = rng.integers(0, 4, 60)
    reference = (
        KNeighborsClassifier(n_neighbors=1, metric='cosine')
        .fit(bank, labels)
        .predict(queries)
    )
    votes = knn_predict(
        torch.from_numpy(bank),
        torch.from_numpy(labels),
        torch.from_numpy(queries),
        4,
        k=1,
    )
    assert votes.argmax(1).numpy().tolist() == reference.tolist()


def test_k_larger_than_the_bank_uses_the_whole_bank():
    votes = knn_predict(
        BANK, BANK_LABELS, torch.tensor([[0.0, 1.0]]), 2, k=20, temperature=1.0
    )
    assert votes.sum().item() == pytest.approx(
        math.exp(0) + math.exp(1) + math.exp(1 / math.sqrt(2))
    )


def anisotropic_features(seed: int = 0):
    """(40, 6) features of 2 classes, (40,) labels: what masked modeling gives.

    Dimension 0 is a large offset all samples share, dimension 1 a
    dominant class-blind variation; dimensions 2-5 carry the class in
    small values.
    """
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(40) % 2
    x = 0.02 * torch.randn(40, 6, generator=generator)
    x[:, 0] += 50.0
    x[:, 1] = 20.0 * torch.randn(40, generator=generator)
    x[:, 2:] += 0.1 * (2 * labels[:, None] - 1)
    return x, labels


@pytest.mark.parametrize('k', [1, 20])
def test_anisotropy_misleads_raw_cosine_and_zscore_reads_the_classes(k):
    x, labels = anisotropic_features()

    def leave_one_out(feature_norm):
        return knn_accuracy(
            x,
            labels,
            x,
            labels,
            2,
            k=k,
            exclude_self=True,
            feature_norm=feature_norm,
        )

    assert leave_one_out('zscore') == 100.0
    assert leave_one_out('none') < 70.0


def test_zscore_takes_the_statistics_of_the_bank_only():
    bank = torch.tensor(
        [[1.0, 10.0], [3.0, 30.0]]
    )  # mean (2, 20), std (1, 10)
    queries = torch.tensor([[2.0, 40.0], [0.0, 0.0]])
    z_bank, z_queries = normalize_features(bank, queries, 'zscore')
    assert z_bank.flatten().tolist() == pytest.approx([-1, -1, 1, 1])
    assert z_queries.flatten().tolist() == pytest.approx([0, 2, -2, -2])
    raw_bank, raw_queries = normalize_features(bank, queries, 'none')
    assert torch.equal(raw_bank, bank) and torch.equal(raw_queries, queries)


def test_zscore_only_centres_a_dimension_constant_over_the_bank():
    bank = torch.tensor([[1.0, 7.0], [3.0, 7.0]])
    _, z_queries = normalize_features(bank, torch.tensor([[2.0, 9.0]]))
    assert z_queries.flatten().tolist() == pytest.approx([0, 2])


def test_an_unknown_feature_norm_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="'l2': choose from none, zscore"):
        knn_predict(BANK, BANK_LABELS, BANK, 2, feature_norm='l2')
    with pytest.raises(ValueError, match='choose from none, zscore'):
        evaluate_protocols(
            np.zeros((4, 2), np.float32),
            [0, 1, 0, 1],
            [],
            ['knn'],
            feature_norm='batchnorm',
        )


def test_protocols_zscore_the_knn_with_the_training_split_by_default():
    x, labels = anisotropic_features()
    train, test = np.arange(30), np.arange(30, 40)  # both classes in each
    splits = [(train, test)]
    features = x.numpy()
    default = evaluate_protocols(features, labels.numpy(), splits, ['knn'])
    raw = evaluate_protocols(
        features, labels.numpy(), splits, ['knn'], feature_norm='none'
    )
    for k in (20, 1):
        assert default[f'knn_k{k}']['mean'] == knn_accuracy(
            x[train],
            labels[train],
            x[test],
            labels[test],
            2,
            k=k,
            feature_norm='zscore',
        )
        assert raw[f'knn_k{k}']['mean'] == knn_accuracy(
            x[train], labels[train], x[test], labels[test], 2, k=k
        )
    assert default['knn_k20']['mean'] > raw['knn_k20']['mean']
