"""Callback data for inline buttons: one small vocabulary, checked on the way back in."""

from __future__ import annotations

from dataclasses import dataclass

# action -> does it take an argument?
ACTIONS: dict[str, bool] = {
    "menu": False,
    "danger": False,
    "help": False,
    "need": True,  # help for one need
    "local": True,  # help in one borough
    "fig": True,  # one borough's figures
    "cmp": True,  # two boroughs' figures side by side: "CODE-CODE"
    "rank": False,
    "about": False,
    "privacy": False,
    "exit": False,
}
_MAX_BYTES = 64  # Telegram's limit on callback_data


@dataclass(frozen=True, slots=True)
class Press:
    action: str
    argument: str = ""


def encode(action: str, argument: str = "") -> str:
    if action not in ACTIONS or ACTIONS[action] != bool(argument):
        raise ValueError(f"bad button: {action!r} {argument!r}")
    data = f"{action}:{argument}" if argument else action
    if len(data.encode()) > _MAX_BYTES:
        raise ValueError("callback data too long")
    return data


def decode(data: str | None) -> Press | None:
    """A known action with the right shape of argument, or None for anything else."""
    if not data or len(data.encode()) > _MAX_BYTES:
        return None
    action, _, argument = data.partition(":")
    if action not in ACTIONS or ACTIONS[action] != bool(argument):
        return None
    if argument and not argument.replace("-", "").isalnum():
        return None
    return Press(action, argument)
