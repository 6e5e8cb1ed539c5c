"""``tools/test.py --show-dir DIR``: pictures of every test prediction, per task.

Each task reuses what its toolkit draws with: detection mmdet's ``DetVisualizationHook`` with
the config's rotated-box visualiser (ground truth and prediction side by side, class names
and scores, ``--show-score-thr``), segmentation mmseg's ``SegVisualizationHook`` (palette
overlay with class names) and the metric's confusion-matrix PNG, change detection our
``ChangeDetectionMetric`` maps (prediction and TP white / FP red / FN green errors), scene
classification mmpretrain's ``VisualizationHook`` (each image with its true and predicted
class) and the scene metric's confusion-matrix PNG. Here only the configs are switched on.
"""

import os.path as osp

from mmengine.config import Config

__all__ = ['enable_show_dir']


def _evaluators(cfg: Config) -> list:
    evaluators = cfg.get('test_evaluator') or []
    return evaluators if isinstance(evaluators, list) else [evaluators]


def enable_show_dir(cfg: Config, show_dir: str, score_thr: float = 0.3) -> str:
    """Point the config's visualisation at ``show_dir``; returns the task.

    Raises:
        ValueError: the config has nothing that draws its predictions.
    """
    show_dir = osp.abspath(show_dir)
    change = [
        e
        for e in _evaluators(cfg)
        if str(e.get('type', '')).endswith('ChangeDetectionMetric')
    ]
    if change:
        for evaluator in change:
            evaluator['output_dir'] = show_dir
        return 'change'
    hook = (cfg.get('default_hooks') or {}).get('visualization') or {}
    hook_type = str(hook.get('type', ''))
    if hook_type.endswith('DetVisualizationHook'):
        hook.update(draw=True, test_out_dir=show_dir, score_thr=score_thr)
        return 'detection'
    if hook_type.endswith('SegVisualizationHook'):
        hook.update(draw=True, interval=1)
        cfg.visualizer['save_dir'] = show_dir
        for evaluator in _evaluators(cfg):
            if str(evaluator.get('type', '')).endswith('SegmentationMetric'):
                evaluator['confusion_png'] = osp.join(
                    show_dir, 'confusion_matrix.png'
                )
        return 'segmentation'
    if hook_type == 'VisualizationHook' and cfg.get('default_scope') == (
        'mmpretrain'
    ):
        hook.update(enable=True, interval=1, out_dir=show_dir)
        for evaluator in _evaluators(cfg):
            if str(evaluator.get('type', '')).endswith(
                'SceneClassificationMetric'
            ):
                evaluator['out_dir'] = show_dir
        return 'classification'
    raise ValueError(
        'this config has no visualisation hook (default_hooks.visualization'
        ') nor a ChangeDetectionMetric, so --show-dir has nothing to draw '
        'with; use a detection, segmentation, change-detection or scene '
        'classification config'
    )
