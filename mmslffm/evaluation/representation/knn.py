"""Weighted k-nearest-neighbour classification of frozen features (the DINO protocol).

Wu et al. (CVPR 2018) and DINO (Caron et al., ICCV 2021): features are L2-normalized, the k most
cosine-similar training features vote for their class with weight ``exp(similarity / T)``,
T = 0.07, k = 20; k = 1 is the plain nearest neighbour. No library ships this exact vote
(sklearn's KNeighborsClassifier has no temperature weighting), hence this module.
"""

import torch
import torch.nn.functional as F


def knn_predict(
    bank: torch.Tensor,
    bank_labels: torch.Tensor,
    queries: torch.Tensor,
    num_classes: int,
    k: int = 20,
    temperature: float = 0.07,
    exclude_self: bool = False,
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

    Returns:
        (M, C) summed vote weights; argmax is the prediction.
    """
    bank = F.normalize(bank.float(), dim=1)
    queries = F.normalize(queries.float(), dim=1)
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
) -> float:
    """Top-1 accuracy (%) of :func:`knn_predict`."""
    votes = knn_predict(
        bank, bank_labels, queries, num_classes, k, temperature, exclude_self
    )
    correct = votes.argmax(1) == query_labels.long()
    return 100.0 * correct.float().mean().item()
