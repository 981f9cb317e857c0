"""The slash commands: one registry that feeds the handlers, /help and the command menu.

Names and who answers them live here; the words people see (descriptions, argument
hints) live in responses/commands.html, so the menu, /help and the handlers cannot
drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.core.conversation import Conversation
from bot.core.render import Renderer
from bot.domain.models import Reply


class Answerer(Enum):
    CORE = "core"  # Conversation.command(name, argument)
    HELP = "help"  # the command list, built here from the registry
    EXIT = "exit"  # the quick exit: the session asks the front to erase
    DISCREET = "discreet"  # the discreet-mode switch, kept by the session
    LANGUAGE = "language"  # the language of the replies, kept by the session


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    answerer: Answerer = Answerer.CORE


# In menu order: what a person in a hurry needs comes first.
COMMANDS: tuple[Command, ...] = (
    Command("start"),
    Command("emergency"),
    Command("exit", Answerer.EXIT),
    Command("help", Answerer.HELP),
    Command("figures"),
    Command("compare"),
    Command("services"),
    Command("discreet", Answerer.DISCREET),
    Command("privacy"),
    Command("about"),
    Command("language", Answerer.LANGUAGE),
)


@dataclass(frozen=True, slots=True)
class Described:
    """A command with the words that go with it, for /help and the menu."""

    name: str
    description: str
    arguments: str


def describe(renderer: Renderer) -> list[Described]:
    """Every command with its description and argument hint, in menu order."""
    module = renderer.module("commands.html")
    descriptions: dict[str, str] = module.descriptions  # type: ignore[attr-defined]
    arguments: dict[str, str] = module.arguments  # type: ignore[attr-defined]
    return [Described(c.name, descriptions[c.name], arguments.get(c.name, "")) for c in COMMANDS]


def names(answerer: Answerer) -> list[str]:
    return [c.name for c in COMMANDS if c.answerer is answerer]


# What Telegram apps mark as a command: '/', then 1 to 32 letters, digits or '_', then
# optionally '@' and the bot's username, at the start of a message.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@\w+)?(?:\s|\Z)")


def is_command(text: str) -> bool:
    """Whether Telegram would treat this message as a command ('/about', not '/ about')."""
    return _COMMAND.match(text) is not None


def split(text: str) -> tuple[str, str]:
    """'/figures@MyBot  camden ' -> ('figures', 'camden')."""
    head, *rest = text[1:].split(maxsplit=1) or [""]
    return head.partition("@")[0].lower(), rest[0].strip() if rest else ""


def answerer(name: str) -> Answerer:
    """Who answers a command; the core answers names it does not know (with the menu)."""
    return next((c.answerer for c in COMMANDS if c.name == name), Answerer.CORE)


def help_reply(conversation: Conversation) -> Reply:
    """/help: every command with what it does, and the main menu's buttons."""
    renderer = conversation.renderer
    text = renderer.render("commands_help.html", commands=describe(renderer))
    return Reply(text, conversation.command("menu").buttons, intent="help_commands")
