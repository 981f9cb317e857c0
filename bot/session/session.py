"""The behaviours that depend on the chat, once for every front: event in, effects out.

The quick exit, discreet mode, /help, the notes for messages the bot cannot read and for
groups, over the per-chat state (ids and flags, never text). The core answers what was
said; this layer decides what a chat gets back, and the front only carries it out.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from enum import StrEnum
from typing import assert_never

from bot.core import buttons
from bot.core.buttons import Action
from bot.core.conversation import Conversation
from bot.core.languages import ENGLISH, autonym, current, supported, switch, using
from bot.domain.models import Button, Context, Effect, IntentKind, Reply
from bot.session import commands
from bot.session.commands import Answerer
from bot.session.events import (
    Command,
    Erase,
    Erased,
    Event,
    Failed,
    InGroup,
    Link,
    NonText,
    Pressed,
    Said,
    Send,
)
from bot.session.events import Effect as Todo
from bot.session.state import ChatChange, ChatState, ChatView

EXIT_DATA = buttons.encode("exit")  # the "Leave quickly" button's data
_ON = {"on", "yes", "1", "true"}
_OFF = {"off", "no", "0", "false"}
# /exit is a leave like any other: no words, only the erase.
_EXIT = Reply("", intent="leave", effects=(Effect.ERASE,))


class Front(StrEnum):
    """Where the chat happens, for what only one front can do."""

    TELEGRAM = "telegram"  # notifications (discreet mode), a "Leave quickly" button
    TERMINAL = "terminal"  # neither: the screen is cleared on the way out


class Turn:
    """One event's view of its chat: read once when first needed, its changes kept to be
    written together at the end (one read and one write, whatever the event needs)."""

    def __init__(self, state: ChatState, chat: int, remember: tuple[int, float] | None):
        self.state, self.chat = state, chat
        self.change = ChatChange(remember=remember)
        self._view: ChatView | None = None

    async def _read(self) -> ChatView:
        if self._view is None:
            self._view = await self.state.load(self.chat)
        return self._view

    async def context(self) -> Context | None:
        return self.change.context if self.change.set_context else (await self._read()).context

    async def language(self) -> str | None:
        if self.change.set_language:
            return self.change.language
        return (await self._read()).language

    async def discreet(self) -> bool:
        if self.change.discreet is not None:
            return self.change.discreet
        return (await self._read()).discreet

    def set_context(self, context: Context | None) -> None:
        self.change.set_context, self.change.context = True, context

    def set_language(self, code: str | None) -> None:
        self.change.set_language, self.change.language = True, code

    def set_discreet(self, on: bool) -> None:
        self.change.discreet = on

    async def write(self) -> bool:
        """Write what changed (nothing if nothing did); whether a remembered id was new."""
        return await self.state.save(self.chat, self.change)


class Session:
    """One front's chats over one ChatState. Every method is safe for any chat id."""

    def __init__(self, conversation: Conversation, state: ChatState, front: Front):
        self.conversation = conversation
        self.renderer = conversation.renderer
        self.state = state
        self.front = front

    async def handle(
        self,
        chat: int,
        event: Event,
        telegram_language: str | None = None,
        remember: tuple[int, float] | None = None,
        later: list[Awaitable[bool]] | None = None,
    ) -> list[Todo]:
        """What the front must do about one event in one chat, in order.

        Replies come with a chart still to draw (Reply.chart): the front has the core draw
        it (Conversation.draw) where waiting is harmless. They are in the language of the
        message if it is clear, else the one kept for the chat, else `telegram_language`
        (Telegram's from.language_code), else English.

        The chat's state is read once and what changed written once, with `remember` (the
        message's id and date, for the quick exit), after the event is handled. With
        `later`, that write is handed over instead of awaited: the caller must await it
        before the chat's next event is read, and before this one counts as handled.
        """
        turn = Turn(self.state, chat, remember)
        with using(await self._language(turn, event, telegram_language)):
            todo = await self._handle(turn, event)
        if later is None:
            await turn.write()
        else:
            later.append(turn.write())
        return todo

    async def _language(self, turn: Turn, event: Event, telegram: str | None) -> str:
        """The language to answer this event in; a language read from a message is kept."""
        text = event.text if isinstance(event, Said) else None
        if isinstance(event, NonText):
            text = event.caption
        if isinstance(event, InGroup | Failed) and not getattr(event, "private", False):
            return supported(telegram) or ENGLISH  # nothing is kept for a group
        kept = await turn.language()
        choice = self.conversation.languages.choose(text, kept, telegram)
        if choice.detected and choice.code != kept:
            # English read from a message forgets the code: nothing is kept for English.
            turn.set_language(None if choice.code == ENGLISH else choice.code)
        return choice.code

    async def _handle(self, turn: Turn, event: Event) -> list[Todo]:
        language = current()
        match event:
            case Said(text):
                reply = await self._answer(turn, text, language)
            case Command(name, argument):
                reply = await self._command(turn, name, argument)
                if reply.intent == IntentKind.DANGER:  # /emergency, "/figures he has a knife"
                    turn.set_context(None)
            case Pressed(data):
                if data == EXIT_DATA:
                    return self._erase(turn)
                press = buttons.decode(data)
                if press and press.action in (Action.LANGUAGE, Action.LANGUAGES):
                    reply = self._choose_language(turn, press.argument)
                else:
                    context = await turn.context()
                    reply = self.conversation.press(
                        data, draw=False, context=context, language=language
                    )
                    turn.set_context(reply.context)
            case NonText(kind, caption):
                if caption:
                    reply = await self._answer(turn, caption, language)
                else:
                    text = self.renderer.render("nontext.html", kind=kind)
                    reply = Reply(text, self._menu(), intent="non_text")
            case InGroup(username):
                return [self._group(username)]
            case Failed(private, username):
                if not private:
                    return [self._group(username)]
                reply = Reply(self.renderer.render("error.html"), intent="error")
            case Erased(everything):
                if everything:
                    return []  # the chat is left empty
                text = self.renderer.render("exit_incomplete.html")
                reply = Reply(text, intent="exit_incomplete")
            case _:
                assert_never(event)
        if Effect.ERASE in reply.effects:  # "leave", "get me out", "quit"...: the core's word
            return self._erase(turn)
        return [await self._send(turn, reply)]

    async def _answer(self, turn: Turn, text: str, language: str) -> Reply:
        """The core's answer, read with what the last answer was about; the new one kept."""
        context = await turn.context()
        reply = self.conversation.answer(text, draw=False, context=context, language=language)
        turn.set_context(reply.context)
        return reply

    def _erase(self, turn: Turn) -> list[Todo]:
        """The quick exit: the front erases the chat; what it was about, and its language,
        are forgotten (written before the erase job is kept)."""
        turn.set_context(None)
        turn.set_language(None)
        return [Erase()]

    def _choose_language(self, turn: Turn, argument: str) -> Reply:
        """/language [name or code], or its buttons: keep the choice, list the languages."""
        wanted = argument.strip().casefold()
        available = self.renderer.catalogs.available()
        code = next((c for c in available if wanted in (c, autonym(c).casefold())), None)
        if code and wanted:
            turn.set_language(code)
            switch(code)  # what goes with this reply (its "Leave quickly") is in it too
        return self.conversation.language_list(code if wanted else None, bool(wanted) and not code)

    async def _command(self, turn: Turn, name: str, argument: str) -> Reply:
        match commands.answerer(name):
            case Answerer.EXIT:
                return _EXIT
            case Answerer.HELP:
                return commands.help_reply(self.conversation)
            case Answerer.DISCREET:
                return await self._discreet(turn, argument)
            case Answerer.LANGUAGE:
                return self._choose_language(turn, argument)
            case Answerer.CORE:
                return self.conversation.command(name, argument, draw=False, language=current())
            case other:
                assert_never(other)

    async def _discreet(self, turn: Turn, argument: str) -> Reply:
        """/discreet on|off: quiet notifications that open with a plain line."""
        match self.front:
            case Front.TERMINAL:  # no notifications here: say what it is for
                note = self.renderer.render("discreet_terminal.html")
                return Reply(note, self._menu(), intent="discreet")
            case Front.TELEGRAM:
                choice = (argument.split() or [""])[0].lower()
                if choice in _ON:
                    turn.set_discreet(True)
                elif choice in _OFF:
                    turn.set_discreet(False)
                on = await turn.discreet()
                text = self.renderer.render("discreet.html", on=on, line=self._discreet_line())
                return Reply(text, intent="discreet")
            case other:
                assert_never(other)

    async def _send(self, turn: Turn, reply: Reply) -> Send:
        """A private chat's reply as it goes out, with what this front adds to every one.

        On Telegram every reply carries "Leave quickly". In discreet mode replies are
        silent and open with a plain line, except a danger reply: that starts with 999.
        """
        match self.front:
            case Front.TERMINAL:
                return Send(reply)
            case Front.TELEGRAM:
                leave = Button(self.renderer.label("leave"), EXIT_DATA)
                reply = replace(reply, buttons=[*reply.buttons, [leave]])
                discreet = await turn.discreet()
                if discreet and reply.intent != "danger":
                    reply = replace(reply, text=f"{self._discreet_line()}\n\n{reply.text}")
                return Send(reply, silent=discreet)
            case other:
                assert_never(other)

    def _group(self, username: str) -> Send:
        """In a group the bot only points people to a private chat."""
        text = self.renderer.render("group.html", username=username)
        link = None
        if username:
            link = Link(self.renderer.label("private_chat"), f"https://t.me/{username}")
        return Send(Reply(text, intent="group"), link=link)

    def _menu(self) -> list[list[Button]]:
        return self.conversation.command("menu", language=current()).buttons

    def _discreet_line(self) -> str:
        return self.renderer.render("discreet_line.html")
