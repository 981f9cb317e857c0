"""`helpline-bot run` as a person would start it: a real process against the fake Bot API."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fakebotapi import FakeBotAPI
from telegram_harness import (
    api_fixture,  # noqa: F401 - a fixture
    logging_restored_fixture,  # noqa: F401 - a fixture
    shown,
)

from bot.core.conversation import Conversation
from bot.fronts.telegram.app import Settings, StartError, api_urls, check, run


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
    return clean | {"XDG_CACHE_HOME": str(tmp_path / "cache"), **extra}


@contextmanager
def bot_process(*args: str, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """`python -m bot ARGS` (the helpline-bot entry point), stopped with SIGTERM after."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        process.communicate(timeout=20)


def test_run_answers_start_a_borough_and_danger_and_sets_the_command_menu(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = _environment(tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_URL=api.base_url)
    with bot_process("run", env=env) as process:
        api.send_text("/start")
        api.send_text("croydon")
        api.send_text("he's outside the door and I'm scared")
        replies = api.wait_for("sendMessage", 3, timeout=30)
        # Danger goes ahead of replies still waiting, so the order depends on how the polls
        # fell: find each reply by what it answers.
        texts = [shown(r) for r in replies]
        [danger] = [t for t in texts if "danger now" in t.splitlines()[0]]
        [start] = [t for t in texts if t.startswith("Hello")]
        [croydon] = [t for t in texts if "Croydon: 4,787" in t]
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "/exit" in start and "999" in start and croydon.startswith("Croydon: 4,787")
    assert "999" in danger.splitlines()[0]
    # The default menu; apps set to another language get their own (language_code).
    # (A language's call cut short by the stop arrives without its parameters.)
    calls = [c for c in api.calls_to("setMyCommands") if c.params.get("commands")]
    [menu] = [c for c in calls if not c.params.get("language_code")]
    assert {"start", "help", "figures", "exit"} <= {c["command"] for c in menu.params["commands"]}
    assert api.token.partition(":")[2] not in err + out
    assert "Traceback" not in err


def test_plain_helpline_bot_with_a_token_runs_the_telegram_bot(
    api: FakeBotAPI, tmp_path: Path
) -> None:
    env = _environment(tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_URL=api.base_url)
    with bot_process(env=env):
        api.send_text("ealing")
        [call] = api.wait_for("sendMessage", timeout=30)
    assert "Ealing: 3,493" in shown(call)


def _one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    return lines[0]


def _run_once(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", *args],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_no_token_is_one_clear_line(tmp_path: Path) -> None:
    line = _one_line_error(_run_once(env=_environment(tmp_path)))
    assert "TELEGRAM_BOT_TOKEN" in line and "@BotFather" in line


@pytest.mark.parametrize(
    "token", ["hello", "123456:short", "bot123456789:" + "a" * 35, "12345:" + "!" * 35]
)
def test_a_malformed_token_is_one_clear_line_that_does_not_repeat_it(
    tmp_path: Path, token: str
) -> None:
    line = _one_line_error(_run_once(env=_environment(tmp_path, TELEGRAM_BOT_TOKEN=token)))
    assert "does not look like" in line
    assert token not in line


def test_a_token_telegram_refuses_is_one_clear_line(api: FakeBotAPI, tmp_path: Path) -> None:
    other = "111111111:AAOtherTokenNotKnownToTheServer_12345"
    env = _environment(tmp_path, TELEGRAM_BOT_TOKEN=other)  # the environment, as README says
    done = _run_once("--api-url", api.base_url, env=env)
    line = _one_line_error(done)
    assert "refused the bot token" in line
    assert other.partition(":")[2] not in done.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--api-url", "127.0.0.1:8081/bot"], "--api-url must start with"),
        (["--webhook-url", "example.org/hook"], "--webhook-url must start with"),
        (["--webhook-url", "https://e.org/h"], "secret token"),
    ],
)
def test_bad_addresses_and_secrets_are_one_clear_line(
    tmp_path: Path, args: list[str], expected: str
) -> None:
    env = _environment(tmp_path, TELEGRAM_BOT_TOKEN="123456789:" + "A" * 35)
    if "--webhook-url" in args and expected == "secret token":
        env["TELEGRAM_WEBHOOK_SECRET"] = "has spaces"
    assert expected in _one_line_error(_run_once(*args, env=env))


def test_an_unreachable_bot_api_is_a_clear_error_after_retrying(
    conversation: Conversation, logging_restored: None
) -> None:
    with FakeBotAPI() as gone:
        url = gone.base_url  # a port that was just closed
    settings = Settings("123456789:" + "A" * 35, api_url=url, startup_retries=1)
    check(settings)
    with pytest.raises(StartError, match=r"cannot start: the Bot API at 127\.0\.0\.1"):
        run(settings, conversation)


@pytest.mark.parametrize(
    ("given", "base", "files"),
    [
        (
            "http://127.0.0.1:8081/bot",
            "http://127.0.0.1:8081/bot",
            "http://127.0.0.1:8081/file/bot",
        ),
        ("http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
        ("https://h/x/bot{token}/", "https://h/x/bot{token}/", "https://h/x/file/bot{token}/"),
    ],
)
def test_api_urls(given: str, base: str, files: str) -> None:
    assert api_urls(given) == (base, files)
