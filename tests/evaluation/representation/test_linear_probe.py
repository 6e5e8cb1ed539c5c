"""Linear probe: C chosen on a validation carve of the training split only, then refit."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from mmslffm.evaluation.representation import linear_probe


def _blobs(seed, per_class=30, classes=3, dims=5, spread=1.0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4, size=(classes, dims))
    x = np.concatenate(
        [c + rng.normal(scale=spread, size=(per_class, dims)) for c in centres]
    )
    return x, np.repeat(np.arange(classes), per_class)


def test_separable_classes_are_all_found():
    train_x, train_y = (
        np.array(
            [
                [-2.0],
                [-1.0],
                [-1.5],
                [-3.0],
                [1.0],
                [2.0],
                [1.5],
                [3.0],
                [-2.5],
                [2.5],
            ]
        ),
        np.array([0, 0, 0, 0, 1, 1, 1, 1, 0, 1]),
    )
    test_x, test_y = (
        np.array([[-0.5], [0.5], [-4.0], [4.0]]),
        np.array([0, 1, 0, 1]),
    )
    result = linear_probe(train_x, train_y, test_x, test_y, val_fraction=0.4)
    assert result.accuracy == 100.0
    assert result.predictions.tolist() == [0, 1, 0, 1]


def test_test_labels_never_steer_the_choice():
    train_x, train_y = _blobs(0, spread=3.0)
    test_x, test_y = _blobs(0, per_class=10, spread=3.0)
    honest = linear_probe(train_x, train_y, test_x, test_y)
    scrambled = linear_probe(train_x, train_y, test_x, np.roll(test_y, 7))
    assert honest.best_c == scrambled.best_c
    assert np.array_equal(honest.predictions, scrambled.predictions)
    assert honest.accuracy != scrambled.accuracy


def test_refit_on_the_whole_training_split_with_the_chosen_c():
    train_x, train_y = _blobs(1, spread=3.0)
    test_x, test_y = _blobs(2, per_class=10, spread=3.0)
    result = linear_probe(train_x, train_y, test_x, test_y, seed=0)
    reference = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=result.best_c, max_iter=1000, random_state=0),
    ).fit(train_x, train_y)
    assert np.array_equal(result.predictions, reference.predict(test_x))
    assert result.accuracy == pytest.approx(
        100 * (reference.predict(test_x) == test_y).mean()
    )
    assert set(result.validation_accuracy) == {
        1e-3,
        1e-2,
        1e-1,
        1.0,
        10.0,
        100.0,
    }


def test_ties_go_to_the_strongest_regularization():
    train_x, train_y = _blobs(3, spread=0.1)  # every C separates them
    result = linear_probe(
        train_x, train_y, train_x, train_y, c_grid=(10.0, 0.01, 1.0)
    )
    assert set(result.validation_accuracy.values()) == {100.0}
    assert result.best_c == 0.01


def test_validation_carve_holds_out_a_share_of_every_class():
    from mmslffm.evaluation.representation.linear_probe import validation_carve

    labels = np.array([0] * 48 + [1] * 2 + [2])
    held_out = validation_carve(labels, 0.2, seed=0)
    assert [int(held_out[labels == c].sum()) for c in range(3)] == [10, 1, 0]
    assert np.array_equal(held_out, validation_carve(labels, 0.2, seed=0))
