"""Who goes first under load: the quick exit behind a chat's own queue, danger behind a crowd.

`helpline-bot run` as shipped (long polling, its rate limits) against the fake Bot API
(tests/fakebotapi/) on 127.0.0.1, two runs of a fresh process each:

- exit: one chat sends 40 messages at once, then /exit as soon as the first reply is in;
  how long from the /exit being queued to the first deleteMessages, and how many replies
  reached the chat after the erase began;
- danger: 3,000 updates queued at once, one chat each, a danger message at every 100th
  place (30 of them); how long each danger message waited for its reply (from being
  queued), p50 and p99; the most messages sent in any one second after the first
  (Telegram allows 30 a second; python-telegram-bot's limiter lets a first second's
  burst through), and how many ordinary replies a second went out meanwhile.

    python3 bench/priority.py [--updates 3000] [--queued 40]
"""

from __future__ import annotations

import argparse
import bisect
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchlib import bot_env, percentile, table, verdict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotAPI  # noqa: E402

EXIT_TARGET = 1.0  # seconds from the exit to the erase beginning
DANGER_TARGET = 2.0  # seconds, p99, with 3,000 updates queued
DANGER = "he's outside the door and I'm scared"


@contextmanager
def helpline(api: FakeBotAPI, workdir: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = bot_env(api.token, api.base_url, workdir)
    command = [sys.executable, "-m", "bot", "run", "--log-level", "WARNING"]
    log = (workdir / "bot.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        api.wait_for("getUpdates", timeout=60)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def exit_run(queued: int) -> tuple[float, int]:
    """(seconds from /exit queued to the first deleteMessages, replies after the erase)."""
    chat = 500
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as api, helpline(api, Path(tmp)):
        for n in range(queued):
            api.send_text(f"croydon {n}", chat_id=chat)
        api.wait_for("sendMessage", timeout=30)
        asked = time.perf_counter()
        api.send_text("/exit", chat_id=chat)
        [erase] = api.wait_for("deleteMessages", timeout=120)
        time.sleep(1.0)  # anything still to come
        after = [c for c in api.sent(chat) if c.at > erase.at]
    return erase.at - asked, len(after)


def danger_run(count: int) -> tuple[list[float], int, float]:
    """(danger waits in seconds, most sends in a second after the first, ordinary a second)."""
    first = 20_000
    with tempfile.TemporaryDirectory() as tmp, FakeBotAPI() as api, helpline(api, Path(tmp)):
        queued: dict[int, float] = {}
        for n in range(1, count + 1):
            danger = n % 100 == 0
            api.send_text(DANGER if danger else "croydon", chat_id=first + n)
            if danger:
                queued[first + n] = time.perf_counter()
        start = time.perf_counter()
        calls = api.wait_for(
            "sendMessage",
            len(queued),
            timeout=200,
            where=lambda c: int(c.params["chat_id"]) in queued,
        )
        waits = [c.at - queued[int(c.params["chat_id"])] for c in calls]
        time.sleep(max(0.0, start + 10 - time.perf_counter()))
        sends = sorted(c.at for c in api.sent())
        ordinary = sum(1 for c in api.sent() if c.at - start <= 10) - len(queued)
    after_first = [t for t in sends if t >= sends[0] + 1] if sends else []
    busiest = max(
        (bisect.bisect_left(after_first, t + 1) - i for i, t in enumerate(after_first)), default=0
    )
    return waits, busiest, ordinary / 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--queued", type=int, default=40)
    args = parser.parse_args()
    exit_seconds, after = exit_run(args.queued)
    waits, busiest, ordinary = danger_run(args.updates)
    p50, p99 = percentile(waits, 50), percentile(waits, 99)
    print(
        table(
            ["figure", "measured", "target", ""],
            [
                [
                    f"exit with {args.queued} queued: to the first delete (s)",
                    exit_seconds,
                    f"< {EXIT_TARGET}",
                    verdict(exit_seconds < EXIT_TARGET),
                ],
                ["replies after the erase began", after, "0", verdict(after == 0)],
                [f"danger with {args.updates} queued: p50 (s)", p50, "", ""],
                [
                    f"danger with {args.updates} queued: p99 (s)",
                    p99,
                    f"< {DANGER_TARGET}",
                    verdict(p99 < DANGER_TARGET),
                ],
                [
                    "most messages sent in a second, after the first",
                    busiest,
                    "<= 30",
                    verdict(busiest <= 30),
                ],
                ["ordinary replies a second, first 10 s", ordinary, "", ""],
            ],
        )
    )


if __name__ == "__main__":
    main()
