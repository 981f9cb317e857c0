"""A chat in the terminal over the same session as Telegram: buttons become numbered choices.

The session decides (the quick exit, /help, discreet mode); this module only reads lines
and carries out the effects: print a reply, or clear the screen and forget the chat.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import assert_never

import click

from bot.core.conversation import Conversation
from bot.domain.models import Button, Reply
from bot.fronts.plaintext import to_plain
from bot.session import commands
from bot.session.events import Command, Erase, Event, Pressed, Said, Send
from bot.session.events import Effect as Todo
from bot.session.session import Front, Session
from bot.session.state import InMemoryChatState

CHAT = 0  # the terminal's one chat
# Leaving quickly clears the screen and its scrollback, so the chat is not left on view.
_CLEAR_SCREEN_AND_SCROLLBACK = "\033[3J\033[H\033[2J"


def leave_quickly() -> None:
    # Written directly: click.echo would strip the escape codes when not on a terminal.
    sys.stdout.write(_CLEAR_SCREEN_AND_SCROLLBACK)
    sys.stdout.flush()


def show(reply: Reply, echo: Callable[[str], None] = click.echo) -> list[Button]:
    """Print a reply; return its buttons in the order they were numbered."""
    echo(to_plain(reply.text))
    choices = [button for row in reply.buttons for button in row]
    if choices:
        echo("")
        for number, button in enumerate(choices, start=1):
            echo(f"  [{number}] {button.label}")
    if reply.image:
        echo(f"(picture saved: {reply.image})")
    return choices


def new_session(conversation: Conversation) -> Session:
    """A terminal chat's session: its state lives as long as the chat."""
    return Session(conversation, InMemoryChatState(), Front.TERMINAL)


def event_for(line: str, choices: list[Button]) -> Event:
    """A number presses that button; '/name' is a command, as Telegram reads it."""
    if line.isdigit() and 1 <= int(line) <= len(choices):
        return Pressed(choices[int(line) - 1].data)
    if commands.is_command(line):
        return Command(*commands.split(line))
    return Said(line)


def handle(session: Session, event: Event) -> list[Todo]:
    """The session's effects for one event (its state needs no lasting event loop)."""
    return asyncio.run(session.handle(CHAT, event))


def reply_to(conversation: Conversation, text: str) -> Reply | None:
    """The reply the bot gives on Telegram, less its "Leave quickly"; None to leave quickly."""
    replies: list[Reply] = []
    for effect in handle(new_session(conversation), event_for(text, [])):
        match effect:
            case Send(reply):
                replies.append(conversation.draw(reply))
            case Erase():
                return None
            case _:
                assert_never(effect)
    return replies[0] if replies else None


def run_chat(conversation: Conversation, prompt: Callable[[], str], intro: str = "") -> None:
    """Read lines until the quick exit or the end of input."""
    if intro:
        click.echo(intro)
    session = new_session(conversation)
    choices = show(conversation.command("start"))
    while True:
        try:
            line = prompt().strip()
        except (EOFError, KeyboardInterrupt, click.Abort):
            click.echo("")
            return
        todo = handle(session, event_for(line, choices))
        if any(isinstance(effect, Erase) for effect in todo):
            leave_quickly()  # and the session, with all it knew of this chat, is let go
            return
        click.echo("")
        for effect in todo:
            if isinstance(effect, Send):
                choices = show(session.conversation.draw(effect.reply))
        click.echo("")
