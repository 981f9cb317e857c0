"""How `helpline-bot run` was asked to run, checked before anything starts."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

# A bot token: the bot's numeric id, a colon, then about 35 letters, digits, - and _.
TOKEN_SHAPE = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{30,60}$")
# What Telegram allows in a webhook's secret token.
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
STARTUP_RETRIES = 3  # attempts to reach the Bot API at start before giving up


@dataclass(frozen=True, slots=True)
class Polling:
    """Long polling: `timeout` is how long each getUpdates may wait for news."""

    timeout: float = 30.0


@dataclass(frozen=True, slots=True)
class Webhook:
    """Telegram POSTs updates to `url`; the bot's server (webhook.py) listens on listen:port."""

    url: str
    secret_token: str
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def path(self) -> str:
        """The path the server answers on: the public URL's path (a proxy may forward it)."""
        return urlparse(self.url).path.lstrip("/")


class StartError(Exception):
    """The bot cannot start; the message is one line for the person running it."""


@dataclass(frozen=True, slots=True)
class Settings:
    """How `helpline-bot run` was asked to run."""

    token: str
    api_url: str | None = None
    webhook_url: str | None = None
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None
    log_level: str = "INFO"
    poll_timeout: float = 30.0
    startup_retries: int = STARTUP_RETRIES
    state: str | None = None  # the chat state's URL (bot.session.state.open_state)
    outbox: Path | None = None  # where replies wait to be sent (default: the state folder)

    def transport(self) -> Polling | Webhook:
        if not self.webhook_url:
            return Polling(self.poll_timeout)
        secret = self.secret_token or secrets.token_urlsafe(32)
        return Webhook(self.webhook_url, secret, self.listen, self.port)


def check(settings: Settings) -> None:
    """Refuse a missing or malformed token, URL or secret with one clear line."""
    token = settings.token.strip()
    if not token:
        raise StartError(
            "no bot token: set TELEGRAM_BOT_TOKEN to the token @BotFather gave you, "
            "or pass --token (see README, 'Creating the bot')"
        )
    if not TOKEN_SHAPE.match(token):
        raise StartError(
            "the bot token does not look like one from @BotFather (digits, a colon, then "
            "about 35 letters and digits): copy it again"
        )
    for name, url in (("--api-url", settings.api_url), ("--webhook-url", settings.webhook_url)):
        if url and urlparse(url).scheme not in ("http", "https"):
            raise StartError(f"{name} must start with https:// or http://")
    if settings.secret_token and not SECRET_SHAPE.match(settings.secret_token):
        raise StartError(
            "the webhook secret token may only hold letters, digits, _ and - (at most 256)"
        )


def api_urls(api_url: str) -> tuple[str, str]:
    """A Bot API base URL (token appended) and its file URL, e.g. http://host:8081/bot."""
    if "{token}" in api_url:
        return api_url, api_url.replace("/bot{token}", "/file/bot{token}")
    base = api_url.rstrip("/")
    if not base.endswith("/bot"):
        base += "/bot"
    return base, base[: -len("/bot")] + "/file/bot"
