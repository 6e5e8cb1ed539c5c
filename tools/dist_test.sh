#!/usr/bin/env bash
# Multi-process testing with torchrun: tools/dist_test.sh CONFIG CHECKPOINT NPROC [test.py args]
# Python: $PY (default `python`); without CUDA the processes run on the CPU (gloo).
set -euo pipefail
CONFIG=$1
CHECKPOINT=$2
GPUS=$3
shift 3
exec "${PY:-python}" -m torch.distributed.run --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}" \
  --master_addr="${MASTER_ADDR:-127.0.0.1}" --master_port="${MASTER_PORT:-29500}" \
  --nproc_per_node="$GPUS" "$(dirname "$0")/test.py" "$CONFIG" "$CHECKPOINT" --launcher pytorch "$@"
