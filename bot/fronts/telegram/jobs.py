"""A job: one thing to do in one chat (send a reply, erase the chat), as the outbox keeps it.

A job is what an update leaves behind once it has been read: the session's effects, with
what Telegram needs to carry them out (the chat, whether it is private, the message an
edit is answered under). It is plain data, so the outbox can keep it on disk until it is
done: the bot's own words and buttons, never what the person wrote.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from bot.domain.models import Button, ChartKind, ChartRequest, IntentKind, Reply
from bot.session.events import Link, Send

# Replies that go ahead of every ordinary one: danger, the exit's note, the apology (999).
URGENT_INTENTS = frozenset({IntentKind.DANGER.value, "exit_incomplete", "error"})


class Kind(StrEnum):
    SEND = "send"
    ERASE = "erase"


@dataclass(slots=True, eq=False)
class Job:
    """One send or erase for one chat. `id` is the outbox's; `epoch` the chat's exits so far."""

    chat_id: int
    kind: Kind
    send: Send | None = None
    private: bool = True
    reply_to: int | None = None  # an edited message is answered as a reply to it
    unknown_exit: bool = False  # an exit pressed on a message this process never saw
    apology: bool = False  # the note after a failure: if it fails too, nothing more is said
    id: int = 0
    epoch: int = 0
    # While it runs (never stored): dropped by an exit; a request on its way to Telegram.
    cancelled: bool = field(default=False, repr=False)
    sending: bool = field(default=False, repr=False)
    # While it waits: the reply as UTF-8 JSON instead of objects (see pack), or nothing at
    # all when the outbox gives it back at its turn (see shed).
    packed: bytes | None = field(default=None, repr=False)
    shed_reply: bool = field(default=False, repr=False)
    packed_urgent: bool = field(default=False, repr=False)

    @property
    def urgent(self) -> bool:
        if self.kind is Kind.ERASE:
            return True
        if self.packed is not None or self.shed_reply:
            return self.packed_urgent
        return self.send is not None and str(self.send.reply.intent) in URGENT_INTENTS

    def shed(self) -> None:
        """Let go of the reply while the job waits: the outbox holds it and gives it back.

        With a burst read at once (so that danger can go first) thousands of replies wait
        their turn at 30 a second; held on disk, a waiting job is its scheduling alone.
        """
        if self.send is not None:
            self.packed_urgent = self.urgent
            self.shed_reply = True
            self.send = None

    def pack(self) -> None:
        """Hold the reply compactly while the job waits its turn.

        A reply's text with one emoji in it is held at 4 bytes a character as a str; as
        UTF-8 it is about 1. With thousands of replies waiting (a burst read at once so that
        danger can go first) that is the difference between ~5 KB and ~1.3 KB a job.
        """
        if self.send is not None and self.packed is None:
            self.packed_urgent = self.urgent
            self.packed = encode(self).encode()
            self.send = None

    def unpack(self) -> None:
        """The reply as objects again, for its turn."""
        if self.packed is not None:
            self.send = decode(self.id, self.chat_id, self.packed.decode()).send
            self.packed = None


def send_job(chat_id: int, send: Send, **options: Any) -> Job:
    return Job(chat_id, Kind.SEND, send, **options)


def erase_job(chat_id: int, unknown_exit: bool = False) -> Job:
    return Job(chat_id, Kind.ERASE, unknown_exit=unknown_exit)


def encode(job: Job) -> str:
    """The job as JSON for the outbox: the bot's reply, never anything the person wrote."""
    body: dict[str, Any] = {
        "kind": job.kind.value,
        "private": job.private,
        "reply_to": job.reply_to,
        "unknown_exit": job.unknown_exit,
        "apology": job.apology,
    }
    if job.send is not None:
        reply = job.send.reply
        chart = reply.chart
        body["send"] = {
            "text": reply.text,
            "buttons": [[[b.label, b.data] for b in row] for row in reply.buttons],
            "image": str(reply.image) if reply.image else None,
            "intent": str(reply.intent),
            "chart": [chart.kind.value, chart.borough_code, chart.by_rate] if chart else None,
            "silent": job.send.silent,
            "link": [job.send.link.label, job.send.link.url] if job.send.link else None,
        }
    return json.dumps(body, ensure_ascii=False)


def decode(job_id: int, chat_id: int, text: str) -> Job:
    """A job as encode() wrote it."""
    body = json.loads(text)
    send = None
    if (data := body.get("send")) is not None:
        chart = data["chart"]
        reply = Reply(
            data["text"],
            [[Button(label, value) for label, value in row] for row in data["buttons"]],
            image=Path(data["image"]) if data["image"] else None,
            intent=data["intent"],
            chart=ChartRequest(ChartKind(chart[0]), chart[1], chart[2]) if chart else None,
        )
        link = Link(*data["link"]) if data["link"] else None
        send = Send(reply, silent=data["silent"], link=link)
    return Job(
        chat_id,
        Kind(body["kind"]),
        send,
        private=body["private"],
        reply_to=body["reply_to"],
        unknown_exit=body["unknown_exit"],
        apology=body["apology"],
        id=job_id,
    )
