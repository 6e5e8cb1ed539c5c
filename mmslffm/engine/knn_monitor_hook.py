"""Watch representation quality while pretraining: kNN accuracy of the encoder on a labeled set.

A masked-image-modeling loss says little about the encoder (it keeps falling on a broken run);
a kNN probe does, for the price of one forward pass over a small labeled set (the "kNN monitor"
of self-supervised training, Wu et al. 2018, DINO 2021). mmengine/mmpretrain ship no such hook.
"""

import json
import os
import os.path as osp
import time
from functools import partial
from typing import Dict, List, Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmslffm.registry import HOOKS
from mmslffm.visualization.knn_curve import save_knn_curve


@HOOKS.register_module()
class KNNMonitorHook(Hook):
    """Every ``interval`` iterations, before training and at the end: leave-one-out kNN accuracy.

    The labeled set (``data_root/<class>/<image>``) is read once, resized to
    ``img_size`` and normalized with the model's data preprocessor. Each
    evaluation embeds it with the current encoder's dense path (no mask;
    global average pool of the last stage through its norm, see
    :func:`pooled_embedding`) and classifies every image by its k nearest
    others (cosine, ``exp(cos / T)`` votes) and by its nearest one.

    The cosine is taken after ``feature_norm``: ``'zscore'`` standardizes
    every embedding dimension with the mean and std of the monitor set's
    own embeddings at that iteration (the set is both bank and queries, so
    there is no training split to take them from), ``'none'`` compares the
    raw embeddings, whose anisotropy (a large direction all share) makes
    the cosine vote fall while a masked-modeling encoder improves. Both are
    computed every time (one forward pass, two votes); ``feature_norm`` is
    the headline, the other is reported beside it with its name appended.

    Results go to the log, to the visualizer's backends as scalars
    ``knn_monitor/top1_k{k}`` and ``knn_monitor/top1_k1`` (the headline;
    ``knn_monitor/top1_k{k}_<other norm>`` beside them; step = iteration),
    to ``work_dir/knn_monitor.json`` and to a PNG curve
    ``work_dir/knn_monitor.png``. Its own wall time is logged at the end
    against the whole training time.

    Args:
        data_root: folder of class folders (a few images per class).
        interval: iterations between evaluations.
        k: neighbours of the weighted vote (DINO: 20).
        temperature: vote temperature T (DINO: 0.07).
        img_size: side the images are resized to.
        batch_size: images per forward pass.
        feature_norm: the headline's features, ``'zscore'`` or ``'none'``.
    """

    priority = 'LOW'

    def __init__(
        self,
        data_root: str,
        interval: int = 100,
        k: int = 20,
        temperature: float = 0.07,
        img_size: int = 224,
        batch_size: int = 32,
        feature_norm: str = 'zscore',
    ) -> None:
        self.feature_norm = feature_norm
        self.data_root = data_root
        self.interval = interval
        self.k = k
        self.temperature = temperature
        self.img_size = img_size
        self.batch_size = batch_size
        self.history: List[Dict[str, float]] = []
        self._images: Optional[torch.Tensor] = None
        self._labels: Optional[torch.Tensor] = None
        self._num_classes = 0
        self.monitor_seconds = 0.0  # wall time spent by this hook
        self.monitor_cpu_seconds = 0.0  # process CPU time spent by it
        self._train_start = 0.0

    def before_train(self, runner) -> None:
        # Imported when training starts, not with mmslffm.engine: the tools
        # import the engine first, and the evaluation package pulls in the
        # OpenMMLab dataset packages before mmslffm.datasets can quiet them.
        from mmslffm.datasets.scene_split import scan_class_folders
        from mmslffm.evaluation.representation.features import (
            IMAGENET_MEAN,
            IMAGENET_STD,
            load_image_tensor,
        )
        from mmslffm.evaluation.representation.knn import check_feature_norm

        check_feature_norm(
            self.feature_norm, where='KNNMonitorHook feature_norm'
        )
        self._train_start = start = time.perf_counter()
        cpu_start = time.process_time()
        samples = scan_class_folders(self.data_root)
        model = self._model(runner)
        preprocessor = getattr(model, 'data_preprocessor', None)
        mean = getattr(preprocessor, 'mean', None)
        std = getattr(preprocessor, 'std', None)
        mean = IMAGENET_MEAN if mean is None else mean.flatten().tolist()
        std = IMAGENET_STD if std is None else std.flatten().tolist()
        self._images = torch.stack(
            [
                load_image_tensor(p, self.img_size, mean, std)
                for p in samples.paths()
            ]
        )
        self._labels = torch.tensor(samples.labels)
        self._num_classes = len(samples.classes)
        self.monitor_seconds += time.perf_counter() - start
        self.monitor_cpu_seconds += time.process_time() - cpu_start
        runner.logger.info(
            f'kNN monitor: {len(samples.files)} images of '
            f'{self._num_classes} classes from {self.data_root}, every '
            f'{self.interval} iterations'
        )
        if runner.iter == 0:
            self._evaluate(runner, step=0)

    def after_train_iter(
        self, runner, batch_idx: int, data_batch=None, outputs=None
    ) -> None:
        if self.every_n_train_iters(runner, self.interval):
            self._evaluate(runner, step=runner.iter + 1)

    def after_train(self, runner) -> None:
        if not self.history or self.history[-1]['iter'] != runner.iter:
            self._evaluate(runner, step=runner.iter)
        if is_main_process() and self.history:
            self._write_curve(runner.work_dir)
            total = time.perf_counter() - self._train_start
            self._write_json(runner.work_dir, total)
            runner.logger.info(
                f'kNN monitor cost: {self.monitor_seconds:.1f} s of '
                f'{total:.1f} s training '
                f'({100 * self.monitor_seconds / max(total, 1e-9):.1f}%)'
            )

    def _norms(self) -> List[str]:
        """The headline feature normalization first, then the others."""
        from mmslffm.evaluation.representation.knn import FEATURE_NORMS

        return [self.feature_norm] + [
            n for n in FEATURE_NORMS if n != self.feature_norm
        ]

    def _key(self, k: int, norm: str) -> str:
        """``top1_k{k}`` for the headline normalization, else ``top1_k{k}_{norm}``."""
        return f'top1_k{k}' + ('' if norm == self.feature_norm else f'_{norm}')

    @staticmethod
    def _model(runner) -> torch.nn.Module:
        return (
            runner.model.module
            if is_model_wrapper(runner.model)
            else runner.model
        )

    @torch.no_grad()
    def _evaluate(self, runner, step: int) -> None:
        """Embed the labeled set and record the accuracies at ``step``."""
        if not is_main_process() or self._images is None:
            return
        from mmslffm.evaluation.representation.features import (
            pooled_embedding,
        )
        from mmslffm.evaluation.representation.knn import knn_accuracy

        start, cpu_start = time.perf_counter(), time.process_time()
        backbone = self._model(runner).backbone
        was_training = backbone.training
        backbone.eval()
        device = next(backbone.parameters()).device
        embed = partial(pooled_embedding, backbone)
        features = torch.cat(
            [
                embed(self._images[i : i + self.batch_size].to(device))
                .float()
                .cpu()
                for i in range(0, len(self._images), self.batch_size)
            ]
        )
        backbone.train(was_training)
        scores = {}
        for norm in self._norms():
            for k in dict.fromkeys((self.k, 1)):
                scores[self._key(k, norm)] = knn_accuracy(
                    features,
                    self._labels,
                    features,
                    self._labels,
                    self._num_classes,
                    k=k,
                    temperature=self.temperature,
                    exclude_self=True,
                    feature_norm=norm,
                )
        self.history.append(dict(iter=step, **scores))
        runner.logger.info(
            f'kNN monitor (leave-one-out, {self.feature_norm} features) at '
            f'iteration {step}: '
            + ', '.join(f'{n} {v:.1f}%' for n, v in scores.items())
        )
        runner.visualizer.add_scalars(
            {f'knn_monitor/{n}': v for n, v in scores.items()}, step=step
        )
        self.monitor_seconds += time.perf_counter() - start
        self.monitor_cpu_seconds += time.process_time() - cpu_start
        self._write_json(runner.work_dir)

    def _write_json(self, work_dir: str, train_seconds: float = None) -> None:
        with open(osp.join(work_dir, 'knn_monitor.json'), 'w') as f:
            json.dump(
                dict(
                    feature_norm=self.feature_norm,
                    history=self.history,
                    monitor_seconds=self.monitor_seconds,
                    train_seconds=train_seconds,
                    num_images=len(self._images),
                    data_root=self.data_root,
                ),
                f,
                indent=1,
            )

    def _write_curve(self, work_dir: str) -> None:
        os.makedirs(work_dir, exist_ok=True)
        series = [
            (self._key(k, norm), f'kNN k{k}, {norm}', style, colour)
            for norm, style in zip(self._norms(), ('o-', 's--'))
            for k, colour in zip(dict.fromkeys((self.k, 1)), ('C0', 'C1'))
        ]
        save_knn_curve(
            self.history,
            series,
            chance=100.0 / self._num_classes,
            title=f'kNN monitor ({osp.basename(self.data_root)}), '
            f'{self.feature_norm} features',
            path=osp.join(work_dir, 'knn_monitor.png'),
        )
