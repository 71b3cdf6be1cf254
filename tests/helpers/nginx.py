"""Real nginx with deploy/nginx.conf.template in front of given upstreams, for the deploy tests."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.browser import free_port
from tests.helpers.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))

import render_nginx  # noqa: E402

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
needs_nginx = pytest.mark.skipif(not NGINX, reason="needs Debian's nginx (tests/run.sh installs it)")


@contextlib.contextmanager
def running_nginx(upstreams: list[str], port: int | None = None, **options) -> Iterator[str]:
    """nginx on loopback `port` (a free one by default) in front of `upstreams` (host:port); yields its URL, stops it
    afterwards. A port chosen beforehand lets what runs behind nginx name its address (an OIDC redirect URI)."""
    # nginx's workers run as nobody when it starts as root: their cache must be reachable (pytest's tmp is 0700)
    rundir = Path(tempfile.mkdtemp(prefix="industrikart-nginx-test-"))
    rundir.chmod(0o755)
    port = port or free_port()
    conf = rundir / "nginx.conf"
    conf.write_text(render_nginx.render(f"127.0.0.1:{port}", str(rundir), upstreams, **options))
    nginx = subprocess.Popen(
        [NGINX, "-c", str(conf), "-p", str(rundir), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2).close()
        except OSError as exc:
            return bool(getattr(exc, "code", None))  # nginx answered (the upstream may not have a health page)
        return True

    def stopped() -> str:
        nginx.kill()  # its stderr ends only when it does
        return f"nginx did not start: {nginx.stderr.read().decode()[-2000:]}"

    wait_until(answers, 20, stopped, process=nginx)
    try:
        yield url
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        shutil.rmtree(rundir, ignore_errors=True)
