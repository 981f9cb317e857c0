"""The behaviours that depend on the chat, once for every front: event in, effects out.

The quick exit, discreet mode, /help, the notes for messages the bot cannot read and for
groups, over the per-chat state (ids and flags, never text). The core answers what was
said; this layer decides what a chat gets back, and the front only carries it out.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from typing import assert_never

from bot.core import buttons
from bot.core.buttons import Action
from bot.core.conversation import Conversation
from bot.core.languages import ENGLISH, autonym, current, supported, switch, using
from bot.domain.models import Button, Effect, IntentKind, Reply
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
from bot.session.state import ChatState

EXIT_DATA = buttons.encode("exit")  # the "Leave quickly" button's data
_ON = {"on", "yes", "1", "true"}
_OFF = {"off", "no", "0", "false"}
# /exit is a leave like any other: no words, only the erase.
_EXIT = Reply("", intent="leave", effects=(Effect.ERASE,))


class Front(StrEnum):
    """Where the chat happens, for what only one front can do."""

    TELEGRAM = "telegram"  # notifications (discreet mode), a "Leave quickly" button
    TERMINAL = "terminal"  # neither: the screen is cleared on the way out


class Session:
    """One front's chats over one ChatState. Every method is safe for any chat id."""

    def __init__(self, conversation: Conversation, state: ChatState, front: Front):
        self.conversation = conversation
        self.renderer = conversation.renderer
        self.state = state
        self.front = front

    async def handle(
        self, chat: int, event: Event, telegram_language: str | None = None
    ) -> list[Todo]:
        """What the front must do about one event in one chat, in order.

        Replies come with a chart still to draw (Reply.chart): the front has the core draw
        it (Conversation.draw) where waiting is harmless. They are in the language of the
        message if it is clear, else the one kept for the chat, else `telegram_language`
        (Telegram's from.language_code), else English.
        """
        with using(await self._language(chat, event, telegram_language)):
            return await self._handle(chat, event)

    async def _language(self, chat: int, event: Event, telegram: str | None) -> str:
        """The language to answer this event in; a language read from a message is kept."""
        text = event.text if isinstance(event, Said) else None
        if isinstance(event, NonText):
            text = event.caption
        if isinstance(event, InGroup | Failed) and not getattr(event, "private", False):
            return supported(telegram) or ENGLISH  # nothing is kept for a group
        kept = await self.state.language(chat)
        choice = self.conversation.languages.choose(text, kept, telegram)
        if choice.detected and choice.code != kept:
            # English read from a message forgets the code: nothing is kept for English.
            await self.state.set_language(chat, None if choice.code == ENGLISH else choice.code)
        return choice.code

    async def _handle(self, chat: int, event: Event) -> list[Todo]:
        language = current()
        match event:
            case Said(text):
                reply = await self._answer(chat, text, language)
            case Command(name, argument):
                reply = await self._command(chat, name, argument)
                if reply.intent == IntentKind.DANGER:  # /emergency, "/figures he has a knife"
                    await self.state.set_context(chat, None)
            case Pressed(data):
                if data == EXIT_DATA:
                    return await self._erase(chat)
                press = buttons.decode(data)
                if press and press.action in (Action.LANGUAGE, Action.LANGUAGES):
                    reply = await self._choose_language(chat, press.argument)
                else:
                    context = await self.state.context(chat)
                    reply = self.conversation.press(
                        data, draw=False, context=context, language=language
                    )
                    await self.state.set_context(chat, reply.context)
            case NonText(kind, caption):
                if caption:
                    reply = await self._answer(chat, caption, language)
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
            return await self._erase(chat)
        return [await self._send(chat, reply)]

    async def _answer(self, chat: int, text: str, language: str) -> Reply:
        """The core's answer, read with what the last answer was about; the new one kept."""
        context = await self.state.context(chat)
        reply = self.conversation.answer(text, draw=False, context=context, language=language)
        await self.state.set_context(chat, reply.context)
        return reply

    async def _erase(self, chat: int) -> list[Todo]:
        """The quick exit: the front erases the chat; what it was about, and its language,
        are forgotten now."""
        await self.state.set_context(chat, None)
        await self.state.set_language(chat, None)
        return [Erase()]

    async def _choose_language(self, chat: int, argument: str) -> Reply:
        """/language [name or code], or its buttons: keep the choice, list the languages."""
        wanted = argument.strip().casefold()
        available = self.renderer.catalogs.available()
        code = next((c for c in available if wanted in (c, autonym(c).casefold())), None)
        if code and wanted:
            await self.state.set_language(chat, code)
            switch(code)  # what goes with this reply (its "Leave quickly") is in it too
        return self.conversation.language_list(code if wanted else None, bool(wanted) and not code)

    async def _command(self, chat: int, name: str, argument: str) -> Reply:
        match commands.answerer(name):
            case Answerer.EXIT:
                return _EXIT
            case Answerer.HELP:
                return commands.help_reply(self.conversation)
            case Answerer.DISCREET:
                return await self._discreet(chat, argument)
            case Answerer.LANGUAGE:
                return await self._choose_language(chat, argument)
            case Answerer.CORE:
                return self.conversation.command(name, argument, draw=False, language=current())
            case other:
                assert_never(other)

    async def _discreet(self, chat: int, argument: str) -> Reply:
        """/discreet on|off: quiet notifications that open with a plain line."""
        match self.front:
            case Front.TERMINAL:  # no notifications here: say what it is for
                note = self.renderer.render("discreet_terminal.html")
                return Reply(note, self._menu(), intent="discreet")
            case Front.TELEGRAM:
                choice = (argument.split() or [""])[0].lower()
                if choice in _ON:
                    await self.state.set_discreet(chat, True)
                elif choice in _OFF:
                    await self.state.set_discreet(chat, False)
                on = await self.state.discreet(chat)
                text = self.renderer.render("discreet.html", on=on, line=self._discreet_line())
                return Reply(text, intent="discreet")
            case other:
                assert_never(other)

    async def _send(self, chat: int, reply: Reply) -> Send:
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
                discreet = await self.state.discreet(chat)
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
