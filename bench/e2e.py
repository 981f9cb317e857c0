"""End to end: updates through the real bot and the fake Bot API on loopback, next to an echo bot.

Each bot runs in its own process against tests/fakebotapi.py (in this process), so the
harness is the same for all of them:

- echo: a bare python-telegram-bot Application that echoes text, as PTB builds it by
  default (httpx, one update at a time): the framework's floor, which the target is set on;
- echo, as many at once: the same bare Application, as many updates at once as the
  helpline (both send through PTB's own HTTPXRequest);
- echo with the helpline's replies: that, answering each message with the text and
  keyboard the helpline bot sends for it (looked up, not worked out): what sending these
  longer replies costs, with no work of the bot's own;
- helpline: `helpline-bot run` exactly as shipped, which paces itself to Telegram's limit
  of 30 messages a second (AIORateLimiter);
- helpline, no limiter: the same Application built without its rate limiter, to see
  what the bot itself costs next to the floor.

All the bots run at once, each against its own fake. Bursts (every update queued at once,
one chat each: throughput, and latency under load) are taken in turns, bot after bot, three
rounds, and each bot's median burst kept, so the machine's noise falls on all of them
alike. Then a steady stream below the rate limit (latency as people see it).
Latency is from the fake handing an update to the bot to the fake receiving the
sendMessage that answers it.

    python3 bench/e2e.py [--updates 3000] [--repeats 3] [--steady 200 --rate 30]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from benchlib import bot_env, percentile, table, verdict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakebotapi import DEFAULT_TOKEN, FakeBotAPI  # noqa: E402

TARGET_RATIO = 0.90
LOGS = Path(tempfile.gettempdir()) / "helpline-e2e-logs"  # kept, to read after a run
REPLIES = LOGS / "helpline-replies.json"  # for the echo bot that sends the helpline's replies
FIRST_CHAT = 10_000


# -- the bots, each run as `python3 bench/e2e.py --child NAME` ------------------------------


def child_echo() -> None:
    """A bare echo bot: the least any python-telegram-bot bot does per update."""
    from telegram import Update
    from telegram.ext import ContextTypes

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send the text back."""
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    run_bare_bot(echo)


def child_echo_replies() -> None:
    """The bare echo bot, answering with the helpline's reply to each message (precomputed)."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
    from telegram.constants import ParseMode
    from telegram.ext import ContextTypes

    replies = json.loads(Path(os.environ["BENCH_REPLIES"]).read_text())

    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send the helpline's reply to this text, looked up."""
        assert update.effective_message is not None
        text, rows = replies[update.effective_message.text or ""]
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=data) for label, data in row]
             for row in rows]
        )  # fmt: skip
        await update.effective_message.reply_text(text, parse_mode=ParseMode.HTML,
                                                  reply_markup=markup)  # fmt: skip

    run_bare_bot(reply)


def run_bare_bot(handle_text: Callable[..., Awaitable[None]]) -> None:
    """A bare Application against the fake API, `handle_text` its only handler."""
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    api_url = os.environ["TELEGRAM_API_URL"]
    builder = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(api_url)
        .base_file_url(api_url.replace("/bot", "/file/bot"))
    )
    if concurrency := os.environ.get("BENCH_CONCURRENCY"):  # updates handled at once
        builder = builder.concurrent_updates(int(concurrency))
    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, handle_text))
    app.run_polling(timeout=1, stop_signals=(signal.SIGTERM, signal.SIGINT))


def helpline_replies(texts: list[str], path: Path) -> None:
    """Write, for each message, the first Telegram message the helpline bot sends for it."""
    import asyncio

    from bot.core.conversation import Conversation
    from bot.data.store import load_store
    from bot.domain.paths import data_dir
    from bot.fronts.telegram.outgoing import present
    from bot.session.events import Said, Send
    from bot.session.session import Front, Session
    from bot.session.state import InMemoryChatState

    with tempfile.TemporaryDirectory() as tmp:
        conversation = Conversation(load_store(data_dir(), Path(tmp) / "s.db"))
        session = Session(conversation, InMemoryChatState(), Front.TELEGRAM)
        replies = {}
        for text in texts:
            todo = asyncio.run(session.handle(FIRST_CHAT, Said(text)))
            sends = [effect for effect in todo if isinstance(effect, Send)]
            # A leave is an erase on the helpline; the echo bot sends the core's words.
            out = present(sends[0] if sends else Send(conversation.answer(text, draw=False)))
            rows = out.markup.inline_keyboard if out.markup else ()
            replies[text] = [
                out.parts[0] if out.parts else out.caption or "",
                [[[b.text, b.callback_data] for b in row] for row in rows],
            ]
        conversation.store.close()
    path.write_text(json.dumps(replies))


def child_unlimited() -> None:
    """`helpline-bot run` with its rate limiter left out (the builder ignores it)."""
    from telegram.ext import ApplicationBuilder

    from bot.fronts import cli
    from bot.fronts.telegram import app as telegram_app

    class WithoutLimiter(ApplicationBuilder):
        def rate_limiter(self, rate_limiter):  # type: ignore[no-untyped-def, override]
            return self

    telegram_app.ApplicationBuilder = WithoutLimiter  # type: ignore[misc]
    if concurrency := os.environ.get("BENCH_CONCURRENCY"):  # jobs sent at once
        telegram_app.build_application = functools.partial(  # type: ignore[assignment]
            telegram_app.build_application, concurrent_updates=int(concurrency)
        )
    profile_to = os.environ.get("BENCH_PROFILE")
    if not profile_to:
        cli.cli(["run"], prog_name="helpline-bot")
        return
    import cProfile

    profiler = cProfile.Profile()
    try:
        profiler.runcall(cli.cli, ["run"], prog_name="helpline-bot")
    finally:
        profiler.dump_stats(profile_to)


# -- the harness ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    label: str
    child: str  # echo, echo_replies, unlimited, or helpline (`helpline-bot run` itself)
    concurrency: int | None = None  # updates handled at once (None: the bot's own setting)
    limited: bool = False  # paced to 30 messages/s: a smaller burst


@dataclass
class Result:
    variant: Variant
    run: str
    updates: int
    answered: int
    seconds: float
    latencies_ms: list[float]
    cpu_ms: float = math.nan  # the bot process's CPU time per update
    spread: tuple[float, float] = (math.nan, math.nan)  # slowest and fastest burst, updates/s

    @property
    def throughput(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


class Bot:
    """One bot process polling the fake API."""

    def __init__(self, variant: Variant, api: FakeBotAPI, workdir: Path):
        self.api = api
        env = bot_env(api.token, api.base_url, workdir)
        env.pop("BENCH_CONCURRENCY", None)
        env["BENCH_REPLIES"] = str(REPLIES)
        if variant.concurrency:
            env["BENCH_CONCURRENCY"] = str(variant.concurrency)
        if variant.child == "helpline":
            command = [sys.executable, "-m", "bot", "run", "--log-level", "WARNING"]
        else:
            command = [sys.executable, __file__, "--child", variant.child]
        self.log_path = LOGS / f"{variant.label.replace(' ', '-').replace(',', '')}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=workdir
        )

    def __enter__(self) -> Bot:
        self.api.wait_for("getUpdates", timeout=60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def cpu_seconds(self) -> float:
        """User plus system CPU time the bot process has used (Linux), else NaN."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return math.nan
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answers(api: FakeBotAPI, chats: range, timeout: float) -> dict[int, float]:
    """chat -> when its first answer (text, or a chart's photo) arrived, once every chat has one."""
    deadline = time.monotonic() + timeout
    while True:
        first: dict[int, float] = {}
        for call in api.sent():
            chat = int(call.params["chat_id"])
            if chat in chats and chat not in first:
                first[chat] = call.at
        if len(first) == len(chats) or time.monotonic() > deadline:
            return first
        time.sleep(0.05)


def burst(bot: Bot, variant: Variant, texts: list[str], count: int, chats_from: int) -> Result:
    """Every update queued at once, one chat each; the clock runs from the first delivery."""
    api = bot.api
    chats = range(chats_from, chats_from + count)
    cpu = bot.cpu_seconds()
    ids = {chat: api.send_text(texts[i % len(texts)], chat_id=chat)["update_id"]
           for i, chat in enumerate(chats)}  # fmt: skip
    first = answers(api, chats, timeout=max(120, count / 10))
    cpu = bot.cpu_seconds() - cpu
    delivered = {chat: api.delivered_at[ids[chat]] for chat in chats if chat in first}
    seconds = max(first.values()) - min(delivered.values())
    latencies = [(first[chat] - delivered[chat]) * 1000 for chat in delivered]
    return Result(variant, "burst", count, len(first), seconds, latencies, cpu / count * 1000)


def steady(
    bot: Bot, variant: Variant, texts: list[str], count: int, rate: float, chats_from: int
) -> Result:
    """One update every 1/rate seconds, each in its own chat."""
    api = bot.api
    chats = range(chats_from, chats_from + count)
    ids = {}
    cpu = bot.cpu_seconds()
    start = time.perf_counter()
    for index, chat in enumerate(chats):
        pause = start + index / rate - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        ids[chat] = api.send_text(texts[index % len(texts)], chat_id=chat)["update_id"]
    first = answers(api, chats, timeout=120)
    cpu = bot.cpu_seconds() - cpu
    latencies = [(first[c] - api.delivered_at[ids[c]]) * 1000 for c in chats if c in first]
    seconds = max(first.values()) - api.delivered_at[ids[chats[0]]]
    return Result(
        variant, f"steady {rate:g}/s", count, len(first), seconds, latencies, cpu / count * 1000
    )


def bench(
    variants: list[Variant], texts: list[str], sizes: dict[Variant, int], args: argparse.Namespace
) -> dict[Variant, list[Result]]:
    """Every bot running at once, each with its own fake API; bursts taken in turns.

    Taking turns (echo, then the next bot, ... then again) spreads the machine's noise
    over every bot alike; each bot's figure is its median burst of `args.repeats`.
    """
    results: dict[Variant, list[Result]] = {v: [] for v in variants}
    with contextlib.ExitStack() as stack:
        bots: dict[Variant, Bot] = {}
        for variant in variants:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="helpline-e2e-")))
            if variant.child not in ("echo", "echo_replies"):  # built once, as a service has it
                build_store(workdir / "store.db")
            api = stack.enter_context(FakeBotAPI(max_poll_wait=1.0))
            bots[variant] = stack.enter_context(Bot(variant, api, workdir))
        for variant, bot in bots.items():  # warm up: every kind of answer, charts drawn
            burst(bot, variant, texts, len(texts), FIRST_CHAT)
        stride = max(sizes.values()) + 1
        for repeat in range(args.repeats):
            for variant, bot in bots.items():
                chats = FIRST_CHAT + 10_000 + repeat * stride
                results[variant].append(burst(bot, variant, texts, sizes[variant], chats))
        for variant, bot in bots.items():
            runs = sorted(results[variant], key=lambda r: r.throughput)
            median = runs[len(runs) // 2]
            median.spread = (runs[0].throughput, runs[-1].throughput)
            steady_from = FIRST_CHAT + 10_000 + args.repeats * stride
            results[variant] = [
                median,
                steady(bot, variant, texts, args.steady, args.rate, steady_from),
            ]
        for variant, bot in bots.items():
            refused = [c for c in bot.api.calls if c.method.startswith("send") and c.status != 200]
            if refused:
                print(f"warning: {variant.label}: the fake API refused {len(refused)} sends")
    for variant, bot in bots.items():
        if "Traceback" in bot.log_path.read_text():
            print(f"warning: {variant.label} logged tracebacks; see {bot.log_path}")
    return results


def build_store(path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "bot", "data", "build", "--store", str(path)],
        capture_output=True, text=True,
    )  # fmt: skip
    if built.returncode:
        raise SystemExit(f"cannot build the store: {built.stderr}")


def helpline_concurrency() -> int:
    """How many jobs the real Application sends at once."""
    from bot.core.conversation import Conversation
    from bot.data.store import load_store
    from bot.domain.paths import data_dir
    from bot.fronts.telegram.app import INTAKE, build_application

    with tempfile.TemporaryDirectory() as tmp:
        store = load_store(data_dir(), Path(tmp) / "s.db")
        app = build_application(DEFAULT_TOKEN, Conversation(store))
        store.close()
    return int(app.bot_data[INTAKE].dispatcher.limit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--child", choices=["echo", "echo_replies", "unlimited"], help=argparse.SUPPRESS
    )
    parser.add_argument("--updates", type=int, default=3000, help="updates in the burst")
    parser.add_argument(
        "--shipped-updates", type=int, default=600, help="burst for the rate-limited bot"
    )
    parser.add_argument("--repeats", type=int, default=3, help="bursts per bot (median kept)")
    parser.add_argument("--steady", type=int, default=200, help="updates in the steady run")
    parser.add_argument(
        "--rate", type=float, default=30.0, help="updates/s in the steady run (Telegram's limit)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=0, help="also run the bot with this many at once"
    )
    args = parser.parse_args()
    if args.child == "echo":
        return child_echo()
    if args.child == "echo_replies":
        return child_echo_replies()
    if args.child == "unlimited":
        return child_unlimited()

    from core import load_corpus

    LOGS.mkdir(exist_ok=True)
    texts, origin = load_corpus()
    same = helpline_concurrency()
    echo = Variant("echo bot", "echo")
    echo_same = Variant(f"echo bot, {same} at once", "echo", same)
    echo_replies = Variant(f"echo, helpline's replies, {same} at once", "echo_replies", same)
    unlimited = Variant("helpline, no limiter", "unlimited")
    shipped = Variant("helpline as shipped", "helpline", limited=True)
    variants = [echo, echo_same, echo_replies, unlimited, shipped]
    helpline_replies(texts, REPLIES)
    if args.concurrency:
        variants.append(Variant(f"helpline, {args.concurrency} at once", "unlimited",
                                args.concurrency))  # fmt: skip
    sizes = {v: args.shipped_updates if v.limited else args.updates for v in variants}
    results = bench(variants, texts, sizes, args)

    rows = [
        [r.variant.label, r.run, f"{r.answered}/{r.updates}", r.throughput,
         "-" if math.isnan(r.spread[0]) else f"{r.spread[0]:.0f}-{r.spread[1]:.0f}",
         percentile(r.latencies_ms, 50), percentile(r.latencies_ms, 99), r.cpu_ms]
        for runs in results.values() for r in runs
    ]  # fmt: skip
    print(
        f"Messages: {origin}; one chat per update; fake Bot API on 127.0.0.1.\n"
        f"The helpline bot sends {same} jobs at once (bot.fronts.telegram.dispatch); the bare "
        "echo bot as python-telegram-bot builds it (one at a time), or as many at once. All "
        "send through python-telegram-bot's HTTPXRequest.\n"
    )
    headers = ["bot", "run", "answered", "updates/s", "range", "p50 ms", "p99 ms",
               "bot CPU ms/update"]  # fmt: skip
    print(table(headers, rows))

    def ratio(a: Variant, b: Variant) -> float:
        return results[a][0].throughput / results[b][0].throughput

    floor = ratio(unlimited, echo)
    print()
    print(
        table(
            ["throughput ratio (median bursts)", "value", "target", "result"],
            [
                ["helpline, no limiter / echo (default)", floor, f">= {TARGET_RATIO:g}",
                 verdict(floor >= TARGET_RATIO)],
                ["helpline, no limiter / echo as many at once",
                 ratio(unlimited, echo_same), "", ""],
                ["helpline, no limiter / echo on it sending the helpline's replies",
                 ratio(unlimited, echo_replies), "", ""],
                ["helpline as shipped / echo (default)", ratio(shipped, echo),
                 "capped at 30 msg/s by design", ""],
            ],
        )
    )  # fmt: skip
    return None


if __name__ == "__main__":
    main()
