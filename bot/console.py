"""A chat in the terminal over the same core: buttons become numbered choices."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from bot.conversation import Conversation
from bot.models import Button, Reply
from bot.plaintext import to_plain

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
        if pressed is not None:
            reply = conversation.press(pressed)
        elif line.startswith("/"):
            name, _, argument = line[1:].partition(" ")
            reply = conversation.command(name.lower(), argument)
        else:
            reply = conversation.answer(line)
        choices = show(reply)
        click.echo("")
