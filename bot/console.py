"""A chat in the terminal over the same core: buttons become numbered choices."""

from __future__ import annotations

from collections.abc import Callable

import click

from bot.conversation import Conversation
from bot.models import Button, Reply
from bot.plaintext import to_plain

_QUIT = {"quit", "exit", "/quit", ":q"}


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
        click.echo("")
        if line.isdigit() and 1 <= int(line) <= len(choices):
            reply = conversation.press(choices[int(line) - 1].data)
        elif line.startswith("/"):
            name, _, argument = line[1:].partition(" ")
            reply = conversation.command(name.lower(), argument)
        else:
            reply = conversation.answer(line)
        choices = show(reply)
        click.echo("")
