"""tools/setup_env.sh step 5: mmcv's ops are compiled aside and swapped in.

The environment is faked (its ``bin/python`` is a script that records every
call and, for ``pip wheel``, writes a wheel with or without the compiled
extension), so these tests check the order of the steps in seconds, not the
26-minute compile itself.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mmslffm.testing import REPO_ROOT

SCRIPT = REPO_ROOT / 'tools' / 'setup_env.sh'
WHEEL_NAME = 'onedl_mmcv-2.3.6-cp311-cp311-linux_x86_64.whl'

# Records its arguments; `pip wheel -w DIR` writes a wheel into DIR, with the
# compiled extension unless FAKE_BUILD_WITHOUT_OPS is set; a heredoc run
# (`python -`, the ops check) exits with FAKE_OPS_CHECK_RC.
FAKE_PYTHON = f"""#!/usr/bin/env bash
echo "$*" >> "$FAKE_LOG"
if [[ "$1 $2 $3" == "-m pip wheel" ]]; then
  while [[ $# -gt 0 ]]; do
    [[ "$1" == "-w" ]] && out=$2
    shift
  done
  "$REAL_PYTHON" - "$out/{WHEEL_NAME}" <<'PY'
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as whl:
    whl.writestr('mmcv/__init__.py', '')
    if not os.environ.get('FAKE_BUILD_WITHOUT_OPS'):
        whl.writestr('mmcv/_ext.cpython-311-x86_64-linux-gnu.so', 'x')
PY
elif [[ "$1" == "-" ]]; then
  cat > /dev/null
  exit "${{FAKE_OPS_CHECK_RC:-0}}"
fi
"""


def write_wheel(path: Path, with_ops: bool) -> None:
    with zipfile.ZipFile(path, 'w') as whl:
        whl.writestr('mmcv/__init__.py', '')
        if with_ops:
            whl.writestr('mmcv/_ext.cpython-311-x86_64-linux-gnu.so', 'x')


@pytest.fixture
def fake_env(tmp_path):
    """An environment root whose base (steps 1-4) is done, with a fake python."""
    env = dict(
        os.environ,
        MMSLFFM_ENV_ROOT=str(tmp_path / 'root'),
        MMSLFFM_PYTHON=sys.executable,
        REAL_PYTHON=sys.executable,
        FAKE_LOG=str(tmp_path / 'calls.log'),
    )
    env_dir = Path(
        subprocess.run(
            ['bash', str(SCRIPT), '--path'],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (env_dir / 'bin').mkdir(parents=True)
    python = env_dir / 'bin' / 'python'
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    (env_dir / '.base-complete').touch()
    return env, env_dir


def run_setup(env: dict, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ['bash', str(SCRIPT)],
        env=dict(env, **extra),
        capture_output=True,
        text=True,
        timeout=60,
    )


def calls(env: dict) -> list:
    return Path(env['FAKE_LOG']).read_text().splitlines()


def wheel_dirs(env: dict) -> list:
    root = Path(env['MMSLFFM_ENV_ROOT']) / 'wheels'
    return sorted(p for p in root.glob('mmcv-ops-*') if p.is_dir())


def test_builds_aside_then_swaps_in_without_uninstalling(fake_env):
    env, env_dir = fake_env
    proc = run_setup(env)
    assert proc.returncode == 0, proc.stderr
    log = calls(env)
    build = next(i for i, c in enumerate(log) if c.startswith('-m pip wheel'))
    swap = next(
        i
        for i, c in enumerate(log)
        if c.startswith('-m pip install') and '--force-reinstall' in c
    )
    # the ops-less mmcv stays installed until the compiled wheel exists
    assert not any('uninstall' in c for c in log)
    assert build < swap
    assert '--no-build-isolation' in log[build]
    (wheel_dir,) = wheel_dirs(env)
    assert f'{wheel_dir}/{WHEEL_NAME}' in log[swap]
    assert (env_dir / '.complete').exists()
    assert proc.stdout.strip().endswith(f'{env_dir}/bin/python')
    # no half-built folder is left beside the kept wheel
    assert [p.name for p in wheel_dir.parent.iterdir() if p.is_dir()] == [
        wheel_dir.name
    ]


def test_kept_wheel_with_ops_is_reused_without_compiling(fake_env):
    env, env_dir = fake_env
    assert run_setup(env).returncode == 0
    (env_dir / '.complete').unlink()
    Path(env['FAKE_LOG']).unlink()
    assert run_setup(env).returncode == 0
    log = calls(env)
    assert not any(c.startswith('-m pip wheel') for c in log)
    assert any('--force-reinstall' in c for c in log)


def test_wheel_without_ops_is_rebuilt_bypassing_pip_cache(fake_env):
    env, env_dir = fake_env
    proc = run_setup(env, FAKE_BUILD_WITHOUT_OPS='1')
    # both builds gave no ops: refused, nothing swapped in, not complete
    assert proc.returncode != 0
    assert 'produced no compiled ops' in proc.stderr
    log = calls(env)
    wheels = [c for c in log if c.startswith('-m pip wheel')]
    assert len(wheels) == 2 and '--no-cache-dir' in wheels[1]
    assert not any('--force-reinstall' in c for c in log)
    assert not (env_dir / '.complete').exists()


def test_stale_ops_less_wheel_in_the_kept_folder_is_replaced(fake_env):
    env, _ = fake_env
    root = Path(env['MMSLFFM_ENV_ROOT'])
    assert run_setup(env).returncode == 0
    (wheel_dir,) = wheel_dirs(env)
    write_wheel(wheel_dir / WHEEL_NAME, with_ops=False)
    complete = next(root.glob('env-*/.complete'))
    complete.unlink()
    assert run_setup(env).returncode == 0
    with zipfile.ZipFile(wheel_dir / WHEEL_NAME) as whl:
        assert any(n.startswith('mmcv/_ext') for n in whl.namelist())


def test_failed_ops_check_leaves_the_environment_incomplete(fake_env):
    env, env_dir = fake_env
    proc = run_setup(env, FAKE_OPS_CHECK_RC='1')
    assert proc.returncode != 0
    assert not (env_dir / '.complete').exists()
