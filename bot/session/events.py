"""What a front tells the session (events) and what the session asks of it (effects).

Plain data, no Telegram: a front turns its input into an event and carries out the
effects; the session decides what they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.domain.models import Reply


class NonTextKind(StrEnum):
    """Kinds of message the bot cannot read (responses/nontext.html words each)."""

    STICKER = "sticker"
    ANIMATION = "animation"
    PHOTO = "photo"
    VIDEO_NOTE = "video_note"
    VIDEO = "video"
    VOICE = "voice"
    AUDIO = "audio"
    DOCUMENT = "document"
    VENUE = "venue"
    LOCATION = "location"
    CONTACT = "contact"
    OTHER = "other"


# -- events: one per thing that happened in a chat -------------------------------------


@dataclass(frozen=True, slots=True)
class Said:
    """Free text in a private chat, new or edited."""

    text: str


@dataclass(frozen=True, slots=True)
class Command:
    """A slash command in a private chat: /figures croydon -> ("figures", "croydon")."""

    name: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Pressed:
    """An inline button pressed in a private chat."""

    data: str | None


@dataclass(frozen=True, slots=True)
class NonText:
    """A message the bot cannot read (a sticker, a voice note...), with its caption if any."""

    kind: NonTextKind
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class InGroup:
    """A message or button in a group that was meant for the bot."""

    username: str


@dataclass(frozen=True, slots=True)
class Failed:
    """Answering an update failed; the person is told, with the help line."""

    private: bool
    username: str = ""


@dataclass(frozen=True, slots=True)
class Erased:
    """The front carried out an Erase; `everything` is False when some messages remain."""

    everything: bool


Event = Said | Command | Pressed | NonText | InGroup | Failed | Erased


# -- effects: what the front does -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Link:
    """A button that opens a URL (the bot's private chat, from a group)."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Send:
    """Send this reply as it is; `silent` asks for no notification sound."""

    reply: Reply
    silent: bool = False
    link: Link | None = None


@dataclass(frozen=True, slots=True)
class Erase:
    """The quick exit: erase the conversation (Telegram) or the screen (the terminal).

    The front then reports what it managed with an Erased event.
    """


Effect = Send | Erase
