"""Logging that holds nothing personal: no token, no message text, ids only as a salted hash.

The token rides in every Bot API URL, and python-telegram-bot logs request
parameters (message text included) at DEBUG. So the libraries are held at a safe
level, every record is passed through a filter that removes secrets, and
exception messages from anything but the Bot API are reduced to their type,
because they may quote what someone wrote.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
import secrets
import sys
import traceback
from collections.abc import Iterable, Mapping
from typing import TextIO

from telegram.error import TelegramError

REDACTED = "[redacted]"
# Below these levels the libraries log URLs (the token) or request data (telegram: text).
_LIBRARY_FLOORS = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    # Malformed or refused requests to the webhook, at INFO: a flood under attack.
    "tornado": logging.WARNING,
}
# python-telegram-bot logs a server answer it cannot parse verbatim; that body may echo a message.
_VERBATIM_BODY = "Can not load invalid JSON data"
# Loggers whose arguments are this project's own (pseudonyms, counts, type names).
_OWN = "bot"
_NOT_LOGGED = "[not logged]"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A process-wide salt: hashes can be matched within one run, never reversed or joined across runs.
_SALT = os.environ.get("HELPLINE_LOG_SALT", "").encode() or secrets.token_bytes(16)


def pseudonym(identifier: int | str) -> str:
    """A chat or user id as a short salted hash, for logs that must tell chats apart."""
    return hmac.new(_SALT, str(identifier).encode(), hashlib.sha256).hexdigest()[:10]


def _secret_forms(secret: str) -> set[str]:
    """The secret and the ways it can appear in a URL or a repr."""
    forms = {secret, secret.replace(":", "%3A"), secret.replace(":", "%3a")}
    _, _, after_colon = secret.partition(":")
    if len(after_colon) >= 8:  # a bot token's secret half, on its own
        forms.add(after_colon)
    return {form for form in forms if form}


def safe_exception_text(exc_info: tuple) -> str:
    """The traceback (where it happened) with only Bot API errors keeping their message."""
    _, exc, tb = exc_info
    lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb)]
    chain: list[str] = []
    while exc is not None:
        name = type(exc).__qualname__
        chain.append(f"{name}: {exc}" if isinstance(exc, TelegramError) else name)
        exc = exc.__cause__ or exc.__context__
    return "".join(lines) + " <- ".join(chain)


def _scrubbed(
    args: tuple[object, ...] | Mapping[str, object] | None,
) -> tuple[object, ...] | Mapping[str, object] | None:
    """A library record's arguments with anything that could hold an update's content removed.

    python-telegram-bot passes whole updates and API answers as arguments ("Received data
    was %r", at CRITICAL); numbers and error types are all a log needs from a library.
    """
    if not args:
        return args
    if isinstance(args, dict):  # logging unpacks a lone dict argument, e.g. an update's JSON
        return (_NOT_LOGGED,)
    if isinstance(args, tuple):
        return tuple(_safe_argument(value) for value in args)
    return (_safe_argument(args),)  # logging takes a lone argument as a one-item tuple


def _safe_argument(value: object) -> object:
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, BaseException):
        return type(value).__name__
    return _NOT_LOGGED


class RedactFilter(logging.Filter):
    """Drops unsafe library debug records and removes secrets from everything else.

    Attach it to handlers (not loggers), so records from every logger pass through it.
    """

    def __init__(self, secrets_: Iterable[str] = ()):
        super().__init__()
        self._forms: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self.add_secrets(secrets_)

    def add_secrets(self, secrets_: Iterable[str]) -> None:
        for secret in secrets_:
            if secret:
                self._forms |= _secret_forms(secret)
        # Longest first, so a whole token is replaced before its secret half.
        ordered = sorted(self._forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def redact(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text) if self._pattern else text

    def filter(self, record: logging.LogRecord) -> bool:
        for prefix, floor in _LIBRARY_FLOORS.items():
            if record.name.partition(".")[0] == prefix and record.levelno < floor:
                return False
        if str(record.msg).startswith(_VERBATIM_BODY):
            record.msg, record.args = f"{_VERBATIM_BODY} (body not logged)", None
        if record.name.partition(".")[0] != _OWN:
            record.args = _scrubbed(record.args)
            if not isinstance(record.msg, str):  # an object logged as it is: its type only
                record.msg = type(record.msg).__name__
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = self.redact(message), None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = self.redact(safe_exception_text(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def setup(
    level: int | str = logging.INFO,
    secrets_: Iterable[str] = (),
    stream: TextIO | None = None,
) -> RedactFilter:
    """Configure the root logger once for the bot: one handler, the filter, safe library levels."""
    redact = RedactFilter(secrets_)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(redact)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_helpline", False)]:
        root.removeHandler(old)
    handler._helpline = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name, floor in _LIBRARY_FLOORS.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(floor, logger.getEffectiveLevel()))
    return redact
