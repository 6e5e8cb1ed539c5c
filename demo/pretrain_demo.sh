#!/usr/bin/env bash
# The README's first command (`make demo`): SLFFM pretraining on the bundled real tiles, on CPU.
# Trains, saves a checkpoint, extracts the backbone for fine-tuning, writes reconstruction PNGs.
set -euo pipefail
PY=${1:-python}
cd "$(dirname "$0")/.."
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH}
CONFIG=configs/pretrain/slffm_convnext-atto_cpu-demo_bundled-tiles.py
WORK=work_dirs/slffm_convnext-atto_cpu-demo_bundled-tiles
IMAGE=demo/data/pretrain_unlabeled/dota_P1888_x0256_y0000.jpg

"$PY" tools/train.py "$CONFIG" --work-dir "$WORK"
CKPT=$(cat "$WORK/last_checkpoint")
"$PY" tools/extract_backbone.py "$CKPT" "$WORK/slffm_demo_backbone.pth"
"$PY" tools/visualize_reconstruction.py "$CONFIG" "$CKPT" "$IMAGE" \
  --out "$WORK/reconstruction.png"

echo
echo "SLFFM demo done:"
echo "  checkpoint            $CKPT"
echo "  backbone (fine-tune)  $WORK/slffm_demo_backbone.pth"
echo "  previews during run   $WORK/previews/"
echo "  kNN monitor curve     $WORK/knn_monitor.png"
echo "  one image             $WORK/reconstruction.png"
