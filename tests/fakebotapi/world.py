"""What Telegram holds: the bot, the chats with their messages, and the updates waiting.

One lock (a Condition) guards all of it; the Bot API methods, the server and the test's
own calls take it, and waiters are woken through it. Message ids are unique and
increasing within a chat. In a private chat, as in Telegram's, both sides share one
counter from 1 (the bot's state reads gaps in it as messages it never saw); in groups
they come from one counter with random gaps. The bot never deletes an id it computed.
"""

from __future__ import annotations

import itertools
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChatMessage:
    """A message in a chat, as Telegram holds it."""

    message_id: int
    chat_id: int
    from_bot: bool
    kind: str  # text, photo, sticker, voice, ...
    text: str  # the text or caption ("" for none)
    date: int
    deleted: bool = False
    reply_markup: dict[str, Any] | None = None


@dataclass
class Chat:
    info: dict[str, Any]
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    last_id: int = 0  # a private chat's own counter


def chat_info(chat_id: int, chat_type: str = "private", title: str = "A group") -> dict[str, Any]:
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": "Person"}
    return {"id": chat_id, "type": chat_type, "title": title}


def user_info(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Person", "language_code": "en"}


def person_in(chat_id: int) -> int:
    """The person writing in a chat: the chat itself if private, else user 1."""
    return chat_id if chat_id > 0 else 1


def units(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts offsets and limits."""
    return len(text.encode("utf-16-le")) // 2


def entities(text: str, username: str) -> list[dict[str, Any]]:
    """The bot_command or @mention entity Telegram would mark in a person's text."""
    found = []
    if text.startswith("/"):
        command = text.split()[0]
        found.append({"type": "bot_command", "offset": 0, "length": units(command)})
    mention = f"@{username}"
    if (at := text.find(mention)) >= 0 and not text.startswith("/"):
        found.append({"type": "mention", "offset": units(text[:at]), "length": len(mention)})
    return found


def media(kind: str, n: int) -> dict[str, Any]:
    """The fields of a non-text message of this kind (file ids made from `n`)."""
    file = {"file_id": f"f{n}", "file_unique_id": f"u{n}"}
    kinds: dict[str, dict[str, Any]] = {
        "sticker": {"sticker": {**file, "type": "regular", "width": 512, "height": 512,
                                "is_animated": False, "is_video": False}},
        "photo": {"photo": [{**file, "width": 800, "height": 600}]},
        "voice": {"voice": {**file, "duration": 3}},
        "audio": {"audio": {**file, "duration": 30}},
        "video": {"video": {**file, "width": 640, "height": 480, "duration": 5}},
        "video_note": {"video_note": {**file, "length": 240, "duration": 5}},
        "animation": {"animation": {**file, "width": 320, "height": 240, "duration": 2}},
        "document": {"document": {**file, "file_name": "file.pdf"}},
        "location": {"location": {"latitude": 51.5072, "longitude": -0.1276}},
        "venue": {"venue": {"location": {"latitude": 51.5, "longitude": -0.12},
                            "title": "A place", "address": "1 Street"}},
        "contact": {"contact": {"phone_number": "+447700900123", "first_name": "Someone"}},
    }  # fmt: skip
    return kinds[kind]


class World:
    """The state behind the fake server; callers hold `lock` while they change it."""

    def __init__(self, bot_id: int, username: str, first_name: str, seed: int) -> None:
        self.bot_id, self.username, self.first_name = bot_id, username, first_name
        self.lock = threading.Condition()
        self.stopping = False
        self.chats: dict[int, Chat] = {}
        self.updates: list[dict[str, Any]] = []
        self.confirmed = 0  # highest update_id the bot confirmed via offset
        self.delivered_at: dict[int, float] = {}  # update_id -> first handed to the bot
        self.webhook: dict[str, Any] = {}  # url and secret_token while one is set
        self.photo_ids: set[str] = set()  # file_ids of uploaded photos, reusable as Telegram's
        self.commands: list[dict[str, str]] = []  # the menu from the last setMyCommands
        self._update_ids = itertools.count(1)
        self._serials = itertools.count(1)  # callback query ids and media file numbers
        self._next_message_id = 100
        self._random = random.Random(seed)

    # -- updates -----------------------------------------------------------------------

    def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            update.setdefault("update_id", next(self._update_ids))
            self.updates.append(update)
            self.lock.notify_all()
        return update

    def waiting_updates(self) -> list[dict[str, Any]]:
        return [u for u in self.updates if u["update_id"] > self.confirmed]

    def confirm(self, offset: int) -> None:
        """The bot asked from `offset` on: every update before it was received."""
        if offset - 1 > self.confirmed:
            self.confirmed = offset - 1
            self.updates = self.waiting_updates()
            self.lock.notify_all()

    def last_update_id(self) -> int:
        return max((u["update_id"] for u in self.updates), default=0)

    # -- chats and messages --------------------------------------------------------------

    def chat(self, chat_id: int, chat_type: str = "private") -> Chat:
        if chat_id not in self.chats:
            self.chats[chat_id] = Chat(chat_info(chat_id, chat_type))
        return self.chats[chat_id]

    def serial(self) -> int:
        return next(self._serials)

    def message_id(self, chat: Chat | None = None) -> int:
        if chat is not None and chat.info["type"] == "private":
            chat.last_id += 1
            return chat.last_id
        self._next_message_id += self._random.randint(1, 4)
        return self._next_message_id

    def add_message(
        self, chat: Chat, from_bot: bool, kind: str, text: str, age: float = 0
    ) -> ChatMessage:
        """Store a new message in `chat`, dated `age` seconds ago."""
        stored = ChatMessage(
            self.message_id(chat), chat.info["id"], from_bot, kind, text, int(time.time() - age)
        )
        chat.messages[stored.message_id] = stored
        return stored

    def bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def message_dict(self, stored: ChatMessage) -> dict[str, Any]:
        """A stored message as the Bot API shows it."""
        message: dict[str, Any] = {
            "message_id": stored.message_id,
            "date": stored.date,
            "chat": self.chats[stored.chat_id].info,
        }
        if stored.from_bot:
            message["from"] = self.bot_user()
        else:
            message["from"] = user_info(person_in(stored.chat_id))
        if stored.kind == "text":
            message["text"] = stored.text
        else:
            message.update(media(stored.kind, stored.message_id))
            if stored.text:
                message["caption"] = stored.text
        if stored.reply_markup:
            message["reply_markup"] = stored.reply_markup
        return message
