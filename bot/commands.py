"""The slash commands: one registry that feeds the handlers, /help and the command menu.

Names and who answers them live here; the words people see (descriptions, argument
hints) live in responses/commands.html, so the menu, /help and the handlers cannot
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from telegram import BotCommand

from bot.conversation import Conversation
from bot.models import Reply
from bot.render import Renderer


class Answerer(Enum):
    CORE = "core"  # Conversation.command(name, argument)
    HELP = "help"  # the command list, built here from the registry
    EXIT = "exit"  # the quick exit, done by the Telegram front
    DISCREET = "discreet"  # the discreet-mode switch, kept by the Telegram front


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
)


@dataclass(frozen=True, slots=True)
class Described:
    """A command with the words that go with it, for /help and the menu."""

    name: str
    description: str
    arguments: str


def describe(renderer: Renderer) -> list[Described]:
    """Every command with its description and argument hint, in menu order."""
    module = renderer.env.get_template("commands.html").module
    descriptions: dict[str, str] = module.descriptions  # type: ignore[attr-defined]
    arguments: dict[str, str] = module.arguments  # type: ignore[attr-defined]
    return [Described(c.name, descriptions[c.name], arguments.get(c.name, "")) for c in COMMANDS]


def names(answerer: Answerer) -> list[str]:
    return [c.name for c in COMMANDS if c.answerer is answerer]


def bot_commands(renderer: Renderer) -> list[BotCommand]:
    """The menu Telegram shows when someone types '/'."""
    return [BotCommand(d.name, d.description) for d in describe(renderer)]


def help_reply(conversation: Conversation) -> Reply:
    """/help: every command with what it does, and the main menu's buttons."""
    renderer = conversation.renderer
    text = renderer.render("commands_help.html", commands=describe(renderer))
    return Reply(text, conversation.command("menu").buttons, intent="help_commands")
