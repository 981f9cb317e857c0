"""The webhook under abuse: memory under oversized requests, replies with idle connections.

`helpline-bot run` in webhook mode against the fake Bot API (tests/fakebotapi/, 127.0.0.1),
under an open-file limit of 1,024 (`ulimit -n 1024`, as many services run):

- RSS: a burst of unauthenticated POSTs (no secret) each sending a 99 MB body at once;
  the bot's RSS before, its peak (VmHWM) and after.
- Latency: 2,000 idle connections are opened to the webhook, then people write; the time
  from the fake handing over each update to the bot's reply (p50, p99, max), and how many
  got none within 10 s.

    python3 bench/webhook.py [--source DIR] [--burst 8] [--messages 20]

--source runs another checkout of the bot (e.g. one exported with `git archive` before
the webhook's limits), to compare before and after on the same machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchlib import bot_env, percentile, table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotAPI  # noqa: E402

SECRET = "bench-secret_1"
FILE_LIMIT = 1024
BODY = 99_000_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


def _status(pid: int, field: str) -> float:
    """A VmRSS/VmHWM figure of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_bot(api: FakeBotAPI, workdir: Path, port: int, source: Path) -> subprocess.Popen[bytes]:
    env = bot_env(api.token, api.base_url, workdir) | {
        "TELEGRAM_WEBHOOK_URL": f"http://127.0.0.1:{port}/hook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PYTHONPATH": str(source),
    }
    log = (workdir / "bot.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--port", str(port), "--log-level", "WARNING"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=source, preexec_fn=_limit_files,
    )  # fmt: skip
    api.send_text("croydon", chat_id=1)  # up and answering
    api.wait_for("sendMessage", timeout=60)
    return process


def stop_bot(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _oversized(port: int) -> None:
    """POST 99 MB without the secret, until the server stops reading."""
    head = (
        f"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {BODY}\r\n\r\n"
    ).encode()
    chunk = b" " * (1 << 20)
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 30) as sock:
        sock.sendall(head)
        for _ in range(BODY // len(chunk)):
            sock.sendall(chunk)
        sock.recv(100)


def memory(source: Path, burst: int) -> list[object]:
    with tempfile.TemporaryDirectory() as folder, FakeBotAPI() as api:
        port = _free_port()
        process = start_bot(api, Path(folder), port, source)
        try:
            before = _status(process.pid, "VmRSS")
            threads = [threading.Thread(target=_oversized, args=(port,)) for _ in range(burst)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            took = time.perf_counter() - started
            time.sleep(1)
            peak, after = _status(process.pid, "VmHWM"), _status(process.pid, "VmRSS")
        finally:
            stop_bot(process)
    return [before, peak, after, took]


def latency(source: Path, idle_count: int, messages: int) -> list[object]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, idle_count + 1024), hard))
    samples: list[float] = []
    missed = 0
    with tempfile.TemporaryDirectory() as folder, FakeBotAPI() as api:
        port = _free_port()
        process = start_bot(api, Path(folder), port, source)
        idle: list[socket.socket] = []
        try:
            for _ in range(idle_count):
                try:
                    idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
                except OSError:
                    break
            for n in range(messages):
                chat = 100 + n
                update = api.send_text("he's outside the door and I'm scared", chat_id=chat)
                try:
                    [call] = api.wait_for(
                        "sendMessage",
                        timeout=10,
                        where=lambda c, chat=chat: int(c.params.get("chat_id", 0)) == chat,
                    )
                except TimeoutError:
                    missed += 1
                    continue
                delivered = api.delivered_at.get(update["update_id"], call.at)
                samples.append((call.at - delivered) * 1000)
            log_size = (Path(folder) / "bot.log").stat().st_size
        finally:
            for sock in idle:
                sock.close()
            stop_bot(process)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return [
        len(idle),
        percentile(samples, 50),
        percentile(samples, 99),
        max(samples, default=float("nan")),
        f"{missed} of {messages}",
        f"{log_size / 1024:.0f} KB",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout of the bot to run")
    parser.add_argument("--burst", type=int, default=8, help="oversized requests at once")
    parser.add_argument("--idle", type=int, default=2000, help="idle connections to open")
    parser.add_argument("--messages", type=int, default=20)
    args = parser.parse_args()
    source = args.source.resolve()
    print(f"bot from {source}, open-file limit {FILE_LIMIT}\n")
    print(
        table(
            ["RSS before MB", "peak (VmHWM) MB", "after MB", "burst took s"],
            [memory(source, args.burst)],
        )
    )
    print(f"({args.burst} unauthenticated POSTs of {BODY / 1e6:.0f} MB at once)\n")
    print(
        table(
            ["idle open", "reply p50 ms", "p99 ms", "max ms", "no reply in 10 s", "log written"],
            [latency(source, args.idle, args.messages)],
        )
    )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
