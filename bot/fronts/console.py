"""A chat in the terminal over the same core: buttons become numbered choices."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from bot.core.conversation import Conversation
from bot.domain.models import Button, Reply
from bot.fronts.plaintext import to_plain
from bot.session import commands
from bot.session.commands import Answerer

_QUIT = {"quit", "/quit", ":q"}
# Leaving quickly clears the screen and its scrollback, so the chat is not left on view.
_LEAVE = {"exit", "/exit"}
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


def reply_to(conversation: Conversation, text: str) -> Reply | None:
    """The reply the bot gives on Telegram; None for the quick exit.

    Slash commands go through the same registry as on Telegram. Discreet mode changes
    Telegram's notifications, so here it only says so.
    """
    if not commands.is_command(text):
        return conversation.answer(text)
    name, argument = commands.split(text)
    match commands.answerer(name):
        case Answerer.EXIT:
            return None
        case Answerer.HELP:
            return commands.help_reply(conversation)
        case Answerer.DISCREET:
            note = conversation.renderer.render("discreet_terminal.html")
            return Reply(note, conversation.command("menu").buttons, intent="discreet")
        case Answerer.CORE:
            return conversation.command(name, argument)


def run_chat(conversation: Conversation, prompt: Callable[[], str], intro: str = "") -> None:
    """Read lines until quit or end of input; a number presses that button."""
    if intro:
        click.echo(intro)
    choices = show(conversation.command("start"))
    while True:
        try:
            line = prompt().strip()
        except (EOFError, KeyboardInterrupt, click.Abort):
            click.echo("")
            return
        if line.lower() in _QUIT:
            return
        pressed = (
            choices[int(line) - 1].data
            if line.isdigit() and 1 <= int(line) <= len(choices)
            else None
        )
        if line.lower() in _LEAVE or pressed == "exit":
            leave_quickly()
            return
        click.echo("")
        reply = conversation.press(pressed) if pressed is not None else reply_to(conversation, line)
        if reply is None:
            leave_quickly()
            return
        choices = show(reply)
        click.echo("")
