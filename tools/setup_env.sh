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
#   5. onedl-mmcv's wheel with its C++ ops (--no-build-isolation), built ASIDE into a wheel folder
#      shared by every environment with the same torch and mmcv pins, then swapped in for the
#      ops-less package in seconds  -> .complete
# The base (1-4) is all pretraining needs (`make demo`); detection needs the ops of step 5
# (~26 min on 2 cores the first time, then seconds). While step 5 compiles, the environment keeps
# its working ops-less mmcv: `make demo` and every tool that needs no compiled op still run.
#
# Usage: tools/setup_env.sh            build if needed, print the env's python on stdout's last line
#        tools/setup_env.sh --base     the same, stopping after step 4 (no compiled mmcv op)
#        tools/setup_env.sh --path     print the env's path only (no build)
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
python=${MMSLFFM_PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3

env_root=${MMSLFFM_ENV_ROOT:-$HOME/.cache/mmslffm}
pins_hash=$(cat "$repo"/requirements/*.txt | sha256sum | cut -c1-12)
env_dir=$env_root/env-$pins_hash
# The compiled mmcv depends only on these two pins (and the machine), not on the other packages.
ops_hash=$(cat "$repo"/requirements/torch.txt "$repo"/requirements/mmcv.txt | sha256sum | cut -c1-12)
wheel_dir=$env_root/wheels/mmcv-ops-$ops_hash

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

# wheel_has_ops WHEEL: exit 0 when the wheel file carries mmcv's compiled extension.
wheel_has_ops() {
  "$python" - "$1" <<'PY'
import sys, zipfile
try:
    names = zipfile.ZipFile(sys.argv[1]).namelist()
except (OSError, zipfile.BadZipFile):
    sys.exit(1)
sys.exit(0 if any(n.startswith('mmcv/_ext') and n.endswith('.so') for n in names) else 1)
PY
}

# compiled_wheel: print the wheel with ops, building it aside first when none is there. The
# environment is not touched: it keeps its ops-less mmcv until the finished wheel is swapped in.
compiled_wheel() {
  local wheel
  wheel=$(ls "$wheel_dir"/onedl_mmcv-*.whl 2>/dev/null | head -n 1 || true)
  if [[ -n "$wheel" ]] && wheel_has_ops "$wheel"; then
    echo "$wheel"
    return
  fi
  mkdir -p "$wheel_dir"
  local build
  build=$(mktemp -d "$wheel_dir.build.XXXXXX")
  log "5/5 compiling mmcv's C++ ops aside (~26 min on 2 cores; the environment stays usable)"
  MAX_JOBS=${MAX_JOBS:-2} "$env_dir/bin/python" -m pip wheel --disable-pip-version-check \
    --progress-bar off --no-build-isolation --no-deps -w "$build" \
    -r "$repo/requirements/mmcv.txt" >&2
  wheel=$(ls "$build"/onedl_mmcv-*.whl | head -n 1)
  if ! wheel_has_ops "$wheel"; then
    # pip's wheel cache keys the build on the sdist only: an ops-less wheel cached once is reused
    log "cached mmcv wheel has no ops: rebuilding it without the cache"
    rm -f "$build"/*.whl
    MAX_JOBS=${MAX_JOBS:-2} "$env_dir/bin/python" -m pip wheel --disable-pip-version-check \
      --progress-bar off --no-build-isolation --no-cache-dir --no-deps -w "$build" \
      -r "$repo/requirements/mmcv.txt" >&2
    wheel=$(ls "$build"/onedl_mmcv-*.whl | head -n 1)
    wheel_has_ops "$wheel" || { log "the mmcv build produced no compiled ops"; exit 1; }
  fi
  mv "$wheel" "$wheel_dir/"  # same file system: atomic, so a half-written wheel is never found
  rm -rf "$build"
  echo "$wheel_dir/$(basename "$wheel")"
}

if [[ -f "$env_dir/.complete" || ( "${1:-}" == "--base" && -f "$env_dir/.base-complete" ) ]]; then
  echo "$env_dir/bin/python"
  exit 0
fi
pip=("$env_dir/bin/python" -m pip install --disable-pip-version-check --progress-bar off)

mkdir -p "$env_root"
# Two builds at once (a `make test` beside a CI run) would wipe each other's environment: the
# second waits for the first and then finds its work done. `--base` users never wait on step 5.
exec 8>"$env_dir.lock"
flock 8
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
  log "4/5 OpenMMLab family, spconv, rasterio, test and docs tools"
  "${pip[@]}" -r "$repo/requirements/runtime.txt" -r "$repo/requirements/tests.txt" \
    -r "$repo/requirements/docs.txt" \
    -c "$repo/requirements/torch.txt" -c "$repo/requirements/build.txt" >&2
  "$env_dir/bin/python" -m pip check >&2
  touch "$env_dir/.base-complete"
  log "base ready (pretraining): $env_dir"
fi
flock -u 8
if [[ "${1:-}" == "--base" ]]; then
  echo "$env_dir/bin/python"
  exit 0
fi

mkdir -p "$(dirname "$wheel_dir")"
exec 9>"$wheel_dir.lock"
flock 9
wheel=$(compiled_wheel)
log "5/5 swapping in $(basename "$wheel")"
# One pip call replaces the ops-less package by the compiled one (pip rolls back on failure).
"${pip[@]}" --no-deps --force-reinstall "$wheel" >&2
check_mmcv_ops >&2
"$env_dir/bin/python" -m pip check >&2

touch "$env_dir/.complete"
log "ready: $env_dir"
echo "$env_dir/bin/python"
