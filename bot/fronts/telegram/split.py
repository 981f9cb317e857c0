"""Split a Telegram-HTML reply that is too long for one message into valid messages.

Telegram takes at most 4,096 characters per message. Parts break at a paragraph
if they can, else at a line, else at a space, and never inside a tag or an
entity. A tag still open at a break is closed at the end of one part and opened
again at the start of the next, so every part is balanced HTML on its own.
"""

from __future__ import annotations

import re
import unicodedata

MAX_MESSAGE = 4096
# A tag this long could not be closed and reopened in every part; its text is kept
# and the formatting dropped (no reply the bot writes comes near this).
_MAX_TAG = 512

_TOKEN = re.compile(r"<[^<>]*>|&(?:#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{1,8});|.", re.DOTALL)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
_TAGS = re.compile(r"<[^<>]*>")

# Break priorities: the best break in the current part wins, the latest among equals.
_PARAGRAPH, _LINE, _SPACE, _ANYWHERE = 3, 2, 1, 0


def units(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units), taken on the raw HTML to be safe."""
    if len(text) == 1:
        return 2 if ord(text) > 0xFFFF else 1
    return len(text.encode("utf-16-le")) // 2


def split_html(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """The reply as one or more messages, each valid Telegram HTML within `limit`."""
    if units(text) <= limit:
        return [text]
    parts = _Splitter(limit).run(text)
    if any(units(part) > limit for part in parts):
        # Formatting nested so deep that reopening it leaves no room: send plain text.
        parts = _Splitter(limit).run(_TAGS.sub("", text))
    return parts


def _joins_previous(char: str) -> bool:
    """A character that belongs to the one before it (accents, emoji modifiers, joiners)."""
    if len(char) != 1:
        return False
    if char in "\u200d\ufe0e\ufe0f" or "\U0001f3fb" <= char <= "\U0001f3ff":
        return True
    return unicodedata.category(char) in ("Mn", "Me", "Mc")


class _Break:
    """A place the current part may end: the tokens before it fit with their closing tags."""

    __slots__ = ("index", "priority", "size", "stack")

    def __init__(self, index: int, priority: int, stack: list[tuple[str, str]], size: int):
        self.index, self.priority, self.stack, self.size = index, priority, stack, size


class _Splitter:
    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[str] = []

    def run(self, text: str) -> list[str]:
        stack: list[tuple[str, str]] = []  # (name, opening tag) open after the last token
        opened: list[tuple[str, str]] = []  # open when the current part began
        part: list[str] = []
        size = 0  # units in `part`, without the reopening and closing tags
        breaks: list[_Break] = []
        previous = ""
        for token in _tokens(text):
            cost = units(token)
            after = _stack_after(stack, token)
            while part and size + cost > self.limit - _reopen_cost(opened) - _close_cost(after):
                cut = self._best(breaks, opened) or _Break(len(part), _ANYWHERE, stack, size)
                self._emit(opened, part[: cut.index], cut.stack)
                part, opened, size = part[cut.index :], cut.stack, size - cut.size
                breaks = [
                    _Break(b.index - cut.index, b.priority, b.stack, b.size - cut.size)
                    for b in breaks
                    if b.index > cut.index
                ]
            if breaks and breaks[-1].index == len(part) and _joins_previous(token):
                breaks.pop()  # keep an accent or emoji modifier with its character
            part.append(token)
            size += cost
            stack = after
            priority = _priority(previous, token)
            if priority is not None:
                breaks.append(_Break(len(part), priority, stack, size))
            previous = token
        self._emit(opened, part, stack)
        return self.parts

    def _best(self, breaks: list[_Break], opened: list[tuple[str, str]]) -> _Break | None:
        """The best break that still fits: highest priority, then the latest.

        Breaks in the first quarter of a part count only when there is no other,
        so one short paragraph does not become a message of its own.
        """
        reopen = _reopen_cost(opened)
        fitting = [b for b in breaks if b.size + reopen + _close_cost(b.stack) <= self.limit]
        fitting = [b for b in fitting if b.size >= self.limit // 4] or fitting
        if not fitting:
            return None
        top = max(b.priority for b in fitting)
        return [b for b in fitting if b.priority == top][-1]

    def _emit(
        self, opened: list[tuple[str, str]], body: list[str], still_open: list[tuple[str, str]]
    ) -> None:
        text = "".join(body).strip(" \n")
        if not _TAGS.sub("", text).strip():
            return  # nothing to read in this part (whitespace or empty tags only)
        reopen = "".join(tag for _, tag in opened)
        close = "".join(f"</{name}>" for name, _ in reversed(still_open))
        self.parts.append(reopen + text + close)


def _tokens(text: str) -> list[str]:
    """Tags, entities and single characters; tags too long to repeat are dropped."""
    out: list[str] = []
    dropped: list[bool] = []  # per open tag: was it dropped (so drop its closing tag too)
    for token in _TOKEN.findall(text):
        match = _TAG.match(token) if len(token) > 1 and token[0] == "<" else None
        if match and not match.group(1) and not token.endswith("/>"):
            dropped.append(len(token) > _MAX_TAG)
            if dropped[-1]:
                continue
        elif match and match.group(1):
            if dropped and dropped.pop():
                continue
        elif len(token) > _MAX_TAG:
            continue
        out.append(token)
    return out


def _priority(previous: str, token: str) -> int | None:
    """How good a break is just after `token` (None: no break there)."""
    if len(token) > 1 and token[0] == "<":
        return None
    if token == "\n":
        return _PARAGRAPH if previous == "\n" else _LINE
    if token in (" ", "\t"):
        return _SPACE
    if token == "\u200d":
        return None
    return _ANYWHERE


def _stack_after(stack: list[tuple[str, str]], token: str) -> list[tuple[str, str]]:
    if not token.startswith("<") or len(token) == 1:
        return stack
    match = _TAG.match(token)
    if not match or token.endswith("/>"):
        return stack
    closing, name = match.group(1), match.group(2).lower()
    if not closing:
        return [*stack, (name, token)]
    for position in range(len(stack) - 1, -1, -1):
        if stack[position][0] == name:
            return stack[:position]
    return stack


def _reopen_cost(stack: list[tuple[str, str]]) -> int:
    return sum(units(tag) for _, tag in stack)


def _close_cost(stack: list[tuple[str, str]]) -> int:
    return sum(len(name) + 3 for name, _ in stack)
