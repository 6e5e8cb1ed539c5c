"""Downloading checkpoints: cached per URL, checked against a hash, never hanging.

``torch.hub.download_url_to_file`` (behind mmengine's http loader) waits forever on a
stalled server, and the cache in front of it is keyed by the file's basename: a file cached
(or planted) for one URL is loaded for every other URL of that basename. Here:

* the cache path holds a hash of the whole URL (fragment excluded):
  ``<torch hub dir>/checkpoints/<url hash>/<basename>``;
* ``URL#sha256=<64 hex digits>`` is checked after the download and at every later use of
  the cached file (as ``torch.hub``'s ``check_hash``, with the whole digest);
* every read waits at most ``timeout`` seconds (``MMSLFFM_DOWNLOAD_TIMEOUT``, default 60);
* the file is written to ``<path>.part`` and renamed when whole and verified;
* every error is one line naming the URL.
"""

import hashlib
import os
import os.path as osp
import re
import urllib.error
import urllib.request
from typing import Optional
from urllib.parse import urldefrag, urlparse

import torch

from mmslffm.utils.atomic_output import written_atomically
from .errors import CheckpointError

DEFAULT_TIMEOUT_S = 60.0
TIMEOUT_ENV = 'MMSLFFM_DOWNLOAD_TIMEOUT'
SHA256_FRAGMENT = re.compile(r'^sha256=([0-9a-fA-F]{64})$')
CHUNK = 1 << 20


def download_timeout() -> float:
    """Seconds a download may stall: ``MMSLFFM_DOWNLOAD_TIMEOUT`` or 60."""
    value = os.environ.get(TIMEOUT_ENV, '')
    try:
        timeout = float(value) if value else DEFAULT_TIMEOUT_S
    except ValueError:
        timeout = -1.0
    if not timeout > 0:
        raise CheckpointError(
            f'{TIMEOUT_ENV}={value!r}: give a positive number of seconds'
        )
    return timeout


def cache_path(url: str) -> str:
    """Where ``url`` (fragment excluded) is cached: one folder per URL."""
    address = urldefrag(url)[0]
    key = hashlib.sha256(address.encode()).hexdigest()[:16]
    name = osp.basename(urlparse(address).path) or 'checkpoint.pth'
    return osp.join(torch.hub.get_dir(), 'checkpoints', key, name)


def expected_sha256(url: str) -> Optional[str]:
    """The digest a ``#sha256=<hex>`` fragment asks for, if any."""
    fragment = urldefrag(url)[1]
    if not fragment:
        return None
    match = SHA256_FRAGMENT.match(fragment)
    if match is None:
        raise CheckpointError(
            f'{url}: the URL fragment #{fragment} is not #sha256=<64 hex '
            'digits>: fix or remove it'
        )
    return match.group(1).lower()


def _sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, 'rb') as file:
        for chunk in iter(lambda: file.read(CHUNK), b''):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(url: str, target: str, timeout: float) -> None:
    """Stream ``url`` into ``target``; every read waits at most ``timeout``."""
    request = urllib.request.Request(
        urldefrag(url)[0], headers={'User-Agent': 'mmslffm'}
    )
    try:
        with (
            urllib.request.urlopen(request, timeout=timeout) as response,
            open(target, 'wb') as file,
        ):
            for chunk in iter(lambda: response.read(CHUNK), b''):
                file.write(chunk)
    except urllib.error.HTTPError as error:
        raise CheckpointError(
            f'{url}: download refused by the server (HTTP {error.code} '
            f'{error.reason}): check the URL'
        ) from None
    except TimeoutError:
        raise CheckpointError(
            f'{url}: the download stalled for {timeout:g} s: try again '
            f'later, or raise {TIMEOUT_ENV} (seconds)'
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, 'reason', None) or error
        if isinstance(reason, TimeoutError):
            raise CheckpointError(
                f'{url}: the download stalled for {timeout:g} s: try again '
                f'later, or raise {TIMEOUT_ENV} (seconds)'
            ) from None
        raise CheckpointError(
            f'{url}: download failed ({reason}): check the URL and the '
            'network, or download the file and give its local path'
        ) from None


def download_checkpoint(url: str, timeout: Optional[float] = None) -> str:
    """The local copy of ``url``: downloaded once, verified when a hash is given.

    Args:
        url: http(s) URL, optionally ending in ``#sha256=<hex>``.
        timeout: seconds a read may stall (default :func:`download_timeout`).

    Returns:
        The cached file's path.

    Raises:
        CheckpointError: download failed or stalled, or the hash differs.
    """
    path = cache_path(url)
    digest = expected_sha256(url)
    if not osp.isfile(path):
        os.makedirs(osp.dirname(path), exist_ok=True)
        with written_atomically(path) as partial:
            _fetch(url, partial, timeout or download_timeout())
            if digest is not None:
                _verify(url, partial, digest, downloaded=True)
    elif digest is not None:
        _verify(url, path, digest, downloaded=False)
    return path


def _verify(url: str, path: str, digest: str, downloaded: bool) -> None:
    actual = _sha256_of(path)
    if actual == digest:
        return
    where = 'the downloaded file' if downloaded else f'the cached {path}'
    raise CheckpointError(
        f'{url}: {where} has sha256 {actual}, the URL asks for {digest}: '
        'the file was changed or damaged; do not use it'
        + ('' if downloaded else ' (delete the cached file to download again)')
    )
