"""Linear probe of frozen features: multinomial logistic regression (scikit-learn, L-BFGS).

The L2 strength is chosen on a validation split carved from the training split only (seeded,
stratified), then the probe is refit on the whole training split and scored once on the test
split, so the test labels never steer a choice (the protocol of RemoteCLIP's and CLIP's linear
probes). Features are standardized with statistics of the training split.
"""

import warnings
from dataclasses import dataclass, field
from typing import Dict, Sequence

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# Inverse L2 strengths tried (sklearn's C), a logarithmic sweep as CLIP's.
DEFAULT_C_GRID = (1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0)


@dataclass
class LinearProbeResult:
    """Test accuracy (%) of the refit probe and how its C was chosen."""

    accuracy: float
    best_c: float
    validation_accuracy: Dict[float, float] = field(default_factory=dict)
    predictions: np.ndarray = None


def _fit(c: float, seed: int, max_iter: int, x: np.ndarray, y: np.ndarray):
    """Standardize + logistic regression. With weak regularization on separable
    features L-BFGS may stop at ``max_iter`` before full convergence: the
    probe is used as it stands (its validation score decides)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', ConvergenceWarning)
        return _probe(c, seed, max_iter).fit(x, y)


def _probe(c: float, seed: int, max_iter: int):
    return make_pipeline(
        StandardScaler(),
        LogisticRegression(
            C=c, solver='lbfgs', max_iter=max_iter, random_state=seed
        ),
    )


def validation_carve(
    labels: np.ndarray, fraction: float, seed: int
) -> np.ndarray:
    """Bool mask of the samples held out for validation.

    ``max(1, round(n_c * fraction))`` of each class of ``n_c >= 2`` samples,
    drawn with ``seed``; a class of one sample stays in the fitting part.
    """
    rng = np.random.default_rng(seed)
    held_out = np.zeros(len(labels), bool)
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        if len(members) >= 2:
            count = max(1, round(len(members) * fraction))
            held_out[rng.choice(members, count, replace=False)] = True
    return held_out


def linear_probe(
    train_x: np.ndarray,
    train_y: np.ndarray,
    test_x: np.ndarray,
    test_y: np.ndarray,
    c_grid: Sequence[float] = DEFAULT_C_GRID,
    val_fraction: float = 0.2,
    seed: int = 0,
    max_iter: int = 1000,
) -> LinearProbeResult:
    """Choose C on a validation part of the training split, refit, test.

    Args:
        train_x, test_x: (N, D) features.
        train_y, test_y: (N,) int labels.
        c_grid: inverse L2 strengths to try.
        val_fraction: share of each training class held out for choosing C.
        seed: seed of the validation carve and the solver.

    Returns:
        :class:`LinearProbeResult`; ties in validation accuracy go to the
        stronger regularization (smaller C).
    """
    held_out = validation_carve(np.asarray(train_y), val_fraction, seed)
    scores = {}
    for c in sorted(c_grid):
        model = _fit(c, seed, max_iter, train_x[~held_out], train_y[~held_out])
        predictions = model.predict(train_x[held_out])
        scores[c] = 100.0 * float((predictions == train_y[held_out]).mean())
    best_c = max(sorted(scores), key=lambda c: scores[c])
    model = _fit(best_c, seed, max_iter, train_x, train_y)
    predictions = model.predict(test_x)
    return LinearProbeResult(
        accuracy=100.0 * float((predictions == test_y).mean()),
        best_c=best_c,
        validation_accuracy=scores,
        predictions=predictions,
    )
