"""Weighted k-nearest-neighbour classification of frozen features (the DINO protocol).

Wu et al. (CVPR 2018) and DINO (Caron et al., ICCV 2021): features are L2-normalized, the k most
cosine-similar training features vote for their class with weight ``exp(similarity / T)``,
T = 0.07, k = 20; k = 1 is the plain nearest neighbour. No library ships this exact vote
(sklearn's KNeighborsClassifier has no temperature weighting), hence this module.

Before the vote the features may be standardized per dimension (``feature_norm='zscore'``):
masked-image-modeling embeddings share a large common direction and a few dimensions of large
variance, so raw cosines are all close to 1 and the vote reads that anisotropy rather than the
scene; MAE's linear probe puts an affine-free BatchNorm before its head for the same reason.
"""

from typing import Tuple

import torch
import torch.nn.functional as F
from sklearn.preprocessing import StandardScaler

FEATURE_NORMS = ('none', 'zscore')


def check_feature_norm(feature_norm: str, where: str = 'feature_norm') -> None:
    """Refuse a name outside :data:`FEATURE_NORMS` in one line naming ``where``."""
    if feature_norm not in FEATURE_NORMS:
        raise ValueError(
            f'{where} {feature_norm!r}: choose from {", ".join(FEATURE_NORMS)}'
        )


def normalize_features(
    bank: torch.Tensor, queries: torch.Tensor, feature_norm: str = 'zscore'
) -> Tuple[torch.Tensor, torch.Tensor]:
    """The features the cosine vote compares: raw, or z-scored with the bank's statistics.

    ``'zscore'`` subtracts the per-dimension mean of ``bank`` and divides by
    its (population) standard deviation, in both ``bank`` and ``queries``:
    the statistics come from the training split only, so no test feature
    steers them (for leave-one-out, where the queries are the bank, they are
    the whole set's). A dimension constant over the bank is only centred
    (scikit-learn's ``StandardScaler``, which this reuses).

    Args:
        bank: (N, D) training features.
        queries: (M, D) features to classify.
        feature_norm: ``'none'`` (unchanged) or ``'zscore'``.

    Returns:
        (N, D) bank and (M, D) queries, float32.
    """
    check_feature_norm(feature_norm)
    bank, queries = bank.float(), queries.float()
    if feature_norm == 'none':
        return bank, queries
    scaler = StandardScaler().fit(bank.numpy())
    return tuple(
        torch.from_numpy(scaler.transform(x.numpy())).float()
        for x in (bank, queries)
    )


def knn_predict(
    bank: torch.Tensor,
    bank_labels: torch.Tensor,
    queries: torch.Tensor,
    num_classes: int,
    k: int = 20,
    temperature: float = 0.07,
    exclude_self: bool = False,
    feature_norm: str = 'none',
) -> torch.Tensor:
    """Class scores of ``queries`` by temperature-weighted votes of their k nearest.

    Args:
        bank: (N, D) training features.
        bank_labels: (N,) int labels in [0, num_classes).
        queries: (M, D) features to classify.
        num_classes: number of classes C.
        k: neighbours voting (clipped to the bank size).
        temperature: T of the ``exp(cos / T)`` vote weight.
        exclude_self: leave-one-out: ``queries`` is ``bank`` and a sample
            does not vote for itself.
        feature_norm: applied first, see :func:`normalize_features`; the
            default ``'none'`` is the published DINO vote.

    Returns:
        (M, C) summed vote weights; argmax is the prediction.
    """
    bank, queries = normalize_features(bank, queries, feature_norm)
    bank = F.normalize(bank, dim=1)
    queries = F.normalize(queries, dim=1)
    similarity = queries @ bank.T  # (M, N)
    if exclude_self:
        similarity.fill_diagonal_(float('-inf'))
    k = min(k, bank.shape[0] - int(exclude_self))
    top_similarity, top_index = similarity.topk(k, dim=1)
    weights = (top_similarity / temperature).exp()
    votes = torch.zeros(queries.shape[0], num_classes)
    votes.scatter_add_(1, bank_labels[top_index].long(), weights)
    return votes


def knn_accuracy(
    bank: torch.Tensor,
    bank_labels: torch.Tensor,
    queries: torch.Tensor,
    query_labels: torch.Tensor,
    num_classes: int,
    k: int = 20,
    temperature: float = 0.07,
    exclude_self: bool = False,
    feature_norm: str = 'none',
) -> float:
    """Top-1 accuracy (%) of :func:`knn_predict`."""
    votes = knn_predict(
        bank,
        bank_labels,
        queries,
        num_classes,
        k,
        temperature,
        exclude_self,
        feature_norm,
    )
    correct = votes.argmax(1) == query_labels.long()
    return 100.0 * correct.float().mean().item()
