"""Frozen-encoder evaluation of a backbone checkpoint: weighted kNN, 1-NN and a linear probe.

    python tools/eval_representation.py CKPT --data DIR [--protocols knn linear]
        [--train-fraction 0.8 | --train-per-class 48 | --train-list L --test-list L]
        [--seeds 0 1 2] [--img-size 224] [--feature-norm zscore|none] [--out results.json]

CKPT: an SLFFM/SparK/MAE pretraining checkpoint (tools/train.py; the encoder is taken),
a backbone file (tools/extract_backbone.py, tools/convert_official.py) or an mmpretrain
ConvNeXt / ViT checkpoint. DIR: a folder of class folders (UC Merced, AID, NWPU-RESISC45 as
released). Each image is resized to --img-size and embedded once (global average pool of the
last stage through the backbone's norm); the features are cached under --cache-dir, keyed by
the checkpoint's bytes, the image list and the transform. Splits are seeded and per class
(default 80% train, UCM's protocol), or the lists of tools/dataset_converters/scene_cls_split.py.
The kNN compares features z-scored with the training split's per-dimension mean and std
(--feature-norm zscore, the default; 'none' is the raw DINO vote, which on masked-modeling
encoders reads the embeddings' anisotropy rather than the scene).
Prints a markdown table (mean +- std over seeds) and writes the JSON.
"""

import argparse
import json
import os
import os.path as osp
import time
from functools import partial

import numpy as np

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import exit_on_user_error
from mmslffm.datasets.scene_split import scan_class_folders, split_per_class
from mmslffm.evaluation.representation import (
    FEATURE_NORMS,
    build_encoder,
    cached_features,
    evaluate_protocols,
    extract_features,
    feature_key,
    format_summary,
    pooled_embedding,
)
from mmslffm.evaluation.representation.feature_cache import DEFAULT_CACHE_DIR
from mmslffm.evaluation.representation.protocols import PROTOCOLS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'checkpoint', help='backbone or pretraining checkpoint'
    )
    parser.add_argument(
        '--data', required=True, help='folder of class folders of images'
    )
    parser.add_argument(
        '--protocols', nargs='+', default=list(PROTOCOLS), choices=PROTOCOLS
    )
    split = parser.add_mutually_exclusive_group()
    split.add_argument(
        '--train-fraction',
        type=float,
        help='share of each class for training (default 0.8)',
    )
    split.add_argument(
        '--train-per-class',
        type=int,
        help='training images per class (e.g. 48)',
    )
    split.add_argument(
        '--train-list',
        help='train list of scene_cls_split.py (with '
        '--test-list); paths relative to --data',
    )
    parser.add_argument('--test-list')
    parser.add_argument(
        '--seeds',
        type=int,
        nargs='+',
        default=[0],
        help='split seeds (mean +- std over them)',
    )
    parser.add_argument('--img-size', type=int, default=224)
    parser.add_argument('--batch-size', type=int, default=32)
    parser.add_argument('--k', type=int, default=20)
    parser.add_argument('--temperature', type=float, default=0.07)
    parser.add_argument(
        '--feature-norm',
        choices=FEATURE_NORMS,
        default='zscore',
        help="kNN features: z-scored with the training split's statistics "
        '(default) or raw (none)',
    )
    parser.add_argument(
        '--vit-num-heads', type=int, help='ViT heads if not embed_dims / 64'
    )
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--cache-dir', default=DEFAULT_CACHE_DIR)
    parser.add_argument(
        '--out',
        help='JSON file (default: work_dirs/'
        'eval_representation/<checkpoint name>.json)',
    )
    args = parser.parse_args()
    if bool(args.train_list) != bool(args.test_list):
        parser.error('give --train-list and --test-list together')
    return args


def list_splits(samples, train_list: str, test_list: str):
    """Indices of the files named in two list files (``path label`` lines)."""
    index = {f: i for i, f in enumerate(samples.files)}
    splits = []
    for path in (train_list, test_list):
        with open(path) as f:
            names = [line.rsplit(' ', 1)[0] for line in f if line.strip()]
        unknown = [n for n in names if n not in index]
        if unknown:
            raise ValueError(
                f'{path}: {len(unknown)} files not under the '
                f'--data folder, e.g. {unknown[0]} (lists must '
                'be relative to --data)'
            )
        splits.append(np.array(sorted(index[n] for n in names)))
    return [tuple(splits)]


@exit_on_user_error
def main() -> None:
    args = parse_args()
    samples = scan_class_folders(args.data)
    encoder, description = build_encoder(args.checkpoint, args.vit_num_heads)
    encoder.to(args.device)
    paths = samples.paths()
    settings = dict(
        size=args.img_size,
        resize='bicubic',
        norm='imagenet',
        embedding='gap_last_stage_norm',
    )
    key = feature_key(args.checkpoint, paths, settings)
    print(
        f'{description}: embedding {len(paths)} images of '
        f'{len(samples.classes)} classes at {args.img_size} px'
    )
    start = time.time()
    features = cached_features(
        key,
        partial(
            extract_features,
            partial(pooled_embedding, encoder),
            paths,
            args.img_size,
            args.batch_size,
            device=args.device,
        ),
        args.cache_dir,
    )
    print(
        f'features {features.shape} in {time.time() - start:.1f} s '
        f'(cache {args.cache_dir}/{key}.npy)'
    )

    if args.train_list:
        splits = list_splits(samples, args.train_list, args.test_list)
    else:
        fraction = (
            None if args.train_per_class else (args.train_fraction or 0.8)
        )
        splits = [
            split_per_class(
                samples.labels, fraction, seed, args.train_per_class
            )
            for seed in args.seeds
        ]
    summary = evaluate_protocols(
        features,
        samples.labels,
        splits,
        args.protocols,
        args.k,
        args.temperature,
        args.feature_norm,
    )
    if 'knn' in args.protocols:
        print(f'kNN on {args.feature_norm} features')
    print(format_summary(summary))

    out = args.out or osp.join(
        'work_dirs',
        'eval_representation',
        osp.splitext(osp.basename(args.checkpoint))[0] + '.json',
    )
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        json.dump(
            dict(
                checkpoint=args.checkpoint,
                encoder=description,
                data=args.data,
                classes=samples.classes,
                num_images=len(paths),
                img_size=args.img_size,
                k=args.k,
                temperature=args.temperature,
                feature_norm=args.feature_norm,
                split=(
                    'lists'
                    if args.train_list
                    else dict(
                        train_fraction=args.train_fraction,
                        train_per_class=args.train_per_class,
                        seeds=args.seeds,
                    )
                ),
                results=summary,
            ),
            f,
            indent=1,
        )
    print(f'results written to {out}')


if __name__ == '__main__':
    main()
