"""Webhook mode: python-telegram-bot's server refuses requests without the right secret."""

from __future__ import annotations

import socket

from fakebotapi import FakeBotAPI
from telegram_harness import api_fixture, running_bot, shown  # noqa: F401 - a fixture

from bot.core.conversation import Conversation
from bot.fronts.telegram.app import Webhook

SECRET = "right-secret_123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_webhook_refuses_a_wrong_secret_and_answers_the_right_one(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    port = _free_port()
    hook = Webhook(f"http://127.0.0.1:{port}/telegram/hook", SECRET, "127.0.0.1", port)
    with running_bot(api, conversation, transport=hook):
        [registered] = api.wait_for("setWebhook")
        assert registered.params["url"] == hook.url
        assert registered.params["secret_token"] == SECRET
        # The fake delivers queued updates as Telegram does: POSTed with the secret
        # (and retried until python-telegram-bot's server, started after setWebhook, is up).
        api.send_text("he is outside and I'm scared")
        api.wait_for("sendMessage")
        forged = api.send_text("croydon", queue=False)
        assert api.post_webhook(hook.url, forged, "wrong-secret") == 403
        assert api.post_webhook(hook.url, forged) == 403  # no secret at all
        assert api.post_webhook(hook.url, api.send_text("ealing", queue=False), SECRET) == 200
        api.wait_for("sendMessage", 2)
    texts = [shown(c) for c in api.sent()]
    assert "999" in texts[0].splitlines()[0]
    assert "Ealing: 3,493" in texts[1]
    assert not any("Croydon" in t for t in texts)  # the forged update was never answered
    assert not api.calls_to("getUpdates")


def test_without_a_secret_a_random_one_is_made() -> None:
    from bot.fronts.telegram.app import Settings

    one = Settings("1:x", webhook_url="https://example.org/hook").transport()
    two = Settings("1:x", webhook_url="https://example.org/hook").transport()
    assert isinstance(one, Webhook) and isinstance(two, Webhook)
    assert len(one.secret_token) >= 32 and one.secret_token != two.secret_token
    assert one.path == "hook"
