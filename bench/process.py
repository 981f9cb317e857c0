"""The running bot as a process: cold start and peak memory.

- Cold start: from starting `helpline-bot run` to its first getUpdates at the fake Bot API
  (tests/fakebotapi/ on 127.0.0.1), with the store already built (a restart) and with
  none yet (a first start, which builds it).
- Peak RSS: VmHWM of the bot process after it has answered every message of the corpus
  (every kind of answer, charts included), each in its own chat.
- The chart child: charts are drawn in a short-lived child process (bot.domain.child), so its
  peak RSS is measured apart, with how long a first drawing takes.

    python3 bench/process.py [--starts 5]
"""

from __future__ import annotations

import argparse
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchlib import bot_env, table, verdict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import FakeBotAPI  # noqa: E402

TARGET_START_S = 1.5
TARGET_RSS_MB = 80.0


def start_bot(api: FakeBotAPI, workdir: Path, state: Path | None = None) -> subprocess.Popen[bytes]:
    env = bot_env(api.token, api.base_url, workdir)
    if state is not None:  # a fresh chat state and outbox: update ids start again at 1
        env |= {"HELPLINE_STATE_DIR": str(state), "XDG_STATE_HOME": str(state)}
    log = (workdir / "bot.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run", "--log-level", "WARNING"],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
    )  # fmt: skip


def stop_bot(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def cold_start(workdir: Path) -> float:
    """Seconds from starting the process to its first getUpdates."""
    with FakeBotAPI(max_poll_wait=0.5) as api:
        started = time.perf_counter()
        process = start_bot(api, workdir)
        try:
            [first] = api.wait_for("getUpdates", timeout=60)[:1]
        finally:
            stop_bot(process)
    return first.at - started


def peak_rss(workdir: Path, texts: list[str]) -> tuple[float, float, int]:
    """(RSS at first getUpdates, peak RSS, messages answered) in MB, after the whole corpus."""
    with FakeBotAPI(max_poll_wait=0.5) as api:
        process = start_bot(api, workdir, Path(tempfile.mkdtemp(prefix="state-", dir=workdir)))
        try:
            api.wait_for("getUpdates", timeout=60)
            idle = _status(process.pid)["VmRSS"]
            for index, text in enumerate(texts):
                api.send_text(text, chat_id=50_000 + index)
            deadline = time.monotonic() + 30 + len(texts) / 10
            while len(_chats_done(api)) < len(texts):
                if time.monotonic() > deadline or process.poll() is not None:
                    break
                time.sleep(0.2)
            answered = len(_chats_done(api))
            peak = _status(process.pid)["VmHWM"]
        finally:
            stop_bot(process)
    return idle, peak, answered


def _chats_done(api: FakeBotAPI) -> set[object]:
    """Chats the bot has acted in: a reply, or for a quick exit the erasing (no reply by design)."""
    return {c.params["chat_id"] for c in api.calls if "chat_id" in c.params and c.status == 200}


_CONVERSATION = {}


def _draws_chart(workdir: Path, text: str) -> bool:
    """Would the core answer `text` with a picture?"""
    if not _CONVERSATION:
        from bot.core.conversation import Conversation
        from bot.data.store import load_store
        from bot.domain.paths import data_dir

        store = load_store(data_dir(), workdir / "store.db")
        _CONVERSATION["c"] = Conversation(store)
    return _CONVERSATION["c"].answer(text).image is not None


def chart_child(workdir: Path) -> tuple[float, float]:
    """(peak RSS in MB of the child process that draws a chart, seconds to answer with it)."""
    import bot.core.charts
    from bot.core.conversation import Conversation
    from bot.data.store import load_store
    from bot.domain.paths import data_dir

    peaks: list[float] = []
    real = bot.core.charts.run_in_child

    def measured(function: Any, *args: Any, timeout: float) -> None:
        peaks.append(real(_peak_after, function, *args, timeout=timeout))

    bot.core.charts.run_in_child = measured  # type: ignore[assignment]
    try:
        # A folder of its own: charts are cached beside the store, and the corpus pass
        # before this one has drawn most of them already.
        store = load_store(data_dir(), workdir / "chart-only" / "store.db")
        started = time.perf_counter()
        reply = Conversation(store).answer("show me a chart of croydon by rate")
        seconds = time.perf_counter() - started
    finally:
        bot.core.charts.run_in_child = real  # type: ignore[assignment]
    if reply.image is None or not peaks:
        raise SystemExit("the chart was not drawn")
    return peaks[0], seconds


def _peak_after(function: Any, *args: Any) -> float:
    """In the child: run function(*args), then say the child's peak RSS in MB."""
    function(*args)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _status(pid: int) -> dict[str, float]:
    """Memory lines of /proc/PID/status in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            out[name] = int(value.split()[0]) / 1024
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5, help="cold starts timed")
    args = parser.parse_args()

    from core import load_corpus

    texts, origin = load_corpus()
    with tempfile.TemporaryDirectory(prefix="helpline-process-") as tmp:
        workdir = Path(tmp)
        first_start = cold_start(workdir)  # no store yet: builds it
        restarts = [cold_start(workdir) for _ in range(args.starts)]
        idle, peak, answered = peak_rss(workdir, texts)
        # The same without the questions answered with a chart (matplotlib in the process).
        words_only = [t for t in texts if not _draws_chart(workdir, t)]
        _, peak_words, answered_words = peak_rss(workdir, words_only)
        child_peak, chart_seconds = chart_child(workdir)
        log = (workdir / "bot.log").read_text(errors="replace")

    median = statistics.median(restarts)
    print(f"`helpline-bot run` against the fake Bot API; {args.starts} restarts timed\n")
    print(
        table(
            ["figure", "value", "target", "result"],
            [
                ["cold start, store built (median s)", median, f"< {TARGET_START_S:g}",
                 verdict(median < TARGET_START_S)],
                ["cold start, store built (slowest s)", max(restarts), "", ""],
                ["first start, building the store (s)", first_start, "", ""],
                ["RSS at first getUpdates (MB)", idle, "", ""],
                [f"peak RSS after {answered}/{len(texts)} answers (MB)", peak,
                 f"< {TARGET_RSS_MB:g}", verdict(peak < TARGET_RSS_MB)],
                [f"peak RSS, {answered_words} answers without a chart (MB)", peak_words,
                 f"< {TARGET_RSS_MB:g}", verdict(peak_words < TARGET_RSS_MB)],
                ["chart child process, peak RSS (MB, only while drawing)", child_peak, "", ""],
                ["answer with a new chart, drawn in the child (s)", chart_seconds, "", ""],
            ],
        )
    )  # fmt: skip
    print(f"\nMessages: {origin}.")
    if "Traceback" in log:
        print("warning: the bot logged a traceback:\n" + log[-3000:])


if __name__ == "__main__":
    main()
