"""Telegram's errors and ours: the bot waits out 429s, retries 5xx, and every update is answered."""

from __future__ import annotations

import time
from pathlib import Path

from fakebotapi import FakeBotAPI
from telegram_harness import (
    api_fixture,  # noqa: F401 - a fixture
    bot_fixture,  # noqa: F401 - a fixture
    button_data,
    running_bot,
    shown,
)

from bot.core.conversation import Conversation
from bot.data.store import Store
from bot.domain.models import Button, Context, Reply
from bot.fronts.telegram.split import MAX_MESSAGE


def test_a_429_then_a_500_are_waited_out_and_every_update_is_answered_once(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    api.fail("sendMessage", 429, retry_after=1)
    api.fail("sendMessage", 500)
    messages = ["croydon", "ealing", "hounslow", "westminster"]
    with running_bot(api, conversation):
        started = time.monotonic()
        for text in messages:
            api.send_text(text, chat_id=500 + messages.index(text))
        api.wait_for("sendMessage", len(messages), where=lambda c: c.status == 200)
        took = time.monotonic() - started
    statuses = [c.status for c in api.calls_to("sendMessage")]
    assert statuses.count(429) == 1 and statuses.count(500) == 1
    assert took >= 1.0  # retry_after was honoured
    answered = {int(c.params["chat_id"]): shown(c) for c in api.sent()}
    assert len(api.sent()) == len(messages)  # once each: no duplicates
    for offset, text in enumerate(messages):
        assert text.capitalize() in answered[500 + offset]


def test_polling_survives_server_errors_and_dropped_connections(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    api.fail("getUpdates", 500)
    api.drop("getUpdates")  # python-telegram-bot waits 1 s, then 1.5 s, before trying again
    api.send_text("croydon")
    with running_bot(api, conversation) as thread:
        [call] = api.wait_for("sendMessage", timeout=15)
        assert thread.alive
    assert "Croydon: 4,787" in shown(call)
    statuses = [c.status for c in api.calls_to("getUpdates")]
    assert statuses[:2] == [500, 0]  # a server error, then a connection closed unanswered


def test_a_dropped_send_is_retried(api: FakeBotAPI, conversation: Conversation) -> None:
    api.drop("sendMessage")
    api.send_text("ealing")
    with running_bot(api, conversation):
        [call] = api.wait_for("sendMessage", where=lambda c: c.status == 200)
    assert "Ealing: 3,493" in shown(call)
    assert len(api.calls_to("sendMessage")) == 2


class _Breaks(Conversation):
    """A core that fails on one word, to reach the error handler."""

    def answer(
        self,
        text: str | None,
        *,
        draw: bool = True,
        context: Context | None = None,
        language: str = "en",
    ) -> Reply:
        if text and "boom" in text:
            raise RuntimeError(f"could not answer {text!r}")
        return super().answer(text, draw=draw, context=context, language=language)


def test_a_failure_is_apologised_for_with_the_help_line_and_the_bot_goes_on(
    api: FakeBotAPI, store: Store
) -> None:
    api.send_text("boom")
    api.send_text("croydon")
    with running_bot(api, _Breaks(store)):
        sorry, after = api.wait_for("sendMessage", 2)
    assert "something went wrong" in shown(sorry)
    assert "0808 2000 247" in shown(sorry) and "999" in shown(sorry)
    assert "Croydon: 4,787" in shown(after)


def test_a_refused_message_reaches_the_error_handler_not_the_person_twice(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    api.fail("sendMessage", 400, description="Bad Request: can't parse entities")
    api.send_text("croydon")
    with running_bot(api, conversation):
        calls = api.wait_for("sendMessage", 2)
    assert calls[0].status == 400  # never retried: the same request would fail again
    assert "something went wrong" in shown(calls[1])


def _picture(folder: Path, body: bytes = b"") -> Path:
    """A small file that starts like a PNG, for replies that carry a picture."""
    image = folder / "chart.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return image


class _Pictures(Conversation):
    """A core whose replies carry a picture (as charts will)."""

    def __init__(self, store: Store, image: Path, text_size: int):
        super().__init__(store)
        self.image, self.text_size = image, text_size

    def answer(
        self,
        text: str | None,
        *,
        draw: bool = True,
        context: Context | None = None,
        language: str = "en",
    ) -> Reply:
        body = "<b>Chart</b> " + "x" * self.text_size
        return Reply(body, [[Button("Menu", "menu")]], image=self.image, intent="chart")


def test_a_picture_is_sent_with_its_words_as_the_caption(
    api: FakeBotAPI, store: Store, tmp_path: Path
) -> None:
    image = _picture(tmp_path, b"0" * 64)
    api.send_text("chart")
    with running_bot(api, _Pictures(store, image, 100)):
        [photo] = api.wait_for("sendPhoto")
    assert photo.status == 200
    assert photo.files["photo"] == image.read_bytes()
    assert shown(photo).startswith("Chart x")
    assert photo.params["parse_mode"] == "HTML"
    assert "menu" in button_data(photo)
    assert not api.calls_to("sendMessage")


def test_a_picture_with_too_many_words_for_a_caption_is_followed_by_them(
    api: FakeBotAPI, store: Store, tmp_path: Path
) -> None:
    image = _picture(tmp_path)
    api.send_text("chart")
    with running_bot(api, _Pictures(store, image, 2000)):
        [photo] = api.wait_for("sendPhoto")
        [words] = api.wait_for("sendMessage")
    assert not photo.params.get("caption")
    assert shown(words).startswith("Chart x") and "menu" in button_data(words)


def test_a_reply_longer_than_telegram_allows_is_split_with_buttons_on_the_last_part(
    api: FakeBotAPI, store: Store
) -> None:
    class Long(Conversation):
        def answer(
            self,
            text: str | None,
            *,
            draw: bool = True,
            context: Context | None = None,
            language: str = "en",
        ) -> Reply:
            lines = "\n".join(f"<b>line {n}</b> " + "word " * 12 for n in range(200))
            return Reply(lines, [[Button("Menu", "menu")]], intent="long")

    api.send_text("everything")
    with running_bot(api, Long(store)):
        api.wait_for("sendMessage", where=lambda c: bool(button_data(c)))
    parts = api.sent()
    assert len(parts) >= 3
    assert all(len(shown(p)) <= MAX_MESSAGE for p in parts)
    assert [bool(button_data(p)) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert "line 0" in shown(parts[0]) and "line 199" in shown(parts[-1])


def test_one_chat_flooding_is_paced_while_other_chats_are_answered_at_once(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    for n in range(6):
        api.send_text(f"croydon {n}", chat_id=31)
    with running_bot(api, conversation, chat_pace=(2, 1.0)):  # 2 at once, then 2 a second
        started = time.monotonic()
        api.wait_for("sendMessage", 2, where=lambda c: c.params["chat_id"] == 31)
        api.send_text("ealing", chat_id=32)
        [other] = api.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 32)
        flood = api.wait_for("sendMessage", 6, where=lambda c: c.params["chat_id"] == 31)
    assert other.at < flood[-1].at  # the other chat did not wait behind the flood
    assert flood[-1].at - flood[0].at >= 1.5  # four more, at two a second
    assert time.monotonic() - started < 5


def test_a_chat_sending_more_than_the_bot_answers_at_once_does_not_hold_up_others(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    # Two answered at once. One chat's eight messages wait for their turn in that chat
    # without taking the slots, so another chat is answered while they are still going.
    api.slow("sendMessage", 0.3, times=20)
    for n in range(8):
        api.send_text(f"croydon {n}", chat_id=71)
    with running_bot(api, conversation, chat_pace=None, concurrent_updates=2):
        api.wait_for("sendMessage", 1, where=lambda c: c.params["chat_id"] == 71)
        api.send_text("ealing", chat_id=72)
        [other] = api.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 72)
        flood = api.wait_for("sendMessage", 8, where=lambda c: c.params["chat_id"] == 71)
    assert sum(call.at < other.at for call in flood) <= 3  # not behind the whole flood
    assert all(shown(c).startswith("Croydon") for c in flood)  # and the flood is all answered


def test_a_picture_is_uploaded_once_then_sent_by_its_file_id(
    api: FakeBotAPI, store: Store, tmp_path: Path
) -> None:
    image = _picture(tmp_path, b"1" * 64)
    api.send_text("chart", chat_id=801)
    with running_bot(api, _Pictures(store, image, 100)):
        api.wait_for("sendPhoto")
        api.send_text("chart", chat_id=802)
        api.send_text("chart", chat_id=803)
        first, second, third = api.wait_for("sendPhoto", 3)
    assert first.files["photo"] == image.read_bytes()
    assert not second.files and not third.files  # not uploaded again
    file_id = first.result["photo"][-1]["file_id"]
    assert second.params["photo"] == third.params["photo"] == file_id
    assert all(c.status == 200 for c in (first, second, third))


def test_a_refused_file_id_is_followed_by_a_fresh_upload(
    api: FakeBotAPI, store: Store, tmp_path: Path
) -> None:
    image = _picture(tmp_path, b"2" * 64)
    api.send_text("chart", chat_id=811)
    with running_bot(api, _Pictures(store, image, 100)):
        api.wait_for("sendPhoto")
        api.fail("sendPhoto", 400, description="Bad Request: wrong file identifier")
        api.send_text("chart", chat_id=812)
        calls = api.wait_for("sendPhoto", 3)
    refused, again = calls[1], calls[2]
    assert refused.status == 400 and not refused.files
    assert again.status == 200 and again.files["photo"] == image.read_bytes()
    assert again.params["chat_id"] == 812


def test_a_chat_waiting_for_its_pace_gives_its_slot_to_other_chats(
    api: FakeBotAPI, conversation: Conversation
) -> None:
    for n in range(4):
        api.send_text(f"croydon {n}", chat_id=91)
    # One update worked on at a time; chat 91 may send one message every 2 s after its first.
    with running_bot(api, conversation, chat_pace=(1, 2.0), concurrent_updates=1):
        api.wait_for("sendMessage", 2, where=lambda c: c.params["chat_id"] == 91, timeout=10)
        asked = time.perf_counter()  # chat 91's third reply is now waiting for its pace
        api.send_text("ealing", chat_id=92)
        [other] = api.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == 92)
    assert other.at - asked < 1.0  # answered at once, not after chat 91's 2-second wait
