"""Plot a run's loss, learning rate and metrics against the iteration, to a PNG.

    python tools/plot_curves.py WORK_DIR_OR_SCALARS_JSON [--keys loss lr mIoU] [--out curves.png]

Reads mmengine's ``vis_data/scalars.json`` (the newest under WORK_DIR); by default plots
every loss term, the learning rate and the summary metrics (per-class ones with --keys).
"""

import argparse
import os.path as osp

from mmslffm.utils.quiet_imports import import_datasets_quietly

# Before the imports below load mmdet/mmseg/mmrotate/mmpretrain: without the
# "Could not import OneDL" lines their dataset packages print on import.
import_datasets_quietly()

from mmslffm.apis.cli import exit_on_user_error
from mmslffm.visualization.training_curves import (
    find_scalar_log,
    plot_curves,
    read_scalars,
)


@exit_on_user_error
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('run', help='work dir of a run, or its scalars.json')
    parser.add_argument(
        '--keys', nargs='+', help='keys to plot (default: losses, lr, metrics)'
    )
    parser.add_argument(
        '--out', help='PNG to write (default: curves.png beside the log)'
    )
    args = parser.parse_args()
    log_file = find_scalar_log(args.run)
    out = args.out or osp.join(osp.dirname(log_file), 'curves.png')
    keys = plot_curves(
        read_scalars(log_file), out, args.keys, title=osp.relpath(log_file)
    )
    print(f'{", ".join(keys)} from {log_file} plotted to {out}')


if __name__ == '__main__':
    main()
