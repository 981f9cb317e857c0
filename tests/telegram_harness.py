"""Run this project's real Telegram Application against the fake Bot API, for the tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fakebotapi import AppThread, Call, FakeBotAPI, visible

from bot.core.conversation import Conversation
from bot.fronts.telegram.app import Polling, Webhook, build_application, serve

POLL = Polling(timeout=0.5)  # short long-polls keep start and stop quick


@contextmanager
def running_bot(
    api: FakeBotAPI,
    conversation: Conversation,
    transport: Polling | Webhook = POLL,
    **options: Any,
) -> Iterator[AppThread]:
    """The real Application, built as `helpline-bot run` builds it, serving in a thread."""
    app = build_application(api.token, conversation, api_url=api.base_url, **options)
    with AppThread(lambda stop: serve(app, transport, stop)) as thread:
        yield thread


# Named fixtures: a test module imports `api_fixture, bot_fixture` and asks for `api`, `bot`.
@pytest.fixture(name="api")
def api_fixture() -> Iterator[FakeBotAPI]:
    with FakeBotAPI() as fake:
        yield fake


@pytest.fixture(name="bot")
def bot_fixture(api: FakeBotAPI, conversation: Conversation) -> Iterator[FakeBotAPI]:
    """A running bot; the test talks to it through the fake API it returns."""
    with running_bot(api, conversation):
        yield api


@pytest.fixture(name="logging_restored")
def logging_restored_fixture() -> Iterator[None]:
    """Undo what logsafe.setup does to the root logger and the libraries' levels."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    names = ("httpx", "httpcore", "telegram")
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    for handler in [h for h in root.handlers if h not in saved[1]]:
        root.removeHandler(handler)
    root.setLevel(saved[0])
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def shown(call: Call) -> str:
    """What the person sees of a sent message or caption."""
    return visible(str(call.params.get("text") or call.params.get("caption") or ""))


def keyboard(call: Call) -> list[list[dict[str, Any]]]:
    markup = call.params.get("reply_markup") or {}
    return markup.get("inline_keyboard", [])


def button_data(call: Call) -> list[str]:
    return [b.get("callback_data") or b.get("url", "") for row in keyboard(call) for b in row]


def button_labels(call: Call) -> list[str]:
    return [b["text"] for row in keyboard(call) for b in row]
