"""Leave no trace: a whole conversation leaves nothing of itself in logs or files, and the bot
says plainly what it keeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from fakebotapi import FakeBotAPI, all_message_ids

from bot.core.conversation import Conversation
from bot.fronts.plaintext import to_plain

PHRASE = "zebra-lantern-7731"
CHAT_ID = 918_273_645
FIRST, LAST, USERNAME = "Quillonia", "Vantreskova", "quillonia_vx"
CONTACT_PHONE = "+447700900123"


class _Person(FakeBotAPI):
    """The fake, with a person whose every identifier is unique enough to search for."""

    def user_info(self, user_id: int) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": FIRST,
            "last_name": LAST,
            "username": USERNAME,
            "language_code": "en",
        }

    def chat_info(self, chat_id: int, chat_type: str = "private", title: str = "") -> dict:
        if chat_type != "private":
            return super().chat_info(chat_id, chat_type, title)
        return {"id": chat_id, "type": "private", "first_name": FIRST, "last_name": LAST,
                "username": USERNAME}  # fmt: skip


def _converse(api: FakeBotAPI) -> None:
    """A dozen messages of every kind, with the phrase in many, each answered before the next."""
    chat, typo = CHAT_ID, {}
    steps = [
        lambda: api.send_text("/start", chat_id=chat),
        lambda: api.send_text(f"my partner {PHRASE} hits me, I live in croydon", chat_id=chat),
        lambda: api.send_text(f"he is outside the door {PHRASE}", chat_id=chat),
        lambda: typo.update(api.send_text(f"croyden {PHRASE}", chat_id=chat)),
        lambda: api.edit_text(typo["message"]["message_id"], f"ealing {PHRASE}", chat_id=chat),
        lambda: api.press_button("help", chat_id=chat),
        lambda: api.send_media("photo", chat_id=chat, caption=f"{PHRASE} look"),
        lambda: api.send_media("contact", chat_id=chat),
        lambda: api.send_media("location", chat_id=chat),
        lambda: api.send_text(f"/figures {PHRASE}", chat_id=chat),
        lambda: api.send_text("/discreet on", chat_id=chat),
        lambda: api.send_text(f"/services {PHRASE} men", chat_id=chat),
        lambda: api.send_text(f"thank you {PHRASE}", chat_id=chat),
    ]
    for answered, step in enumerate(steps, start=1):
        step()
        api.wait_for("sendMessage", answered, timeout=15, where=lambda c: c.status == 200)
    api.send_text("/exit", chat_id=chat)
    api.wait_for("deleteMessages", timeout=15)


def test_a_whole_conversation_leaves_no_text_ids_names_or_numbers_in_logs_or_files(
    tmp_path: Path,
) -> None:
    home, cache, work, tmp = (tmp_path / d for d in ("home", "cache", "work", "tmp"))
    for folder in (home, cache, work, tmp):
        folder.mkdir()
    # Files, not pipes: a pipe nobody reads would stall a bot that logs a lot.
    out_file, err_file = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with _Person() as api:
        # Faults on the way, so that error paths log too.
        api.fail("sendMessage", 429, retry_after=1)
        api.fail("sendMessage", 500, times=3)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
        env |= {"HOME": str(home), "XDG_CACHE_HOME": str(cache), "TMPDIR": str(tmp),
                "XDG_STATE_HOME": str(home / ".local" / "state"),  # the outbox: searched too
                "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.base_url}  # fmt: skip
        with out_file.open("w") as stdout, err_file.open("w") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run", "--log-level", "DEBUG"],
                cwd=work, env=env, stdout=stdout, stderr=stderr,
            )  # fmt: skip
            try:
                _converse(api)
            finally:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)
        out, err = out_file.read_text(), err_file.read_text()
        ids = all_message_ids(api, CHAT_ID)
        deleted = {i for c in api.calls_to("deleteMessages") for i in c.params["message_ids"]}
        left = api.messages(CHAT_ID)
    assert process.returncode == 0, err
    assert "update failed" in err and "quick exit" in err  # the run did log, at DEBUG
    assert set(ids) <= deleted and left == []

    forbidden = [PHRASE, str(CHAT_ID), FIRST, LAST, USERNAME, CONTACT_PHONE, CONTACT_PHONE[1:],
                 "7700900123", api.token, api.token.partition(":")[2]]  # fmt: skip
    logs = out + err
    for secret in forbidden:
        assert secret not in logs, f"{secret!r} in the logs"
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in written)  # it did write its store
    for path in written:
        content = path.read_bytes()
        for secret in forbidden:
            assert secret.encode() not in content, f"{secret!r} in {path}"
            assert secret.encode("utf-16-le") not in content, f"{secret!r} in {path}"


def _plain(conversation: Conversation, command: str) -> str:
    return to_plain(conversation.command(command).text)


def test_privacy_says_what_is_kept_for_how_long_and_what_never_is(
    conversation: Conversation,
) -> None:
    text = _plain(conversation, "privacy")
    assert "What I keep" in text and "What I never keep" in text
    assert "48 hours" in text
    assert "Never what they say" in text
    assert "discreet" in text.lower()
    assert "your name" in text and "phone number" in text
    assert "logs" in text


def test_privacy_and_start_say_what_the_quick_exit_can_and_cannot_do(
    conversation: Conversation,
) -> None:
    for page in ("privacy", "start"):
        text = _plain(conversation, page)
        assert "/exit" in text and "Leave quickly" in text
        assert "48 hours" in text
        assert "Older messages stay" in text or "older than 48 hours stay" in text
        assert "press and hold it" in text and "Delete" in text  # how to remove the chat
    assert "restart" in _plain(conversation, "privacy")
