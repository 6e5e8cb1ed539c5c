"""Downloaded checkpoints: cached per URL, hash-checked, timed out, URL in every error.

A server on 127.0.0.1 (a thread of this process, stopped after each test) serves
``/<folder>/<name>`` from a dict, or stalls on ``/stall/...``.
"""

import hashlib
import os
import os.path as osp
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import torch

from mmslffm.checkpoint import CheckpointError, load_checkpoint_file
from mmslffm.checkpoint.downloads import TIMEOUT_ENV, cache_path


@pytest.fixture
def server(tmp_path, monkeypatch):
    """(base URL, files dict) of a local server; torch's hub dir in tmp."""
    monkeypatch.setattr(torch.hub, 'get_dir', lambda: str(tmp_path / 'hub'))
    files, stop = {}, threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.startswith('/stall/'):
                self.send_response(200)
                self.send_header('Content-Length', '1000')
                self.end_headers()
                self.wfile.write(b'PK')
                self.wfile.flush()
                stop.wait(10)  # never more than the test lasts
                return
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f'http://127.0.0.1:{httpd.server_address[1]}', files
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def _checkpoint_bytes(tmp_path, value: float) -> bytes:
    path = tmp_path / f'c{value}.pth'
    torch.save({'state_dict': {'w': torch.full((3,), value)}}, path)
    return path.read_bytes()


def test_same_basename_different_urls_get_their_own_files(server, tmp_path):
    base, files = server
    files['/a/model.pth'] = _checkpoint_bytes(tmp_path, 1.0)
    files['/b/model.pth'] = _checkpoint_bytes(tmp_path, 2.0)
    first = load_checkpoint_file(f'{base}/a/model.pth')
    second = load_checkpoint_file(f'{base}/b/model.pth')
    assert (
        first['state_dict']['w'][0] == 1 and second['state_dict']['w'][0] == 2
    )
    assert cache_path(f'{base}/a/model.pth') != cache_path(
        f'{base}/b/model.pth'
    )
    del files['/a/model.pth']  # the second read comes from the cache
    assert (
        load_checkpoint_file(f'{base}/a/model.pth')['state_dict']['w'][0] == 1
    )


def test_sha256_fragment_is_checked(server, tmp_path):
    base, files = server
    body = _checkpoint_bytes(tmp_path, 3.0)
    files['/m.pth'] = body
    right = hashlib.sha256(body).hexdigest()
    wrong = hashlib.sha256(b'other').hexdigest()
    url = f'{base}/m.pth#sha256={wrong}'
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(url)
    message = str(error.value)
    assert message.startswith(f'{url}: the downloaded file has sha256 {right}')
    assert '\n' not in message
    assert load_checkpoint_file(f'{base}/m.pth#sha256={right}')['state_dict']
    # a cached file replaced later is refused too
    with open(cache_path(f'{base}/m.pth'), 'ab') as cached:
        cached.write(b'planted')
    with pytest.raises(CheckpointError, match='the cached .* has sha256'):
        load_checkpoint_file(f'{base}/m.pth#sha256={right}')
    with pytest.raises(CheckpointError, match='is not #sha256=<64 hex'):
        load_checkpoint_file(f'{base}/m.pth#md5=abc')


def test_stalled_download_times_out(server, monkeypatch):
    base, _ = server
    monkeypatch.setenv(TIMEOUT_ENV, '0.5')
    url = f'{base}/stall/model.pth'
    start = time.monotonic()
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(url)
    assert time.monotonic() - start < 5
    assert str(error.value).startswith(
        f'{url}: the download stalled for 0.5 s'
    )
    # nothing in the cache folder: no file, no partial download
    assert os.listdir(osp.dirname(cache_path(url))) == []


def test_http_errors_name_the_url(server, monkeypatch):
    base, _ = server
    with pytest.raises(CheckpointError) as error:
        load_checkpoint_file(f'{base}/missing.pth')
    assert str(error.value).startswith(f'{base}/missing.pth: download refused')
    assert 'HTTP 404' in str(error.value)
    monkeypatch.setenv(TIMEOUT_ENV, 'soon')
    with pytest.raises(CheckpointError, match=f'{TIMEOUT_ENV}=.soon.'):
        load_checkpoint_file(f'{base}/missing.pth')


def test_train_py_names_the_url_of_a_wrong_pretrained_file(
    server, tmp_path, monkeypatch
):
    """init_cfg=Pretrained with a URL: the hash mismatch is one line."""
    from mmslffm.testing import REPO_ROOT
    from mmslffm.testing.in_process import run_in_process
    from tests.tools.test_untrusted_checkpoints import LEVIR

    base, files = server
    files['/backbone.pth'] = _checkpoint_bytes(tmp_path, 4.0)
    url = f'{base}/backbone.pth#sha256={"0" * 64}'
    config = tmp_path / 'from_url.py'
    config.write_text(
        f"_base_ = ['{REPO_ROOT / LEVIR}']\nmodel = dict(backbone=dict("
        f"init_cfg=dict(_delete_=True, type='Pretrained', checkpoint='{url}')))\n"
    )
    args = ['tools/train.py', str(config), '--work-dir', str(tmp_path / 'w')]
    proc = run_in_process(args, monkeypatch)
    assert proc.returncode == 2 and 'Traceback' not in proc.stderr
    assert (
        proc.stderr.strip()
        .splitlines()[-1]
        .startswith(
            f'train.py: error: CheckpointError: {url}: the downloaded file has'
        )
    )
