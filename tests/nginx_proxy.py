"""nginx in front of two bot instances: the project's deploy/nginx files, run as they are.

helpline-upstream.conf (its two ports replaced) at the http level, helpline-webhook.conf
in the server block; nginx logs which instance got each request (`$upstream_addr`).
Used by tests/fronts/telegram/test_two_instances.py and bench/instances.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "nginx"
NGINX = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))


@contextlib.contextmanager
def nginx_two(folder: Path, listen: int, ports: tuple[int, int]) -> Iterator[Path]:
    """nginx with the project's two files; yields its log of which instance got what."""
    upstream = (DEPLOY / "helpline-upstream.conf").read_text()
    upstream = upstream.replace("127.0.0.1:8081", f"127.0.0.1:{ports[0]}")
    upstream = upstream.replace("127.0.0.1:8082", f"127.0.0.1:{ports[1]}")
    (folder / "upstream.conf").write_text(upstream)
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    spread = folder / "spread.log"
    conf.write_text(
        f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    log_format spread '$upstream_addr $status';
    access_log {spread} spread;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/upstream.conf;
    server {{
        listen 127.0.0.1:{listen};
        include {DEPLOY / "helpline-webhook.conf"};
    }}
}}
"""
    )
    assert NGINX is not None, "CI must run this test: install nginx"
    with running_nginx(folder, conf, listen):
        yield spread


@contextlib.contextmanager
def running_nginx(folder: Path, conf: Path, listen: int) -> Iterator[subprocess.Popen[bytes]]:
    """nginx on `conf` until the block ends, once it takes connections on `listen`."""
    assert NGINX is not None
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", listen), 1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {process.stderr.read()!r}")  # type: ignore[union-attr]
            time.sleep(0.05)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
