"""Frozen-encoder evaluation: global embeddings, weighted kNN and linear probe, feature cache."""

from .encoders import build_encoder
from .feature_cache import cached_features, feature_key
from .features import extract_features, pooled_embedding
from .knn import FEATURE_NORMS, knn_accuracy, knn_predict, normalize_features
from .linear_probe import LinearProbeResult, linear_probe
from .protocols import evaluate_protocols, format_summary

__all__ = [
    'FEATURE_NORMS',
    'LinearProbeResult',
    'build_encoder',
    'cached_features',
    'evaluate_protocols',
    'extract_features',
    'feature_key',
    'format_summary',
    'knn_accuracy',
    'knn_predict',
    'linear_probe',
    'normalize_features',
    'pooled_embedding',
]
