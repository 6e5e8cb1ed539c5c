"""Write SLFFM reconstruction previews as PNG while pretraining runs."""

import os
import os.path as osp
from typing import Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from PIL import Image

from mmslffm.registry import HOOKS
from mmslffm.visualization.reconstruction import render_reconstruction


@HOOKS.register_module()
class ReconstructionPreviewHook(Hook):
    """Every ``interval`` iterations and at the end, save ``iter_N.png``.

    Columns (titled): original | masked input | low-pass target |
    reconstruction; one row for
    the first ``num_images`` images of the current batch, under a fixed mask
    (``seed``) so previews of successive iterations compare.

    Args:
        interval: iterations between previews.
        num_images: rows per preview.
        out_dir: folder under the work dir.
        seed: mask seed.
    """

    priority = 'LOW'

    def __init__(
        self,
        interval: int = 1000,
        num_images: int = 4,
        out_dir: str = 'previews',
        seed: int = 0,
    ):
        self.interval = interval
        self.num_images = num_images
        self.out_dir = out_dir
        self.seed = seed
        self._last_batch: Optional[dict] = None
        self._saved_iter: Optional[int] = None

    def after_train_iter(
        self, runner, batch_idx: int, data_batch=None, outputs=None
    ) -> None:
        self._last_batch = data_batch
        if self.every_n_train_iters(runner, self.interval):
            self._save(runner, runner.iter + 1)

    def after_train(self, runner) -> None:
        if self._saved_iter != runner.iter:  # the last one, unless written
            self._save(runner, runner.iter)

    def _save(self, runner, iteration: int) -> None:
        if self._last_batch is None or not is_main_process():
            return
        model = (
            runner.model.module
            if is_model_wrapper(runner.model)
            else runner.model
        )
        data = model.data_preprocessor(self._last_batch, False)
        inputs = data['inputs']
        images = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
        picture = render_reconstruction(
            model, images[: self.num_images], seed=self.seed
        )
        folder = osp.join(runner.work_dir, self.out_dir)
        os.makedirs(folder, exist_ok=True)
        path = osp.join(folder, f'iter_{iteration}.png')
        Image.fromarray(picture).save(path)
        self._saved_iter = iteration
        runner.logger.info(f'reconstruction preview written to {path}')
