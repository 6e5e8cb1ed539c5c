"""Extract the backbone of an SLFFM pretraining checkpoint for downstream fine-tuning.

    python tools/extract_backbone.py \
        work_dirs/slffm_convnext-b_200e_geosense/epoch_200.pth \
        checkpoints/slffm_convnext-b_backbone.pth

The output is in mmpretrain's ConvNeXt layout. The fine-tuning configs load
``checkpoints/slffm_convnext-{b,l}_backbone.pth`` (their ``backbone_checkpoint``) by default;
another path: ``--cfg-options model.backbone.init_cfg.checkpoint=PATH``.
"""

import argparse

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis import export_backbone
from mmslffm.apis.cli import (
    add_checkpoint_arguments,
    add_debug_argument,
    exit_on_user_error,
)
from mmslffm.checkpoint import trusting_checkpoints


@exit_on_user_error
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument('src', help='pretraining checkpoint (tools/train.py)')
    parser.add_argument('dst', help='backbone checkpoint to write')
    parser.add_argument(
        '--prefix',
        default='backbone.',
        help="where the backbone sits in src ('backbone.')",
    )
    add_checkpoint_arguments(parser, allow_partial=False)
    add_debug_argument(parser)
    args = parser.parse_args()
    with trusting_checkpoints(args.unsafe_load):
        report = export_backbone(args.src, args.dst, prefix=args.prefix)
    print(
        f'backbone written to {args.dst} '
        f'({len(report.dropped)} non-backbone keys dropped)'
    )


if __name__ == '__main__':
    main()
