"""Convert a reference SLFFM / SparK / Facebook / timm ConvNeXt checkpoint to mmslffm's layout.

    python tools/convert_official.py convnext_base_slffm.pth \
        checkpoints/slffm_convnext-b_backbone.pth

Strips the ``module.`` and ``sparse_encoder.sp_cnn.`` wrappers, renames ``dwconv`` /
``pwconv1`` / ``pwconv2`` (and timm's names), drops decoder and classifier weights, and refuses
(exit 2) when fewer than 95% of the backbone weights match.
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
    parser.add_argument('src', help='reference checkpoint')
    parser.add_argument('dst', help='backbone checkpoint to write')
    add_checkpoint_arguments(parser, allow_partial=False)
    add_debug_argument(parser)
    args = parser.parse_args()
    with trusting_checkpoints(args.unsafe_load):
        report = export_backbone(
            args.src, args.dst, method='SLFFM (reference release)'
        )
    print(
        f'backbone written to {args.dst} '
        f'({len(report.dropped)} non-backbone keys dropped)'
    )


if __name__ == '__main__':
    main()
