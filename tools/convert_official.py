"""Convert an official SLFFM release (or SparK / Facebook / timm ConvNeXt) checkpoint to mmslffm.

Backbone, for fine-tuning (any file the release writes, or another ConvNeXt layout):

    python tools/convert_official.py convnext_base_1kpretrained_timm_style.pth \
        checkpoints/slffm_convnext-b_backbone.pth

Whole pretraining model, for continued pretraining (the release's with-decoder file and the
pretraining config of the same arch):

    python tools/convert_official.py convnext_base_withdecoder_1kpretrained_pcfm_style.pth \
        checkpoints/slffm_convnext-b_release.pth \
        --config configs/pretrain/slffm_convnext-b_200e_geosense.py
    python tools/train.py MY_CONFIG --cfg-options load_from=checkpoints/slffm_convnext-b_release.pth

Prints the fate of every entry and key of a release file (converted to which key, or dropped
and why) and refuses (exit 2, one line) a file it cannot account for.
"""

import argparse

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmengine.config import DictAction

from mmslffm.apis.cli import (
    add_checkpoint_arguments,
    add_debug_argument,
    exit_on_user_error,
)
from mmslffm.apis.convert_release import (
    convert_release_backbone,
    convert_release_pretraining_checkpoint,
)
from mmslffm.checkpoint import trusting_checkpoints


@exit_on_user_error
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='release (or other ConvNeXt) checkpoint')
    parser.add_argument('dst', help='checkpoint to write')
    parser.add_argument(
        '--config',
        help='pretraining config: convert the whole with-decoder model into '
        "this config's SLFFM model (for load_from) instead of the backbone",
    )
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of --config, as in tools/train.py',
    )
    add_checkpoint_arguments(parser, allow_partial=False)
    add_debug_argument(parser)
    args = parser.parse_args()
    if args.cfg_options and not args.config:
        parser.error('--cfg-options applies to --config only')
    with trusting_checkpoints(args.unsafe_load):
        if args.config:
            fates = convert_release_pretraining_checkpoint(
                args.src, args.dst, args.config, args.cfg_options
            )
        else:
            report, fates = convert_release_backbone(args.src, args.dst)
    for fate in fates:
        print(fate.line())
    if args.config:
        converted = sum(fate.target is not None for fate in fates)
        print(
            f'SLFFM pretraining model written to {args.dst} ({converted} '
            f'keys converted, {len(fates) - converted} entries dropped)'
        )
    else:
        print(
            f'backbone written to {args.dst} '
            f'({len(report.dropped)} non-backbone keys dropped)'
        )


if __name__ == '__main__':
    main()
