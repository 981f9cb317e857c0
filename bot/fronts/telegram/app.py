"""The bot's lifecycle: build the python-telegram-bot Application, serve it, run it.

Settings, handlers, sending and pacing live in their own modules; this one puts them
together and keeps the bot starting and stopping cleanly through Telegram's errors.
"""

from __future__ import annotations

# Redis (redis-py, ~6 MB) is imported only when the state is in Redis: see _redis_errors and
# the imports inside run() and build_application().
import asyncio
import gc
import logging
import os
import signal
import sqlite3
import sys
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, cast
from urllib.parse import urlparse, urlsplit

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot.core.conversation import Conversation
from bot.fronts.telegram import logsafe
from bot.fronts.telegram.arenas import limit_arenas
from bot.fronts.telegram.describe import OTHER_MENUS, menus_and_descriptions
from bot.fronts.telegram.dispatch import Dispatcher
from bot.fronts.telegram.handlers import TelegramFront, register_handlers
from bot.fronts.telegram.intake import Intake
from bot.fronts.telegram.outbox import MemoryOutbox, Outbox, SqliteOutbox, default_outbox_path
from bot.fronts.telegram.outgoing import Sender, with_retries
from bot.fronts.telegram.pacing import CHAT_PACE, CONCURRENT_UPDATES, PacedRateLimiter
from bot.fronts.telegram.settings import (
    STARTUP_RETRIES,
    Polling,
    Settings,
    StartError,
    Webhook,
    api_urls,
    check,
)
from bot.fronts.telegram.transport import bot_request
from bot.fronts.telegram.updates import UpdatesRequest, Vetting
from bot.fronts.telegram.webhook import WebhookServer
from bot.session.session import Front, Session
from bot.session.state import (
    ChatState,
    InMemoryChatState,
    StateError,
    check_state,
    close_state,
    describe,
    open_state,
)
from bot.session.state.keys import SECRET_ENV, secret_from_env
from bot.session.state.opening import REDIS_SCHEMES, URL_ENV

__all__ = [  # the settings are re-exported: the CLI and the tests import them from here
    "Polling",
    "Settings",
    "StartError",
    "Webhook",
    "api_urls",
    "build_application",
    "check",
    "run",
    "serve",
]

if TYPE_CHECKING:
    from bot.fronts.telegram.redis_outbox import RedisOutbox
    from bot.fronts.telegram.shared_dispatch import SharedDispatcher

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
VETTING = "helpline.vetting"  # bot_data key: the count of updates skipped as unreadable
UPDATES = "helpline.updates"  # bot_data key: the getUpdates connection (UpdatesRequest)
INTAKE = "helpline.intake"  # bot_data key: the Intake (and through it the front and outbox)


def run(settings: Settings, conversation: Conversation) -> None:
    """Set up safe logging, build the bot and run it until SIGINT or SIGTERM."""
    limit_arenas()  # before any thread: see arenas.py
    transport = settings.transport()
    token = settings.token.strip()
    redact = logsafe.setup(
        settings.log_level,
        [
            token,
            *([transport.secret_token] if isinstance(transport, Webhook) else []),
            *_state_secrets(settings.state),
        ],
    )
    try:
        state = open_state(settings.state)
    except StateError as error:
        raise StartError(str(error)) from None
    bot_id = token.partition(":")[0]  # the bot's public id, not its secret
    outbox: SqliteOutbox | RedisOutbox = SqliteOutbox(
        settings.outbox or default_outbox_path(bot_id)
    )
    url = settings.state or os.environ.get(URL_ENV) or ""
    if urlsplit(url).scheme in REDIS_SCHEMES:  # several instances: the outbox in Redis too
        secret = secret_from_env()
        assert secret is not None  # open_state refused the Redis state without one
        from bot.fronts.telegram.redis_outbox import RedisOutbox

        outbox = RedisOutbox.from_url(url, secret, bot_id)
    app = build_application(
        token, conversation, api_url=settings.api_url, state=state, outbox=outbox
    )

    async def main() -> None:
        try:
            await check_state(state)
            log.debug("chat state: %s", describe(settings.state))
            await serve(app, transport, startup_retries=settings.startup_retries)
        finally:
            await close_state(state)

    gc.collect()  # what is built by now lasts as long as the process: the garbage
    gc.freeze()  # collector need not go through it again and again
    try:
        asyncio.run(main())
    except StateError as error:
        raise StartError(str(error)) from None
    except InvalidToken:
        raise StartError(
            "Telegram refused the bot token: check it with @BotFather (it may have been revoked)"
        ) from None
    except TelegramError as error:
        where = urlparse(settings.api_url).netloc if settings.api_url else "api.telegram.org"
        raise StartError(
            f"cannot start: the Bot API at {where} failed "
            f"({type(error).__name__}: {redact.redact(str(error))})"
        ) from None
    except sqlite3.Error as error:
        raise StartError(f"cannot open the outbox {_where(outbox)}: {error}") from None
    except _redis_errors() as error:
        raise StartError(f"cannot reach the Redis outbox ({type(error).__name__})") from None
    except OSError as error:  # the webhook's port
        if error.filename:  # the outbox's folder or file
            raise StartError(f"cannot open the outbox {_where(outbox)}: {error.strerror}") from None
        raise StartError(
            f"cannot listen on {settings.listen}:{settings.port}: {error.strerror or error}"
        ) from None


def _where(outbox: object) -> str:
    return str(getattr(outbox, "path", "in Redis"))


def _state_secrets(url: str | None) -> list[str]:
    """What the logs must never show of the state: a password in its URL, the key secret."""
    url = url or os.environ.get(URL_ENV) or ""
    password = urlsplit(url).password if url else None
    return [s for s in (password, os.environ.get(SECRET_ENV)) if s]


def build_application(
    token: str,
    conversation: Conversation,
    *,
    api_url: str | None = None,
    state: ChatState | None = None,
    chat_pace: tuple[float, float] | None = CHAT_PACE,
    concurrent_updates: int = CONCURRENT_UPDATES,
    outbox: Outbox | RedisOutbox | None = None,
) -> Application:
    """The python-telegram-bot Application with every handler registered.

    `concurrent_updates` is how many jobs are sent at once; `outbox` keeps what updates
    left to do (default: in memory, nothing kept beyond the process).
    """
    state = state or InMemoryChatState()
    outbox = outbox or MemoryOutbox()
    limiter: PacedRateLimiter
    dispatcher: Dispatcher | SharedDispatcher
    if getattr(outbox, "shared", False):  # with other instances: pace and jobs shared
        from bot.fronts.telegram.redis_outbox import RedisOutbox
        from bot.fronts.telegram.shared_dispatch import SharedDispatcher
        from bot.fronts.telegram.shared_pace import SharedPace, SharedPacedRateLimiter

        assert isinstance(outbox, RedisOutbox)
        pace = SharedPace(outbox.client, outbox.prefix + "pace")
        limiter = SharedPacedRateLimiter(pace, chat_pace, max_retries=3)
        dispatcher = SharedDispatcher(outbox, concurrent_updates)
        dispatcher.mark_lost = state.mark_lost
    else:
        limiter = PacedRateLimiter(chat_pace, max_retries=3)
        dispatcher = Dispatcher(cast("Outbox", outbox), concurrent_updates)
    front = TelegramFront(
        Session(conversation, state, Front.TELEGRAM),
        state,
        Sender(state, conversation.draw),
        dispatcher,  # type: ignore[arg-type]
    )
    vetting = Vetting()
    updates_request = UpdatesRequest(vetting, connection_pool_size=1)
    builder = (
        ApplicationBuilder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        # Telegram's limits (30 messages/s overall, 20/min per group); a 429 is waited out.
        .rate_limiter(limiter)
        .post_init(menus_and_descriptions(conversation))
        .request(bot_request())
        .get_updates_request(updates_request)
    )
    if api_url:
        base_url, file_url = api_urls(api_url)
        builder = builder.base_url(base_url).base_file_url(file_url)
    application = builder.build()
    application.bot_data[VETTING] = vetting
    application.bot_data[UPDATES] = updates_request
    application.bot_data[INTAKE] = Intake(application, front, outbox)  # type: ignore[arg-type]
    register_handlers(application, front)
    return application


async def serve(
    app: Application,
    transport: Polling | Webhook,
    stop: asyncio.Event | None = None,
    *,
    startup_retries: int = STARTUP_RETRIES,
) -> None:
    """Run until `stop` is set (or SIGINT/SIGTERM when `stop` is None).

    The Application's own lifecycle, step by step, so a rejected token or an unreachable
    API surfaces here as an exception instead of a logged traceback.
    """
    own_signals = stop is None
    stop = stop or asyncio.Event()
    if own_signals:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
    intake: Intake = app.bot_data[INTAKE]
    await _initialize(app, startup_retries)
    server: WebhookServer | None = None
    polling: asyncio.Task[None] | None = None
    dispatcher = intake.dispatcher
    try:
        await _resume(intake, app.bot)
        if app.post_init:
            await app.post_init(app)
        await app.start()  # before any update can come in
        if isinstance(transport, Webhook):
            # Our own server (webhook.py) rather than PTB's, for its limits; each update is
            # read and its jobs kept before Telegram gets its 200.
            server = WebhookServer(
                intake.take,
                app.bot,
                transport.secret_token,
                transport.path,
                app.bot_data.get(VETTING) or Vetting(),
            )
            server.start(transport.listen, transport.port)
            await with_retries(
                lambda: app.bot.set_webhook(
                    transport.url,
                    secret_token=transport.secret_token,
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
        else:
            await with_retries(app.bot.delete_webhook)  # getUpdates is refused while one is set
            polling = asyncio.create_task(
                intake.poll(
                    app.bot, app.bot_data[UPDATES], stop, transport.timeout, ALLOWED_UPDATES
                )
            )
        log.info("running (%s)", type(transport).__name__.lower())
        await (polling if polling is not None else stop.wait())
        log.info("stopping")
    finally:
        steps = _Steps()
        if polling is not None and not polling.done():
            polling.cancel()
        if menus := app.bot_data.get(OTHER_MENUS):
            menus.cancel()
        if server is not None:  # also when setWebhook failed: the port is let go
            await steps.timed("server", server.stop())
        # Jobs not done stay in the outbox for the next start.
        await steps.timed("jobs", dispatcher.stop())
        if app.running:
            await steps.timed("application", app.stop())
        await steps.timed("outbox", intake.outbox.close())
        await steps.timed("shutdown", app.shutdown())
        log.info("stopped in %s", steps)


class _Steps:
    """How long each step of a stop took, for the log: a slow stop says which step it was."""

    def __init__(self) -> None:
        self.taken: list[tuple[str, float]] = []

    async def timed(self, name: str, step: Awaitable[object]) -> None:
        began = time.monotonic()
        try:
            await step
        finally:
            self.taken.append((name, time.monotonic() - began))

    def __str__(self) -> str:
        total = sum(seconds for _, seconds in self.taken)
        return f"{total:.2f} s (" + ", ".join(f"{n} {s:.2f}" for n, s in self.taken) + ")"


async def _resume(intake: Intake, bot: Bot) -> None:
    """Open the outbox and take up what it kept from before: the bot was stopped or died.

    A send whose request had left may have arrived: an ordinary reply is not sent again
    (its chat is marked as possibly not fully erasable); a danger reply or a note is, as
    twice is better than never.
    """
    outbox, front = intake.outbox, intake.front
    await outbox.open()
    front.bot = bot
    waiting = await outbox.waiting()
    again = [job for job in waiting.maybe_sent if job.urgent]
    for job in waiting.maybe_sent:
        if not job.urgent:
            await front.state.mark_lost(job.chat_id)
    outbox.done(job.id for job in waiting.maybe_sent if not job.urgent)
    jobs = sorted([*waiting.jobs, *again], key=lambda job: job.id)
    if jobs or waiting.maybe_sent:
        log.info("taking up %d jobs kept from before the last stop", len(jobs))
    intake.dispatcher.restore(jobs)
    intake.dispatcher.start()


async def _initialize(app: Application, retries: int = STARTUP_RETRIES) -> None:
    """getMe checks the token; an unreachable API is tried again a few times first."""
    try:
        for attempt in range(retries):
            try:
                await app.initialize()
                return
            except BadRequest:
                raise
            except NetworkError as error:
                pause = 2**attempt
                log.warning(
                    "cannot reach the Bot API (%s); trying again in %ss",
                    type(error).__name__,
                    pause,
                )
                await asyncio.sleep(pause)
        await app.initialize()
    except BaseException:
        await app.bot.shutdown()  # close the connections the attempts opened
        raise


def _redis_errors() -> tuple[type[BaseException], ...]:
    """Redis's errors when Redis is in use (its client imported), else nothing to catch."""
    module = sys.modules.get("redis.exceptions")
    return (module.RedisError,) if module is not None else ()
