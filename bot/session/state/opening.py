"""Opening the chat state `helpline-bot run` asked for: a SQLite file, Redis, or memory.

The URL (--state, else $HELPLINE_STATE):

- (nothing)             the SQLite file in the state folder (HELPLINE_STATE_DIR, else
                        the user's state folder), its secret from HELPLINE_STATE_SECRET
                        or a 0600 key file made beside it
- sqlite:///PATH        that SQLite file (the key file beside it, likewise)
- redis://HOST:PORT/N   a Redis server (rediss:// for TLS, unix:///PATH for a socket);
                        HELPLINE_STATE_SECRET is then required: every instance needs it
- memory:               this process's memory only (gone at every restart)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.session.state.failsoft import FailSoft
from bot.session.state.keys import (
    SECRET_ENV,
    STATE_FILE,
    SecretError,
    key_file_secret,
    secret_from_env,
    state_dir,
)
from bot.session.state.memory import InMemoryChatState

if TYPE_CHECKING:
    from bot.session.state import ChatState

URL_ENV = "HELPLINE_STATE"
REDIS_SCHEMES = ("redis", "rediss", "unix")


class StateError(Exception):
    """The chat state cannot be opened; one line for the person running the bot."""


def describe(url: str | None) -> str:
    """Where the state is, for a log line: never a password."""
    url = url or os.environ.get(URL_ENV) or ""
    if not url:
        return f"sqlite file {state_dir() / STATE_FILE}"
    parts = urlsplit(url)
    if parts.scheme in REDIS_SCHEMES:
        where = parts.hostname or ""
        if parts.port:
            where += f":{parts.port}"
        return f"redis at {where}{parts.path}"
    if parts.scheme == "sqlite":
        return f"sqlite file {_sqlite_path(url)}"
    return parts.scheme or "?"


def _sqlite_path(url: str) -> Path:
    rest = url[len("sqlite:") :]
    return Path(rest[2:] if rest.startswith("//") else rest)


def open_state(url: str | None = None, **options: Any) -> ChatState:
    """The state at `url` (else $HELPLINE_STATE, else the default SQLite file).

    Raises StateError with a plain message. A Redis server is only reached when used:
    await check_state() at start to find out. A durable store is wrapped in FailSoft: if
    it fails later, replies still go (see failsoft.py).
    """
    url = url or os.environ.get(URL_ENV) or ""
    scheme = urlsplit(url).scheme if url else "sqlite"
    try:
        if scheme == "memory":
            return InMemoryChatState(**options)
        if scheme == "sqlite":
            return _open_sqlite(_sqlite_path(url) if url else state_dir() / STATE_FILE, options)
        if scheme in REDIS_SCHEMES:
            secret = secret_from_env()
            if secret is None:
                raise StateError(
                    f"the Redis state needs {SECRET_ENV}: set it to the same long random "
                    "string on every instance (e.g. from `openssl rand -hex 32`)"
                )
            import redis.exceptions

            from bot.session.state.redis_store import RedisChatState

            try:
                return FailSoft(
                    RedisChatState.from_url(url, secret, **options),
                    (redis.exceptions.RedisError, OSError),
                )
            except ValueError:
                raise StateError(f"cannot read the Redis address ({describe(url)})") from None
    except SecretError as error:
        raise StateError(str(error)) from None
    wanted = "sqlite:///PATH, redis://HOST:PORT/N or memory:"
    raise StateError(f"the state must be {wanted} (not {scheme or url!r})")


def _open_sqlite(path: Path, options: dict[str, Any]) -> ChatState:
    import sqlite3

    from bot.session.state.sqlite_store import SqliteChatState

    path = path.expanduser().absolute()
    try:
        secret = secret_from_env() or key_file_secret(path.parent)
        return FailSoft(SqliteChatState(path, secret, **options), (sqlite3.Error, OSError))
    except (OSError, sqlite3.Error) as error:
        reason = getattr(error, "strerror", None) or error
        raise StateError(f"cannot open the chat state file {path}: {reason}") from None


async def check_state(state: ChatState) -> None:
    """Make sure a Redis server answers; StateError with a plain message if not."""
    # Only a Redis store (perhaps inside FailSoft) has a server to reach. The SQLite file
    # and memory have none, and then redis (about 5 MB once imported) is never loaded.
    if getattr(getattr(state, "inner", state), "check", None) is None:
        return
    import redis.exceptions

    try:
        await state.check()  # type: ignore[attr-defined]
    except redis.exceptions.AuthenticationError:
        raise StateError("the Redis server refused the password in the state URL") from None
    except redis.exceptions.RedisError as error:
        raise StateError(
            f"cannot reach the Redis server ({type(error).__name__}): is it running, "
            "and is the state URL right?"
        ) from None
    except OSError as error:
        raise StateError(f"cannot reach the Redis server ({error.strerror or error})") from None


async def close_state(state: ChatState) -> None:
    """Let the store go: close the file, or the connections."""
    aclose = getattr(state, "aclose", None)
    if aclose is not None:
        await aclose()
        return
    close = getattr(state, "close", None)
    if close is not None:
        close()
