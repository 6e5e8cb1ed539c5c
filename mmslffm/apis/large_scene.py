"""One entry point for large-scene inference of every task (used by tools/infer_large.py).

The task follows from the model and the inputs: an mmdet/mmrotate detector -> oriented
detection; an mmseg segmentor with one input -> segmentation; with two inputs (A, B of the
same area) -> change detection.
"""

import os
from typing import Optional, Sequence

from mmslffm.utils.quiet_imports import import_datasets_quietly
from .dense_inference import detect_changes, segment_scene
from .detection_inference import detect_scene
from .model_loading import load_model, task_of
from .raster_windows import DEFAULT_MAX_WINDOW_BYTES, check_window_memory
from .window_geometry import settle_window

__all__ = ['infer_large_scene']


def infer_large_scene(
    config: str,
    checkpoint: str,
    inputs: Sequence[str],
    out_dir: str,
    window: Optional[int] = None,
    overlap: Optional[int] = None,
    scale: float = 1.0,
    bands: Sequence[int] = (1, 2, 3),
    device: str = 'cpu',
    max_png_side: int = 8192,
    nms_iou: float = 0.1,
    score_thr: float = 0.05,
    cfg_options: Optional[dict] = None,
    allow_partial: bool = False,
    unsafe_load: bool = False,
    max_window_bytes: Optional[int] = DEFAULT_MAX_WINDOW_BYTES,
) -> dict:
    """Run the model of ``config``/``checkpoint`` over one or two scenes.

    Args:
        inputs: one scene, or two (A then B) for change detection.
        window, overlap: window side and overlap in the model's pixels;
            None reads the window off the config (slide crop, test resize,
            training crop) and overlaps it by 200/1024 of it for detection,
            a quarter otherwise (:mod:`.window_geometry`).
        scale: the rescaling the model was trained with (e.g. a DOTA split
            at rate 0.5): windows of ``window / scale`` scene pixels are
            resized by ``scale`` and predictions mapped back.
        bands: 1-based bands of the scene fed as R, G, B.
        max_png_side: PNG previews are downsampled to this longest side.
        nms_iou, score_thr: detection merge settings.
        cfg_options, allow_partial, unsafe_load: as :func:`load_model`.
        max_window_bytes: largest window read (window x window x bands x
            bytes per sample) and output row band (window x scene width);
            the scene itself may be any size (None: no limit).

    Returns:
        ``{'task': ..., <output name>: path, ...}``.
    """
    if len(inputs) not in (1, 2):
        raise ValueError(
            f'give one scene, or two (A B) for change detection;'
            f' got {len(inputs)}'
        )
    for path in inputs:
        if not os.path.isfile(path):
            raise FileNotFoundError(f'input scene not found: {path}')
    import_datasets_quietly()
    model = load_model(
        config,
        checkpoint,
        device,
        cfg_options=cfg_options,
        allow_partial=allow_partial,
        unsafe_load=unsafe_load,
    )
    task = task_of(model, len(inputs))
    window, overlap = settle_window(model.cfg, task, window, overlap, scale)
    for path in inputs:
        check_window_memory(path, window, bands, max_window_bytes)
    os.makedirs(out_dir, exist_ok=True)
    common = dict(
        window=window,
        overlap=overlap,
        scale=scale,
        bands=bands,
        max_png_side=max_png_side,
    )
    if task == 'detection':
        outputs = detect_scene(
            model,
            inputs[0],
            out_dir,
            nms_iou=nms_iou,
            score_thr=score_thr,
            **common,
        )
    elif task == 'segmentation':
        outputs = segment_scene(model, inputs[0], out_dir, **common)
    else:
        outputs = detect_changes(
            model, inputs[0], inputs[1], out_dir, **common
        )
    return dict(task=task, **outputs)
