"""Two instances on Redis behind nginx, beside one instance on the embedded default.

In one run, each setup in turn against its own fake Bot API (tests/fakebotapi, in this
process), `helpline-bot run` in webhook mode exactly as shipped:

- one: a single instance, the state and outbox in SQLite files (the default), the fake
  posting straight to it;
- two: two instances sharing a redis-server (`--state redis://...`), behind nginx with
  the project's deploy/nginx files (an upstream of two), the fake posting to nginx.

Measured: a burst (every update queued at once, one chat each): updates answered a second,
and how fast they were acknowledged (the webhook's 200s); a steady stream at 30 a second
(Telegram's limit): reply latency p50/p99, from the fake handing an update over to the
sendMessage that answers it (and at 25 a second, under the two instances' shared pace
of 28); and, for two, the Redis round trips per update, counted
with MONITOR (commands sent by the bots, not those their Lua scripts run) over a slower
stream of its own.

    python3 bench/instances.py [--burst 600] [--steady 300 --rate 30 25] [--monitored 100]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import redis
from benchlib import bot_env, percentile, table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotAPI  # noqa: E402
from nginx_proxy import nginx_two  # noqa: E402
from redis_server import redis_server  # noqa: E402

TEXT = "croydon"
SECRET = "bench-instances-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def bots(env: dict[str, str], ports: list[int], logs: Path) -> Iterator[None]:
    processes = []
    try:
        for n, port in enumerate(ports):
            out = (logs / f"bot{n}.log").open("w")
            args = ["run", "--listen", "127.0.0.1", "--port", str(port)]
            own = env | {"HELPLINE_OUTBOX": str(logs / f"outbox{n}.db")}
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", *args], env=own, stdout=out, stderr=subprocess.STDOUT
            )
            processes.append(process)
        yield
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


def wait_started(api: FakeBotAPI, count: int) -> None:
    deadline = time.monotonic() + 60
    while len(api.calls_to("setWebhook")) < count:
        if time.monotonic() > deadline:
            raise TimeoutError("the bots did not start")
        time.sleep(0.05)
    time.sleep(1.0)  # the menus in other languages, set after the start


def answered(
    api: FakeBotAPI, ids: dict[int, int], timeout: float, acked: list[float] | None = None
) -> dict[int, float]:
    """chat -> when its first answer arrived, once every chat has one (or the timeout).

    `acked` gets the time every update had been acknowledged (its 200), when it is seen.
    """
    deadline = time.monotonic() + timeout
    while True:
        if acked is not None and not acked and api.world.confirmed >= max(ids.values()):
            acked.append(time.perf_counter())
        first: dict[int, float] = {}
        for call in api.sent():
            chat = int(call.params["chat_id"])
            if chat in ids and chat not in first:
                first[chat] = call.at
        if len(first) == len(ids) or time.monotonic() > deadline:
            return first
        time.sleep(0.01)


def burst(api: FakeBotAPI, count: int, first_chat: int) -> dict[str, float]:
    chats = range(first_chat, first_chat + count)
    ids = {chat: api.send_text(TEXT, chat_id=chat)["update_id"] for chat in chats}
    acked: list[float] = []
    first = answered(api, ids, timeout=max(120, count / 5), acked=acked)
    start = min(api.delivered_at[i] for i in ids.values())
    return {
        "answered/s": len(first) / (max(first.values()) - start),
        "acknowledged/s": count / (acked[0] - start) if acked else float("nan"),
        "missing": count - len(first),
    }


def stream(api: FakeBotAPI, count: int, rate: float, first_chat: int) -> list[float]:
    """One update every 1/rate s, each in its own chat; latencies in ms."""
    ids = {}
    start = time.perf_counter()
    for n, chat in enumerate(range(first_chat, first_chat + count)):
        pause = start + n / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        ids[chat] = api.send_text(TEXT, chat_id=chat)["update_id"]
    first = answered(api, ids, timeout=120)
    return [(first[c] - api.delivered_at[i]) * 1000 for c, i in ids.items() if c in first]


def round_trips(url: str, api: FakeBotAPI, count: int, first_chat: int) -> float:
    """Commands the bots sent Redis per update, over `count` updates at 10 a second."""
    seen = {"bots": 0}
    names: Counter[str] = Counter()
    stop = threading.Event()

    def watch() -> None:
        with redis.Redis.from_url(url).monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                if stop.is_set():
                    return
                if command.get("client_type") != "lua" and command["command"] != "PING":
                    seen["bots"] += 1
                    names[command["command"].split()[0].upper()] += 1

    ready = threading.Event()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    ready.wait(5)
    time.sleep(1.0)
    before = seen["bots"]  # leases renewed, chats claimed: counted too, as they are
    names.clear()
    stream(api, count, 10.0, first_chat)
    time.sleep(0.5)
    after = seen["bots"]
    stop.set()
    redis.Redis.from_url(url).ping()  # wakes the watcher so that it ends
    print("Redis commands by name:", dict(names.most_common()))
    return (after - before) / count


def run_setup(name: str, args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    folder = workdir / name
    folder.mkdir()
    with FakeBotAPI() as api, contextlib.ExitStack() as stack:
        env = bot_env(api.token, api.base_url, workdir)
        env |= {"TELEGRAM_WEBHOOK_SECRET": SECRET, "XDG_STATE_HOME": str(folder / "state")}
        env["HELPLINE_STATE_DIR"] = str(folder / "state")
        url = ""
        if name == "two":
            url = stack.enter_context(redis_server(folder / "redis"))
            public, ports = free_port(), [free_port(), free_port()]
            stack.enter_context(nginx_two(folder, public, (ports[0], ports[1])))
            env |= {"HELPLINE_STATE": url, "HELPLINE_STATE_SECRET": "x" * 32}
        else:
            public = free_port()
            ports = [public]
        env["TELEGRAM_WEBHOOK_URL"] = f"http://127.0.0.1:{public}/telegram"
        stack.enter_context(bots(env, ports, folder))
        wait_started(api, len(ports))
        result: dict[str, object] = dict(burst(api, args.burst, 100_000))
        for n, rate in enumerate(args.rate):
            latencies = stream(api, args.steady, rate, 200_000 + n * 10_000)
            result[f"p50 ms at {rate:g}/s"] = percentile(latencies, 50)
            result[f"p99 ms at {rate:g}/s"] = percentile(latencies, 99)
        result["redis calls/update"] = (
            round_trips(url, api, args.monitored, 300_000) if url else 0.0
        )
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=600)
    parser.add_argument("--steady", type=int, default=300)
    parser.add_argument("--rate", type=float, nargs="+", default=[30.0, 25.0])
    parser.add_argument("--monitored", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="helpline-instances-") as tmp:
        workdir = Path(tmp)
        from bot.data.store import load_store
        from bot.domain.paths import data_dir

        load_store(data_dir(), workdir / "store.db")  # built once, shared
        os.environ.pop("HELPLINE_STATE", None)
        results = {name: run_setup(name, args, workdir) for name in ("one", "two")}
    latency = [f"{p} ms at {rate:g}/s" for rate in args.rate for p in ("p50", "p99")]
    columns = ["answered/s", "acknowledged/s", "missing", *latency, "redis calls/update"]
    rows = [[name, *(r[c] for c in columns)] for name, r in results.items()]
    print(
        f"burst of {args.burst}; steady {args.steady} at each rate; "
        f"Redis counted over {args.monitored} at 10/s"
    )
    print(table(["setup", *columns], rows))


if __name__ == "__main__":
    main()
