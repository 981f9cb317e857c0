"""The handlers: each turns one update into a session event; its effects become jobs.

No content is decided here (the session and the core do that): a handler reads the update
and asks the session; what it says to do (send, erase) is collected as jobs, which the
dispatcher carries out (bot.fronts.telegram.dispatch), urgent ones first.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from functools import reduce
from typing import assert_never

from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.fronts.telegram import quick_exit
from bot.fronts.telegram.dispatch import Dispatcher
from bot.fronts.telegram.jobs import Job, Kind, erase_job, send_job
from bot.fronts.telegram.logsafe import pseudonym
from bot.fronts.telegram.outgoing import Sender
from bot.session import commands
from bot.session.events import (
    Command,
    Erase,
    Erased,
    Event,
    Failed,
    InGroup,
    NonText,
    NonTextKind,
    Pressed,
    Said,
    Send,
)
from bot.session.session import EXIT_DATA, Session
from bot.session.state import ChatState

log = logging.getLogger(__name__)

ACK_WAIT = 2.0  # seconds a reply waits for its button's spinner to be stopped, at most

Context = ContextTypes.DEFAULT_TYPE
FRONT = "helpline.front"  # bot_data key: the TelegramFront the handlers work for
# Kinds of message the bot cannot read, in the order filters test them.
NON_TEXT: dict[NonTextKind, filters.BaseFilter] = {
    NonTextKind.STICKER: filters.Sticker.ALL,
    NonTextKind.ANIMATION: filters.ANIMATION,
    NonTextKind.PHOTO: filters.PHOTO,
    NonTextKind.VIDEO_NOTE: filters.VIDEO_NOTE,
    NonTextKind.VIDEO: filters.VIDEO,
    NonTextKind.VOICE: filters.VOICE,
    NonTextKind.AUDIO: filters.AUDIO,
    NonTextKind.DOCUMENT: filters.Document.ALL,
    NonTextKind.VENUE: filters.VENUE,
    NonTextKind.LOCATION: filters.LOCATION,
    NonTextKind.CONTACT: filters.CONTACT,
    NonTextKind.OTHER: filters.POLL | filters.Dice.ALL | filters.STORY | filters.GAME,
}


@dataclass(slots=True)
class TelegramFront:
    """What the handlers share: the session, the chat state, the sender and the dispatcher.

    A handler only reads: what the session says to do becomes jobs, collected per update
    (the intake keeps them in the outbox); the dispatcher carries them out with `run`.
    """

    session: Session
    state: ChatState
    sender: Sender
    dispatcher: Dispatcher
    bot: Bot | None = None  # set once the application is running
    # Exit presses on a message this process never saw: history was lost (a restart).
    exits_on_unknown: set[int] = field(default_factory=set)
    collected: dict[int, list[Job]] = field(default_factory=dict)  # update id -> its jobs
    # update id -> (chat id, message id, its date): written with the session's own changes.
    remembered: dict[int, tuple[int, int, float]] = field(default_factory=dict)
    # update id -> the session's writes of the chat state, awaited by the intake.
    writes: dict[int, list[Awaitable[bool]]] = field(default_factory=dict)
    _acks: set[asyncio.Task[None]] = field(default_factory=set)
    # A chat's button press still being answered: its reply waits for it (briefly).
    _acking: dict[int, asyncio.Task[None]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.dispatcher.run = self.run
        self.dispatcher.failed = self.failed

    async def ask(self, update: Update, context: Context, event: Event) -> None:
        """Give the session one event from this update's chat; collect what it says to do."""
        chat = update.effective_chat
        assert chat is not None
        user = update.effective_user  # its language_code: the app's language, a fallback
        language = user.language_code if user else None
        noted = self.remembered.get(update.update_id)
        remember = (noted[1], noted[2]) if noted is not None and noted[0] == chat.id else None
        later = self.writes.setdefault(update.update_id, [])
        todo = await self.session.handle(chat.id, event, language, remember, later)
        if remember is not None:  # written with the session's changes
            self.remembered.pop(update.update_id, None)
        jobs = self.collected.setdefault(update.update_id, [])
        private = chat.type == ChatType.PRIVATE
        edited = update.edited_message
        for effect in todo:
            match effect:
                case Send():
                    reply_to = edited.message_id if edited is not None else None
                    jobs.append(send_job(chat.id, effect, private=private, reply_to=reply_to))
                case Erase():
                    unknown = update.update_id in self.exits_on_unknown
                    self.exits_on_unknown.discard(update.update_id)
                    jobs.append(erase_job(chat.id, unknown))
                case _:
                    assert_never(effect)

    def acknowledge(self, query: CallbackQuery, chat_id: int | None = None) -> None:
        """Answer a button press (its spinner) without holding up the update; the chat's
        next reply goes once the spinner has stopped (or ACK_WAIT has passed)."""
        task = asyncio.create_task(_answer(query))
        self._acks.add(task)
        task.add_done_callback(self._acks.discard)
        if chat_id is not None:
            self._acking[chat_id] = task
            task.add_done_callback(lambda _: self._acking.pop(chat_id, None))

    async def write_state(self, update_id: int) -> None:
        """Write what the update changed in its chat's state, in the order it was handled."""
        for write in self.writes.pop(update_id, []):
            await write

    def drop_writes(self, update_id: int) -> None:
        """An update that failed: nothing it changed is written (it is read again)."""
        for write in self.writes.pop(update_id, []):
            if inspect.iscoroutine(write):
                write.close()

    async def remember_left(self, update_id: int) -> None:
        """Write the message id of an update the session was never asked about."""
        noted = self.remembered.pop(update_id, None)
        if noted is not None:
            await self.state.remember(*noted)

    async def run(self, job: Job) -> None:
        """Carry out one job (the dispatcher's turn for it)."""
        assert self.bot is not None
        if job.kind is Kind.SEND:
            assert job.send is not None
            if (ack := self._acking.get(job.chat_id)) is not None:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(ack), ACK_WAIT)
            await self.sender.send(
                self.bot, job.chat_id, job.send, private=job.private, reply_to_id=job.reply_to
            )
            return
        everything = await self.erase(self.bot, job)
        todo = await self.session.handle(job.chat_id, Erased(everything))
        await self.dispatcher.put([_send(job.chat_id, e) for e in todo if isinstance(e, Send)])

    async def failed(self, job: Job) -> None:
        """A job failed: the person is told, with the help line (once: not if that fails)."""
        assert self.bot is not None
        event = Failed(job.private, self.bot.username or "")
        todo = await self.session.handle(job.chat_id, event)
        notes = [_send(job.chat_id, e, job.private) for e in todo if isinstance(e, Send)]
        for note in notes:
            note.apology = True
        await self.dispatcher.put(notes)

    async def erase(self, bot: Bot, job: Job) -> bool:
        """Delete every message of this chat we know of; whether nothing is left behind."""
        chat_id = job.chat_id
        known = await self.state.recent(chat_id)
        lost_some = await self.state.lost_some(chat_id)
        erased = await quick_exit.erase(bot, chat_id, known)
        await self.state.forget(chat_id, erased.settled)
        if erased.kept:  # refused for good: a later exit must still say something remains
            await self.state.mark_lost(chat_id)
        # The state says when it cannot account for every message (ids missing before the
        # first it holds, aged out, a send that may have landed); and a button pressed on a
        # message never recorded is a sign of the same.
        lost = lost_some or job.unknown_exit
        log.info(
            "quick exit: %d deleted, %d refused, %d failed, in %d calls",
            len(erased.deleted),
            len(erased.kept),
            len(erased.failed),
            erased.calls,
        )
        return erased.complete and not lost


def _send(chat_id: int, send: Send, private: bool = True) -> Job:
    return send_job(chat_id, send, private=private)


async def _answer(query: CallbackQuery) -> None:
    try:
        await query.answer()
    except TelegramError as failure:  # only the button's spinner is affected: reply anyway
        log.warning("could not acknowledge a button press (%s)", type(failure).__name__)


def register_handlers(app: Application, front: TelegramFront) -> None:
    """Every handler, top to bottom: groups first, then commands, buttons, text, the rest."""
    app.bot_data[FRONT] = front
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    # Before anything else (group -1): note the id of every message, for the quick exit.
    app.add_handler(TypeHandler(Update, remember), group=-1)
    # In a group the bot only points people to a private chat.
    app.add_handler(MessageHandler(groups & filters.UpdateType.MESSAGE, group))
    # Every command in the registry; the session knows who answers each.
    app.add_handler(CommandHandler([c.name for c in commands.COMMANDS], command, filters=private))
    app.add_handler(CallbackQueryHandler(button))
    # Unknown commands too: the core answers them with the menu.
    app.add_handler(MessageHandler(private & filters.COMMAND, command))
    app.add_handler(MessageHandler(private & filters.TEXT, text))
    unreadable = reduce(lambda a, b: a | b, NON_TEXT.values())
    app.add_handler(MessageHandler(private & unreadable, non_text))
    app.add_error_handler(error)


def _front(context: Context) -> TelegramFront:
    front = context.bot_data[FRONT]
    assert isinstance(front, TelegramFront)
    return front


async def remember(update: Update, context: Context) -> None:
    """Note the id (never the text) of each message in a private chat, as it passes."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    message = update.effective_message  # for a button: the message that carries it
    if isinstance(message, Message):
        front = _front(context)
        at = message.date.timestamp()
        query = update.callback_query
        if query is None or query.data != EXIT_DATA:
            # Written with what the session changes, in one round trip (or by the intake).
            front.remembered[update.update_id] = (chat.id, message.message_id, at)
            return
        # "Leave quickly": whether the message it was pressed on was known, before erasing.
        if await front.state.remember(chat.id, message.message_id, at):
            front.exits_on_unknown.add(update.update_id)


async def group(update: Update, context: Context) -> None:
    """In groups: answer commands, mentions and replies with a note to write privately."""
    message = update.effective_message
    if message is None or not _addressed_to_bot(message, context):
        return
    await _front(context).ask(update, context, InGroup(context.bot.username or ""))


async def command(update: Update, context: Context) -> None:
    """A slash command, e.g. /figures croydon, /exit or /discreet on."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await _front(context).ask(update, context, Command(*commands.split(message.text)))


async def text(update: Update, context: Context) -> None:
    """Free text, new or edited."""
    message = update.effective_message
    assert message is not None
    await _front(context).ask(update, context, Said(message.text or ""))


async def button(update: Update, context: Context) -> None:
    """An inline button: answer the query (without waiting), then reply as a new message."""
    query = update.callback_query
    assert query is not None
    chat = update.effective_chat
    _front(context).acknowledge(query, chat.id if chat is not None else None)
    if chat is None:
        return  # a button on an inline message: nothing to reply to
    if chat.type != ChatType.PRIVATE:
        event: Event = InGroup(context.bot.username or "")
    else:
        event = Pressed(query.data)
    await _front(context).ask(update, context, event)


async def non_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice...: a message the bot cannot read, with its caption if any."""
    message = update.effective_message
    assert message is not None
    kind = next(k for k, kind_filter in NON_TEXT.items() if kind_filter.check_update(update))
    await _front(context).ask(update, context, NonText(kind, message.caption))


async def error(update: object, context: Context) -> None:
    """Log what failed (never what was written) and tell the person, with the help line."""
    failure = context.error
    where = update.effective_chat if isinstance(update, Update) else None
    chat = pseudonym(where.id) if where else "-"
    if isinstance(failure, Forbidden):
        log.info("chat %s has blocked the bot", chat)
        return
    log.error("update failed in chat %s", chat, exc_info=failure)
    if not isinstance(update, Update) or where is None:
        return
    event = Failed(where.type == ChatType.PRIVATE, context.bot.username or "")
    with contextlib.suppress(TelegramError):
        await _front(context).ask(update, context, event)


def _addressed_to_bot(message: Message, context: Context) -> bool:
    """A command, an @mention of this bot, or a reply to one of its messages."""
    said = message.text or message.caption or ""
    username = context.bot.username or ""
    if said.startswith("/"):
        _, _, to = said.split()[0].partition("@")
        return not to or to.lower() == username.lower()
    if username and f"@{username.lower()}" in said.lower():
        return True
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)
