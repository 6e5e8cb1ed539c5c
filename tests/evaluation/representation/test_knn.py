"""Temperature-weighted kNN against hand-computed votes and scikit-learn's 1-NN."""

import math

import numpy as np
import pytest
import torch
from sklearn.neighbors import KNeighborsClassifier

from mmslffm.evaluation.representation import knn_accuracy, knn_predict

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
