#!/usr/bin/env bash
# Multi-GPU training with torchrun: tools/dist_train.sh CONFIG GPUS [train.py args]
# Multi-node: set NNODES, NODE_RANK, MASTER_ADDR, MASTER_PORT. Slurm: use
# `srun python tools/train.py CONFIG --launcher slurm` (mmengine reads Slurm's variables).
set -euo pipefail
CONFIG=$1
GPUS=$2
shift 2
exec torchrun --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}" \
  --master_addr="${MASTER_ADDR:-127.0.0.1}" --master_port="${MASTER_PORT:-29500}" \
  --nproc_per_node="$GPUS" "$(dirname "$0")/train.py" "$CONFIG" --launcher pytorch "$@"
