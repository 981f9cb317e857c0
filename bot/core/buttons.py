"""Callback data for inline buttons: one small vocabulary, checked on the way back in."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    """What a button asks for; a StrEnum, so `encode("exit")` and `== "exit"` keep working."""

    MENU = "menu"
    DANGER = "danger"
    HELP = "help"
    NEED = "need"  # help for one need
    LOCAL = "local"  # help in one borough
    FIGURES = "fig"  # one borough's figures
    COMPARE = "cmp"  # two boroughs' figures side by side: "CODE-CODE"
    RANKING = "rank"
    ABOUT = "about"
    PRIVACY = "privacy"
    EXIT = "exit"  # leave quickly: the front erases
    LANGUAGES = "langs"  # the list of languages (the session answers)
    LANGUAGE = "lang"  # reply in this language from now on: "pl" (the session keeps it)


# The actions that carry an argument (a need, a borough code, "CODE-CODE", a language).
TAKES_ARGUMENT = frozenset(
    {Action.NEED, Action.LOCAL, Action.FIGURES, Action.COMPARE, Action.LANGUAGE}
)
_MAX_BYTES = 64  # Telegram's limit on callback_data


@dataclass(frozen=True, slots=True)
class Press:
    action: Action
    argument: str = ""


def _action(name: str) -> Action | None:
    try:
        return Action(name)
    except ValueError:
        return None


def encode(action: Action | str, argument: str = "") -> str:
    known = _action(action)
    if known is None or (known in TAKES_ARGUMENT) != bool(argument):
        raise ValueError(f"bad button: {action!r} {argument!r}")
    data = f"{known}:{argument}" if argument else str(known)
    if len(data.encode()) > _MAX_BYTES:
        raise ValueError("callback data too long")
    return data


def decode(data: str | None) -> Press | None:
    """A known action with the right shape of argument, or None for anything else."""
    if not data or len(data.encode()) > _MAX_BYTES:
        return None
    name, _, argument = data.partition(":")
    action = _action(name)
    if action is None or (action in TAKES_ARGUMENT) != bool(argument):
        return None
    if argument and not argument.replace("-", "").isalnum():
        return None
    return Press(action, argument)
