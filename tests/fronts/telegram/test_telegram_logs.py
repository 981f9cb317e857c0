"""Logs: the token never appears, libraries stay quiet, exceptions keep only where they happened."""

from __future__ import annotations

import io
import logging
import re

import pytest
from fakebotapi import FakeBotAPI
from telegram.error import InvalidToken
from telegram_harness import (
    logging_restored_fixture,  # noqa: F401 - a fixture
    running_bot,
)

from bot.core.conversation import Conversation
from bot.fronts.telegram import logsafe

TOKEN = "987654321:AAHsecretPartOfTheTokenForLogTests_x"


@pytest.fixture
def captured(logging_restored: None) -> io.StringIO:
    """logsafe.setup at DEBUG into a buffer (the logging configuration is restored after)."""
    stream = io.StringIO()
    logsafe.setup(logging.DEBUG, [TOKEN], stream=stream)
    return stream


def test_a_whole_run_with_errors_logs_neither_the_token_nor_its_secret_half(
    captured: io.StringIO, conversation: Conversation
) -> None:
    with FakeBotAPI(TOKEN) as api:
        api.fail("getUpdates", 500)
        api.fail("sendMessage", 429, retry_after=1)
        api.fail("sendMessage", 500, times=3)  # more than the retries: the error handler runs
        api.send_text("/start")
        api.send_text("croydon")
        api.send_text("he is outside my door")
        with running_bot(api, conversation):
            api.wait_for("sendMessage", 3, where=lambda c: c.status == 200, timeout=15)
    logs = captured.getvalue()
    assert "update failed" in logs and "Traceback" in logs  # there was something to log
    assert "getUpdates failed" in logs
    secret_half = TOKEN.partition(":")[2]
    assert TOKEN not in logs and secret_half not in logs
    assert "croydon" not in logs.lower() and "outside my door" not in logs


def test_a_stop_logs_how_long_each_of_its_steps_took(
    captured: io.StringIO, conversation: Conversation
) -> None:
    # A slow stop was once seen in CI and not understood; the log now says which step it was.
    with FakeBotAPI(TOKEN) as api:
        api.send_text("croydon")
        with running_bot(api, conversation):
            api.wait_for("sendMessage", 1, timeout=15)
    stopped = [line for line in captured.getvalue().splitlines() if "stopped in" in line]
    assert len(stopped) == 1
    assert re.search(r"stopped in \d+\.\d\d s \(jobs \d+\.\d\d, application \d+\.\d\d, "
                     r"outbox \d+\.\d\d, shutdown \d+\.\d\d\)", stopped[0])  # fmt: skip


def test_a_start_leaves_no_task_python_telegram_bot_warns_of(
    conversation: Conversation, recwarn: pytest.WarningsRecorder
) -> None:
    # The menus in other languages are set in a task of their own, started before the
    # Application is: PTB warned at every start that it would not await it.
    with FakeBotAPI(TOKEN) as api:
        api.send_text("hello")
        with running_bot(api, conversation):
            api.wait_for("sendMessage", 1, timeout=15)
    assert [str(w.message) for w in recwarn if "create_task" in str(w.message)] == []


def _record(message: str, *args: object, name: str = "bot", level: int = logging.INFO):
    return logging.LogRecord(name, level, __file__, 1, message, args, None)


def test_the_filter_redacts_the_token_in_messages_arguments_and_url_forms() -> None:
    redact = logsafe.RedactFilter([TOKEN])
    for record in (
        _record("POST https://api.telegram.org/bot%s/getMe", TOKEN),
        _record(f"url-encoded {TOKEN.replace(':', '%3A')}"),
        _record("only the secret half %s", TOKEN.partition(":")[2]),
    ):
        assert redact.filter(record)
        assert TOKEN.partition(":")[2] not in record.getMessage()
        assert logsafe.REDACTED in record.getMessage()


def test_exceptions_keep_bot_api_messages_without_the_token_and_drop_others() -> None:
    redact = logsafe.RedactFilter([TOKEN])
    try:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.")
    except InvalidToken as error:
        telegram_record = _record("start failed")
        telegram_record.exc_info = (type(error), error, error.__traceback__)
    try:
        written = "he hurts me"  # as if it came from a message
        raise ValueError(f"someone wrote: {written}")
    except ValueError as error:
        own_record = _record("failed")
        own_record.exc_info = (type(error), error, error.__traceback__)
    for record in (telegram_record, own_record):
        redact.filter(record)
    assert "rejected by the server" in telegram_record.exc_text
    assert TOKEN.partition(":")[2] not in telegram_record.exc_text
    assert "ValueError" in own_record.exc_text and "hurts" not in own_record.exc_text
    assert "Traceback" in own_record.exc_text  # where it happened is kept


@pytest.mark.parametrize(
    ("name", "level", "kept"),
    [
        ("httpx", logging.INFO, False),  # request lines carry the URL, so the token
        ("httpx", logging.WARNING, True),
        ("telegram.Bot", logging.DEBUG, False),  # request parameters, so message text
        ("telegram.ext.Application", logging.INFO, True),
        ("bot.fronts.telegram.app", logging.DEBUG, True),
    ],
)
def test_library_records_below_their_safe_level_are_dropped(
    name: str, level: int, kept: bool
) -> None:
    assert logsafe.RedactFilter([]).filter(_record("x", name=name, level=level)) is kept


def test_a_server_answer_python_telegram_bot_would_log_verbatim_is_not_logged() -> None:
    record = _record('Can not load invalid JSON data: "%s"', "he said he'd kill me", name="t")
    logsafe.RedactFilter([]).filter(record)
    assert "kill" not in record.getMessage()


def test_pseudonyms_tell_chats_apart_without_showing_their_ids() -> None:
    one, again, other = (
        logsafe.pseudonym(123456789),
        logsafe.pseudonym(123456789),
        logsafe.pseudonym(2),
    )
    assert one == again and one != other
    assert "123456789" not in one and len(one) == 10
