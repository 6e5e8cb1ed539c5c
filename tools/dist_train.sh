#!/usr/bin/env bash
# Multi-process training with torchrun: tools/dist_train.sh CONFIG NPROC [train.py args]
# One process per GPU; without CUDA the processes train on the CPU (gloo). Python: $PY (default
# `python`). Multi-node: set NNODES, NODE_RANK, MASTER_ADDR, MASTER_PORT on every node. Slurm:
# `srun python tools/train.py CONFIG --launcher slurm` (mmengine reads Slurm's variables).
set -euo pipefail
CONFIG=$1
GPUS=$2
shift 2
exec "${PY:-python}" -m torch.distributed.run --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}" \
  --master_addr="${MASTER_ADDR:-127.0.0.1}" --master_port="${MASTER_PORT:-29500}" \
  --nproc_per_node="$GPUS" "$(dirname "$0")/train.py" "$CONFIG" --launcher pytorch "$@"
