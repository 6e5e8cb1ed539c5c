#!/usr/bin/env bash
# Build (once) and print the virtual environment mmslffm runs in.
#
# The environment lives outside the checkout, one per hash of requirements/*.txt, under
# ${MMSLFFM_ENV_ROOT:-~/.cache/mmslffm}: every clone with the same pins reuses it, so a second
# install takes seconds, and changing a pin builds a fresh one. The order matters and is the
# reason this is a script and not one `pip install`:
#   1. torch + torchvision, pinned, alone          (an unpinned torch pulls a multi-GB build)
#   2. numpy/opencv pins and mmcv's build tools
#   3. onedl-mmcv WITHOUT its C++ ops (build isolation: seconds; never put in pip's cache)
#   4. the rest of the OpenMMLab family, spconv, rasterio, pytest  -> .base-complete
#   5. onedl-mmcv again, with --no-build-isolation so its C++ ops compile  -> .complete
# The base (1-4) is all pretraining needs (`make demo`); detection needs the ops of step 5
# (~26 min on 2 cores the first time, then from pip's wheel cache).
#
# Usage: tools/setup_env.sh            build if needed, print the env's python on stdout's last line
#        tools/setup_env.sh --base     the same, stopping after step 4 (no compiled mmcv op)
#        tools/setup_env.sh --path     print the env's path only (no build)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${MMSLFFM_PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3

pins_hash=$(cat "$repo"/requirements/*.txt | sha256sum | cut -c1-12)
env_dir=${MMSLFFM_ENV_ROOT:-$HOME/.cache/mmslffm}/env-$pins_hash

if [[ "${1:-}" == "--path" ]]; then
  echo "$env_dir"
  exit 0
fi

log() { echo "[setup_env] $*" >&2; }

check_mmcv_ops() {
  "$env_dir/bin/python" - <<'PY'
import sys
try:
    from mmcv.ops import RoIAlignRotated, box_iou_rotated, nms_rotated  # noqa: F401
    import mmcv._ext  # noqa: F401
except Exception as err:  # the wheel was built without its C++ ops
    sys.exit(f'mmcv has no compiled ops: {err}')
PY
}

if [[ -f "$env_dir/.complete" || ( "${1:-}" == "--base" && -f "$env_dir/.base-complete" ) ]]; then
  echo "$env_dir/bin/python"
  exit 0
fi
pip=("$env_dir/bin/python" -m pip install --disable-pip-version-check --progress-bar off)

if [[ ! -f "$env_dir/.base-complete" ]]; then
  log "building $env_dir (first time for these pins)"
  rm -rf "$env_dir"
  mkdir -p "$(dirname "$env_dir")"
  "$python" -m venv "$env_dir"
  log "1/5 torch"
  "${pip[@]}" -r "$repo/requirements/torch.txt" >&2
  log "2/5 numpy, opencv, build tools"
  "${pip[@]}" -r "$repo/requirements/build.txt" >&2
  log "3/5 mmcv without its C++ ops (seconds; step 5 compiles them)"
  # Build isolation hides torch from mmcv's setup.py, which then skips its ops (measured: 9 s);
  # --no-cache-dir keeps that ops-less wheel out of pip's cache, where step 5 would reuse it.
  "${pip[@]}" --no-cache-dir -r "$repo/requirements/mmcv.txt" >&2
  log "4/5 OpenMMLab family, spconv, rasterio, test tools"
  "${pip[@]}" -r "$repo/requirements/runtime.txt" -r "$repo/requirements/tests.txt" \
    -c "$repo/requirements/torch.txt" -c "$repo/requirements/build.txt" >&2
  "$env_dir/bin/python" -m pip check >&2
  touch "$env_dir/.base-complete"
  log "base ready (pretraining): $env_dir"
fi
if [[ "${1:-}" == "--base" ]]; then
  echo "$env_dir/bin/python"
  exit 0
fi

log "5/5 mmcv's C++ ops (~26 min on 2 cores unless pip's wheel cache has them)"
"$env_dir/bin/python" -m pip uninstall -y onedl-mmcv >&2
MAX_JOBS=${MAX_JOBS:-2} "${pip[@]}" --no-build-isolation --no-deps \
  -r "$repo/requirements/mmcv.txt" >&2
if ! check_mmcv_ops >&2; then
  log "cached mmcv wheel has no ops: rebuilding it without the cache"
  "$env_dir/bin/python" -m pip uninstall -y onedl-mmcv >&2
  "$env_dir/bin/python" -m pip cache remove 'onedl_mmcv*' >&2 || true
  MAX_JOBS=${MAX_JOBS:-2} "${pip[@]}" --no-build-isolation --no-cache-dir --no-deps \
    -r "$repo/requirements/mmcv.txt" >&2
  check_mmcv_ops >&2
fi
"$env_dir/bin/python" -m pip check >&2

touch "$env_dir/.complete"
log "ready: $env_dir"
echo "$env_dir/bin/python"
