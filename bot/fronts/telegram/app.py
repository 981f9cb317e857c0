"""The Telegram front: a thin adapter from Updates to the core and from Replies to messages.

No wording and no decisions about content live here: the core answers, the templates
speak. This module only reads updates, sends what the core returned, and keeps the bot
running through Telegram's errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import logging
import re
import secrets
import signal
import time
import warnings
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from aiolimiter import AsyncLimiter
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core import buttons
from bot.core.conversation import Conversation
from bot.domain.models import Reply
from bot.fronts.telegram import logsafe
from bot.fronts.telegram.aiohttp_request import AiohttpRequest, may_have_arrived
from bot.fronts.telegram.logsafe import pseudonym
from bot.fronts.telegram.split import split_html, units
from bot.fronts.telegram.updates import UpdatesRequest, Vetting
from bot.fronts.telegram.webhook import WebhookServer
from bot.session import commands, quick_exit
from bot.session.commands import Answerer
from bot.session.state import DELETE_WINDOW, ChatState, InMemoryChatState

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
T = TypeVar("T")

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# A bot token: the bot's numeric id, a colon, then about 35 letters, digits, - and _.
TOKEN_SHAPE = re.compile(r"^[0-9]{1,20}:[A-Za-z0-9_-]{30,60}$")
# What Telegram allows in a webhook's secret token.
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
STARTUP_RETRIES = 3  # attempts to reach the Bot API at start before giving up
CAPTION_LIMIT = 1024  # Telegram's limit on a photo caption
DRAWING_THREADS = 4  # questions waiting for a chart at once (bot.core.charts draws one at a time)
# Updates answered at once, across chats. Enough to keep Telegram's 30 messages a second
# flowing at ~100 ms a request; on loopback 16 or 32 at once were no faster (bench/e2e.py).
CONCURRENT_UPDATES = 8
VETTING = "helpline.vetting"  # bot_data key: the count of updates skipped as unreadable
WAITING_UPDATES = 1_000_000  # the base class's limit, out of reach (PerChatUpdateProcessor)
SEND_RETRIES = 2  # a send that failed on the server's side (5xx, dropped connection) is retried
# About one message a second per private chat, with room for a burst (a reply in parts, a few
# quick questions). Pacing a flood in one chat matters: a 429 pauses the bot for everyone.
CHAT_PACE = (20, 20.0)  # at most 20 messages in any 20 seconds, refilling at one a second
# Kinds of message the bot cannot read, in the order filters test them.
NON_TEXT = {
    "sticker": filters.Sticker.ALL,
    "animation": filters.ANIMATION,
    "photo": filters.PHOTO,
    "video_note": filters.VIDEO_NOTE,
    "video": filters.VIDEO,
    "voice": filters.VOICE,
    "audio": filters.AUDIO,
    "document": filters.Document.ALL,
    "venue": filters.VENUE,
    "location": filters.LOCATION,
    "contact": filters.CONTACT,
    "other": filters.POLL | filters.Dice.ALL | filters.STORY | filters.GAME,
}


# -- running -------------------------------------------------------------------------


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


def run(settings: Settings, conversation: Conversation) -> None:
    """Set up safe logging, build the bot and run it until SIGINT or SIGTERM."""
    transport = settings.transport()
    token = settings.token.strip()
    redact = logsafe.setup(
        settings.log_level,
        [token, *([transport.secret_token] if isinstance(transport, Webhook) else [])],
    )
    app = build_application(token, conversation, api_url=settings.api_url)
    try:
        asyncio.run(serve(app, transport, startup_retries=settings.startup_retries))
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
    except OSError as error:  # the webhook's port
        raise StartError(
            f"cannot listen on {settings.listen}:{settings.port}: {error.strerror or error}"
        ) from None


def api_urls(api_url: str) -> tuple[str, str]:
    """A Bot API base URL (token appended) and its file URL, e.g. http://host:8081/bot."""
    if "{token}" in api_url:
        return api_url, api_url.replace("/bot{token}", "/file/bot{token}")
    base = api_url.rstrip("/")
    if not base.endswith("/bot"):
        base += "/bot"
    return base, base[: -len("/bot")] + "/file/bot"


def build_application(
    token: str,
    conversation: Conversation,
    *,
    api_url: str | None = None,
    state: ChatState | None = None,
    chat_pace: tuple[float, float] | None = CHAT_PACE,
    concurrent_updates: int = CONCURRENT_UPDATES,
) -> Application:
    """The python-telegram-bot Application with every handler registered."""
    front = TelegramFront(conversation, state or InMemoryChatState())
    vetting = Vetting()
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
        .rate_limiter(PacedRateLimiter(chat_pace, max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor(concurrent_updates))
        .post_init(front.post_init)
        .request(AiohttpRequest())
        .get_updates_request(UpdatesRequest(vetting, connection_pool_size=1))
    )
    if api_url:
        base_url, file_url = api_urls(api_url)
        builder = builder.base_url(base_url).base_file_url(file_url)
    application = builder.build()
    application.bot_data[VETTING] = vetting
    register_handlers(application, front)
    return application


def register_handlers(app: Application, front: TelegramFront) -> None:
    """Every handler, top to bottom: groups first, then commands, buttons, text, the rest."""
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    # Before anything else (group -1): note the id of every message, for the quick exit.
    app.add_handler(TypeHandler(Update, front.remember), group=-1)
    # In a group the bot only points people to a private chat.
    app.add_handler(MessageHandler(groups & filters.UpdateType.MESSAGE, front.group))
    app.add_handler(CommandHandler(commands.names(Answerer.EXIT), front.leave, filters=private))
    for name in commands.names(Answerer.CORE):
        app.add_handler(CommandHandler(name, front.command, filters=private))
    app.add_handler(CommandHandler(commands.names(Answerer.HELP), front.help, filters=private))
    app.add_handler(
        CommandHandler(commands.names(Answerer.DISCREET), front.discreet, filters=private)
    )
    app.add_handler(CallbackQueryHandler(front.button))
    # Unknown commands go to the core, which answers with the menu.
    app.add_handler(MessageHandler(private & filters.COMMAND, front.command))
    app.add_handler(MessageHandler(private & filters.TEXT, front.text))
    for kind, kind_filter in NON_TEXT.items():
        app.add_handler(MessageHandler(private & kind_filter, front.non_text(kind)))
    app.add_error_handler(front.error)


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
    await _initialize(app, startup_retries)
    server: WebhookServer | None = None
    try:
        if app.post_init:
            await app.post_init(app)
        assert app.updater is not None
        if isinstance(transport, Webhook):
            # Our own server (webhook.py) rather than PTB's, for its limits; updates go on
            # the Application's queue as PTB's would.
            server = WebhookServer(
                app.update_queue,
                app.bot,
                transport.secret_token,
                transport.path,
                app.bot_data.get(VETTING) or Vetting(),
            )
            server.start(transport.listen, transport.port)
            await _with_retries(
                lambda: app.bot.set_webhook(
                    transport.url,
                    secret_token=transport.secret_token,
                    allowed_updates=ALLOWED_UPDATES,
                )
            )
        else:
            await app.updater.start_polling(
                timeout=transport.timeout,
                allowed_updates=ALLOWED_UPDATES,
                error_callback=_polling_failed,
            )
        await app.start()
        log.info("running (%s)", type(transport).__name__.lower())
        await stop.wait()
        log.info("stopping")
        if server is not None:
            await server.stop()
        if app.updater.running:
            await app.updater.stop()
        await app.stop()
    finally:
        if server is not None:  # also when setWebhook failed: the port is let go
            await server.stop()
        await app.shutdown()


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


def _polling_failed(error: TelegramError) -> None:
    # python-telegram-bot retries getUpdates with a growing pause; one line is enough.
    log.warning("getUpdates failed (%s); retrying", type(error).__name__)


# -- concurrency and pace -----------------------------------------------------------------


class PacedRateLimiter(AIORateLimiter):
    """python-telegram-bot's AIORateLimiter, plus a pace for each private chat.

    AIORateLimiter keeps the overall limit (30 messages a second) and groups' (20 a minute),
    and waits out a 429's retry_after; it leaves private chats unpaced.
    """

    def __init__(self, chat_pace: tuple[float, float] | None, **options: Any):
        super().__init__(**options)
        self.chat_pace = chat_pace
        self.retries = int(options.get("max_retries", 0))
        # A 429 in a private chat pauses that chat alone: its pseudonym -> when it may go on.
        self.chat_paused_until: dict[str, float] = {}
        # Keyed by the chat's pseudonym, never its id: /privacy promises no chat ids are kept.
        self.chat_limiters: dict[str, AsyncLimiter] = {}

    def _limiter(self, chat_id: int) -> AsyncLimiter:
        assert self.chat_pace is not None
        if len(self.chat_limiters) > 1024:  # forget chats that have been quiet long enough
            for key, limiter in list(self.chat_limiters.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self.chat_limiters[key]
        key = pseudonym(chat_id)
        if key not in self.chat_limiters:
            self.chat_limiters[key] = AsyncLimiter(*self.chat_pace)
        return self.chat_limiters[key]

    async def process_request(
        self,
        callback: Callable[..., Any],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        chat_id = data.get("chat_id")
        if not (isinstance(chat_id, int) and chat_id > 0):  # groups, channels, no chat
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        # A private chat. AIORateLimiter would wait out a 429 by pausing every chat; here it
        # pauses this chat alone, and the others are answered meanwhile.
        key = pseudonym(chat_id)
        sends = endpoint.startswith("send") and endpoint != "sendChatAction"
        for attempt in range(self.retries + 1):
            await self._chat_pause(key)
            if self.chat_pace and sends:
                await self._chat_turn(chat_id)
            try:
                return await super().process_request(
                    _flood_as_own(callback), args, kwargs, endpoint, data, rate_limit_args
                )
            except _ChatFlood as flood:
                # Kept even when giving up: the apology that follows waits it out too.
                pause = flood.seconds + 0.1
                until = time.monotonic() + pause
                self.chat_paused_until[key] = max(self.chat_paused_until.get(key, 0.0), until)
                if attempt == self.retries:
                    raise flood.error from None
                log.info("chat %s must wait %.1f s (429); other chats go on", key, pause)
        raise AssertionError("unreachable")

    async def _chat_pause(self, key: str) -> None:
        """Wait out this chat's 429, if it has one, giving the slot to other chats."""
        until = self.chat_paused_until.get(key)
        if until is None:
            return
        wait = until - time.monotonic()
        if wait > 0:
            async with slot_released():
                await asyncio.sleep(wait)
        if self.chat_paused_until.get(key, 0.0) <= time.monotonic():
            self.chat_paused_until.pop(key, None)

    async def _chat_turn(self, chat_id: int) -> None:
        # One chat's pace is that chat's wait alone: its slot goes to other chats meanwhile.
        # (The overall 30/s is everyone's wait, so it keeps the slot: that bounds how many
        # replies are held in memory during a burst.)
        limiter = self._limiter(chat_id)
        if limiter.has_capacity():  # no wait: keep the slot (giving it back costs memory)
            await limiter.acquire()
        else:
            async with slot_released():
                await limiter.acquire()


class _ChatFlood(Exception):
    """A 429 for one private chat, kept from AIORateLimiter (which would pause every chat)."""

    def __init__(self, error: RetryAfter):
        super().__init__("429")
        self.error = error
        with warnings.catch_warnings():  # PTB warns that retry_after will become a timedelta
            warnings.simplefilter("ignore")
            value = error.retry_after
        self.seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


def _flood_as_own(callback: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    async def call(*args: Any, **kwargs: Any) -> T:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            raise _ChatFlood(error) from None

    return call


class _Slot:
    """One update's place among those worked on at once; given back while it waits."""

    def __init__(self, slots: asyncio.BoundedSemaphore):
        self.slots = slots
        self.held = False

    async def take(self) -> None:
        await self.slots.acquire()
        self.held = True

    def give(self) -> None:
        if self.held:  # never released twice, even if cancelled while taking it back
            self.held = False
            self.slots.release()


_HELD_SLOT: contextvars.ContextVar[_Slot | None] = contextvars.ContextVar("slot", default=None)


@contextlib.asynccontextmanager
async def slot_released() -> AsyncIterator[None]:
    """Let other updates be worked on while this one waits, then take its slot back."""
    slot = _HELD_SLOT.get()
    if slot is None or not slot.held:
        yield
        return
    slot.give()
    try:
        yield
    finally:
        await slot.take()


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Different chats are answered concurrently; one chat's updates strictly in order.

    Order within a chat matters: replies must follow the questions, and the quick exit
    must see every message sent before it.

    A slot is for an update being worked on, not one waiting: a chat's turn comes before
    its slot (the base class would take the slot first, so a chat whose updates queue on
    its own lock would hold slots every other chat needs), and an update gives its slot
    back while it waits for a drawing or for its own chat's pace (slot_released). The base
    class's limit (max_concurrent_updates) is set out of reach; the real one is `limit`.
    """

    def __init__(self, limit: int = CONCURRENT_UPDATES, remember_updates: int = 10_000):
        super().__init__(WAITING_UPDATES)
        if limit < 1:
            raise ValueError("limit must be a positive integer")
        self.limit = limit
        self._slots = asyncio.BoundedSemaphore(limit)
        self._running = 0
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: Counter[int] = Counter()
        # Telegram may deliver an update again (a poll whose confirmation was lost, a webhook
        # retry): recent update ids are remembered so each is answered once.
        self._recent: deque[int] = deque(maxlen=remember_updates)
        self._recent_set: set[int] = set()

    @property
    def current_concurrent_updates(self) -> int:
        """Updates being answered now (not those waiting for their chat's turn or a slot)."""
        return self._running

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        slot = _Slot(self._slots)
        token = _HELD_SLOT.set(slot)
        try:
            await slot.take()
            self._running += 1
            try:
                await coroutine
            finally:
                self._running -= 1
        finally:
            slot.give()
            _HELD_SLOT.reset(token)

    def _seen_before(self, update_id: int) -> bool:
        if update_id in self._recent_set:
            return True
        if len(self._recent) == self._recent.maxlen:
            self._recent_set.discard(self._recent[0])
        self._recent.append(update_id)
        self._recent_set.add(update_id)
        return False

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if isinstance(update, Update) and self._seen_before(update.update_id):
            log.info("an update delivered twice was answered once")
            if asyncio.iscoroutine(coroutine):
                coroutine.close()
            return
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await self._run(coroutine)
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] += 1
        try:
            async with lock:
                await self._run(coroutine)
        finally:
            self._users[chat.id] -= 1
            if not self._users[chat.id]:
                del self._users[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


# -- handlers --------------------------------------------------------------------------


@dataclass(slots=True)
class Outgoing:
    """A Reply as Telegram messages: text parts, the keyboard for the last, a picture."""

    parts: list[str]
    markup: InlineKeyboardMarkup | None
    image: Any = None
    caption: str | None = None
    silent: bool = False


class TelegramFront:
    """The handlers. Each turns one update into a call to the core and sends its Reply."""

    def __init__(self, conversation: Conversation, state: ChatState):
        self.conversation = conversation
        self.renderer = conversation.renderer
        # The core answers in well under a millisecond, so it runs on the event loop; only a
        # chart's first drawing (about a second, in a child process) waits on a worker thread,
        # and other chats are answered meanwhile. Charts draw one at a time (bot.core.charts).
        self._drawing = ThreadPoolExecutor(max_workers=DRAWING_THREADS, thread_name_prefix="draw")
        self.state = state
        self.exit_data = buttons.encode("exit")
        self.started = time.time()
        # Each chart uploaded once: its path (one per data version) -> Telegram's file_id.
        self._photo_ids: dict[Path, str] = {}
        # Exit presses on a message this process never saw: history was lost (a restart).
        self._exits_on_unknown: set[int] = set()

    async def post_init(self, app: Application) -> None:
        """Set the command menu (from the registry) and the bot's plain description."""
        about = self.renderer.env.get_template("bot_description.html").module
        description = str(getattr(about, "description", ""))
        short = str(getattr(about, "short_description", ""))
        steps: list[tuple[str, Callable[[], Awaitable[bool]]]] = [
            ("command menu", lambda: app.bot.set_my_commands(commands.bot_commands(self.renderer))),
        ]
        if description:
            steps.append(("description", lambda: app.bot.set_my_description(description)))
        if short:
            steps.append(("short description", lambda: app.bot.set_my_short_description(short)))
        for what, step in steps:
            try:
                await step()
            except TelegramError as error:  # the bot still answers without them
                log.warning("could not set the %s (%s)", what, type(error).__name__)
        log.info("bot @%s ready", app.bot.username)

    async def core(self, call: Callable[..., Reply], *args: Any) -> Reply:
        """One call of the core; a picture still to draw is drawn on a worker thread."""
        reply = call(*args, draw=False)
        if reply.pending_image is not None:
            async with slot_released():  # a drawing is a wait: other chats go on meanwhile
                await asyncio.get_running_loop().run_in_executor(self._drawing, reply.finish)
        return reply

    # Handlers all share the signature (update, context) -> None.

    async def command(self, update: Update, context: Context) -> None:
        """A slash command the core answers, e.g. /figures croydon."""
        message = update.effective_message
        assert message is not None and message.text is not None
        name, argument = commands.split(message.text)
        reply = await self.core(self.conversation.command, name, argument)
        await self.send(update, context, reply)

    async def remember(self, update: Update, context: Context) -> None:
        """Note the id (never the text) of each message in a private chat, as it passes."""
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        message = update.effective_message  # for a button: the message that carries it
        if isinstance(message, Message):
            new = await self.state.remember(chat.id, message.message_id, message.date.timestamp())
            query = update.callback_query
            if new and query is not None and query.data == self.exit_data:
                self._exits_on_unknown.add(update.update_id)

    async def leave(self, update: Update, context: Context) -> None:
        """The quick exit: delete every message of this chat we know of, then say nothing."""
        chat = update.effective_chat
        assert chat is not None
        known = await self.state.recent(chat.id)
        lost_some = await self.state.lost_some(chat.id)
        erased = await quick_exit.erase(context.bot, chat.id, known)
        await self.state.forget(chat.id, erased.settled)
        # Messages from before a restart are unknown, so they stay: say so. Signs of it: the
        # button pressed was on a message never seen, or the exit is all this chat is known by.
        lost = (
            lost_some
            or update.update_id in self._exits_on_unknown
            or (len(known) == 1 and time.time() - self.started < DELETE_WINDOW)
        )
        self._exits_on_unknown.discard(update.update_id)
        log.info(
            "quick exit: %d deleted, %d refused, %d failed, in %d calls",
            len(erased.deleted),
            len(erased.kept),
            len(erased.failed),
            erased.calls,
        )
        if lost or not erased.complete:
            text = self.renderer.render("exit_incomplete.html")
            await self.send(update, context, Reply(text, intent="exit_incomplete"))

    async def discreet(self, update: Update, context: Context) -> None:
        """/discreet on|off: quiet notifications that open with a plain line."""
        chat = update.effective_chat
        assert chat is not None
        choice = (context.args or [""])[0].lower()
        if choice in {"on", "yes", "1", "true"}:
            await self.state.set_discreet(chat.id, True)
        elif choice in {"off", "no", "0", "false"}:
            await self.state.set_discreet(chat.id, False)
        on = await self.state.discreet(chat.id)
        text = self.renderer.render("discreet.html", on=on, line=self._discreet_line())
        await self.send(update, context, Reply(text, intent="discreet"))

    def _discreet_line(self) -> str:
        return self.renderer.render("discreet_line.html")

    async def help(self, update: Update, context: Context) -> None:
        """/help: the command list from the registry."""
        await self.send(update, context, commands.help_reply(self.conversation))

    async def text(self, update: Update, context: Context) -> None:
        """Free text, new or edited, goes to the core."""
        message = update.effective_message
        assert message is not None
        if quick_exit.asks_to_leave(message.text):
            await self.leave(update, context)
            return
        await self.send(update, context, await self.core(self.conversation.answer, message.text))

    async def button(self, update: Update, context: Context) -> None:
        """An inline button: answer the query first, then reply as a new message."""
        query = update.callback_query
        assert query is not None
        try:
            await query.answer()
        except TelegramError as error:  # only the button's spinner is affected: reply anyway
            log.warning("could not acknowledge a button press (%s)", type(error).__name__)
        chat = update.effective_chat
        if chat is None:
            return  # a button on an inline message: nothing to reply to
        if chat.type != ChatType.PRIVATE:
            await self.send(update, context, self._group_reply(context))
            return
        if query.data == self.exit_data:
            await self.leave(update, context)
            return
        await self.send(update, context, await self.core(self.conversation.press, query.data))

    def non_text(self, kind: str) -> Callable[[Update, Context], Awaitable[None]]:
        """Stickers, photos, voice...: a caption is read as text, otherwise a kind note."""

        async def handle(update: Update, context: Context) -> None:
            message = update.effective_message
            assert message is not None
            if message.caption:
                reply = await self.core(self.conversation.answer, message.caption)
            else:
                text = self.renderer.render("nontext.html", kind=kind)
                reply = Reply(text, self.conversation.command("menu").buttons, intent="non_text")
            await self.send(update, context, reply)

        handle.__doc__ = f"A {kind} message."
        return handle

    async def group(self, update: Update, context: Context) -> None:
        """In groups: answer commands, mentions and replies with a note to write privately."""
        message = update.effective_message
        if message is None or not _addressed_to_bot(message, context):
            return
        await self.send(update, context, self._group_reply(context))

    async def error(self, update: object, context: Context) -> None:
        """Log what failed (never what was written) and tell the person, with the help line."""
        error = context.error
        where = update.effective_chat if isinstance(update, Update) else None
        chat = pseudonym(where.id) if where else "-"
        if isinstance(error, Forbidden):
            log.info("chat %s has blocked the bot", chat)
            return
        log.error("update failed in chat %s", chat, exc_info=error)
        if not isinstance(update, Update) or where is None:
            return
        reply = Reply(self.renderer.render("error.html"), intent="error")
        if where.type != ChatType.PRIVATE:
            reply = self._group_reply(context)
        with contextlib.suppress(TelegramError):
            await self.send(update, context, reply)

    # -- sending ------------------------------------------------------------------------

    def _group_reply(self, context: Context) -> Reply:
        username = context.bot.username
        text = self.renderer.render("group.html", username=username)
        return Reply(text, intent="group")

    def present(
        self, reply: Reply, *, private: bool, discreet: bool = False, username: str = ""
    ) -> Outgoing:
        """How a Reply looks on Telegram: split to size, buttons as an inline keyboard.

        In a private chat every reply carries "Leave quickly". In discreet mode replies
        are silent and open with a plain line, except a danger reply: that starts with 999.
        """
        rows = [
            [InlineKeyboardButton(b.label, callback_data=b.data) for b in r] for r in reply.buttons
        ]
        if private:
            rows.append(
                [InlineKeyboardButton(self.renderer.label("leave"), callback_data=self.exit_data)]
            )
        elif username:
            label = self.renderer.label("private_chat")
            rows = [[InlineKeyboardButton(label, url=f"https://t.me/{username}")]]
        markup = InlineKeyboardMarkup(rows) if rows else None
        text = reply.text
        if discreet and reply.intent != "danger":
            text = f"{self._discreet_line()}\n\n{text}"
        if reply.image is not None and units(text) <= CAPTION_LIMIT:
            return Outgoing([], markup, reply.image, text, silent=discreet)
        return Outgoing(split_html(text), markup, reply.image, silent=discreet)

    async def send(self, update: Update, context: Context, reply: Reply) -> list[Message]:
        """Send a Reply to the update's chat; an edited message is answered as a reply to it."""
        chat = update.effective_chat
        assert chat is not None
        private = chat.type == ChatType.PRIVATE
        discreet = private and await self.state.discreet(chat.id)
        out = self.present(
            reply, private=private, discreet=discreet, username=context.bot.username or ""
        )
        reply_to = None
        if update.edited_message is not None:
            reply_to = ReplyParameters(
                update.edited_message.message_id, allow_sending_without_reply=True
            )
        bot = context.bot
        sent: list[Message] = []
        try:
            if out.image is not None:
                sent.append(
                    await self._send_photo(
                        out.image,
                        lambda photo: bot.send_photo(
                            chat.id,
                            photo,
                            caption=out.caption,
                            reply_markup=out.markup if not out.parts else None,
                            disable_notification=out.silent,
                            reply_parameters=reply_to,
                        ),
                    )
                )
            for index, part in enumerate(out.parts):
                last = index == len(out.parts) - 1
                sent.append(
                    await _with_retries(
                        lambda part=part, last=last: bot.send_message(
                            chat.id,
                            part,
                            reply_markup=out.markup if last else None,
                            disable_notification=out.silent,
                            reply_parameters=reply_to if not sent else None,
                        )
                    )
                )
        finally:  # whatever was sent is recorded, even if a later part failed
            for message in sent if private else []:
                await self.state.remember(chat.id, message.message_id, message.date.timestamp())
        return sent

    async def _send_photo(
        self, image: Path, send: Callable[[Path | str], Awaitable[Message]]
    ) -> Message:
        """Upload a chart the first time; after that, send it by the file_id Telegram gave it.

        Saves uploading the same picture again for everyone who asks. Should Telegram
        refuse a file_id it gave, the picture is uploaded again.
        """
        known = self._photo_ids.get(image)
        if known is not None:
            try:
                return await _with_retries(lambda: send(known))
            except BadRequest:
                log.warning("a chart's file_id was refused; uploading it again")
                self._photo_ids.pop(image, None)
        message = await _with_retries(lambda: send(image))
        if message.photo:
            self._photo_ids[image] = message.photo[-1].file_id
        return message


def _addressed_to_bot(message: Message, context: Context) -> bool:
    """A command, an @mention of this bot, or a reply to one of its messages."""
    text = message.text or message.caption or ""
    username = context.bot.username or ""
    if text.startswith("/"):
        _, _, to = text.split()[0].partition("@")
        return not to or to.lower() == username.lower()
    if username and f"@{username.lower()}" in text.lower():
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)


async def _with_retries(call: Callable[[], Awaitable[T]], retries: int = SEND_RETRIES) -> T:
    """Retry a send the server failed (5xx, dropped connection) with a short, growing pause.

    429s are waited out by the rate limiter; a refused request (400) is never retried.
    """
    for attempt in range(retries + 1):
        try:
            return await call()
        except BadRequest:
            raise
        except NetworkError as error:
            if attempt == retries or may_have_arrived(error):
                raise
            log.warning("send failed (%s); retrying", type(error).__name__)
            await asyncio.sleep(0.25 * 2**attempt)
    raise AssertionError("unreachable")
