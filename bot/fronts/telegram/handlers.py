"""The handlers: each turns one update into a session event and carries out the effects.

No content is decided here (the session and the core do that): a handler reads the update,
asks the session, then sends or erases as told.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass, field
from functools import reduce
from typing import assert_never

from telegram import Message, Update
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
from bot.session.events import Effect as Todo
from bot.session.session import EXIT_DATA, Session
from bot.session.state import DELETE_WINDOW, ChatState

log = logging.getLogger(__name__)

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
    """What the handlers share: the session, the chat state and the sender."""

    session: Session
    state: ChatState
    sender: Sender
    started: float = field(default_factory=time.time)
    # Exit presses on a message this process never saw: history was lost (a restart).
    exits_on_unknown: set[int] = field(default_factory=set)

    async def ask(self, update: Update, context: Context, event: Event) -> None:
        """Give the session one event from this update's chat and carry out what it says."""
        chat = update.effective_chat
        assert chat is not None
        user = update.effective_user  # its language_code: the app's language, a fallback
        language = user.language_code if user else None
        await self.carry_out(update, context, await self.session.handle(chat.id, event, language))

    async def carry_out(self, update: Update, context: Context, todo: list[Todo]) -> None:
        for effect in todo:
            match effect:
                case Send():
                    await self.sender.send(context.bot, update, effect)
                case Erase():
                    await self.ask(update, context, Erased(await self.erase(update, context)))
                case _:
                    assert_never(effect)

    async def erase(self, update: Update, context: Context) -> bool:
        """Delete every message of this chat we know of; whether nothing is left behind."""
        chat = update.effective_chat
        assert chat is not None
        known = await self.state.recent(chat.id)
        lost_some = await self.state.lost_some(chat.id)
        erased = await quick_exit.erase(context.bot, chat.id, known)
        await self.state.forget(chat.id, erased.settled)
        # Messages from before a restart are unknown, so they stay. Signs of it: the button
        # pressed was on a message never seen, or the exit is all this chat is known by.
        lost = (
            lost_some
            or update.update_id in self.exits_on_unknown
            or (len(known) == 1 and time.time() - self.started < DELETE_WINDOW)
        )
        self.exits_on_unknown.discard(update.update_id)
        log.info(
            "quick exit: %d deleted, %d refused, %d failed, in %d calls",
            len(erased.deleted),
            len(erased.kept),
            len(erased.failed),
            erased.calls,
        )
        return erased.complete and not lost


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
        new = await front.state.remember(chat.id, message.message_id, message.date.timestamp())
        query = update.callback_query
        if new and query is not None and query.data == EXIT_DATA:
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
    """An inline button: answer the query first, then reply as a new message."""
    query = update.callback_query
    assert query is not None
    try:
        await query.answer()
    except TelegramError as failure:  # only the button's spinner is affected: reply anyway
        log.warning("could not acknowledge a button press (%s)", type(failure).__name__)
    chat = update.effective_chat
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
