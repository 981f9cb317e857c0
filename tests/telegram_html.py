"""A strict checker for Telegram's HTML parse mode: the tests' one, and the fake Bot API's.

Follows https://core.telegram.org/bots/api#html-style: only the listed tags, properly
nested, `a` with an href only, `<`, `>` and `&` escaped outside tags (only &lt; &gt;
&amp; &quot; and numeric entities), and some visible text (Telegram refuses an empty
message). Stricter than Telegram where that is cheap (no attributes it would ignore).
The fake Bot API (tests/fakebotapi) refuses a message with `markup_problems`, as Telegram
would, and says "empty" itself for one with no `visible` text.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# tag -> attributes it may carry (name -> allowed value, None for any value)
ALLOWED: dict[str, dict[str, str | None]] = {
    "b": {},
    "strong": {},
    "i": {},
    "em": {},
    "u": {},
    "ins": {},
    "s": {},
    "strike": {},
    "del": {},
    "a": {"href": None},
    "code": {"class": None},
    "pre": {},
    "blockquote": {"expandable": None},
    "tg-spoiler": {},
    "span": {"class": "tg-spoiler"},
    "tg-emoji": {"emoji-id": None},
}
# No other formatting may sit inside these.
_VERBATIM = {"code", "pre"}
_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)")
_TAG_TEXT = re.compile(r"<[^<>]*>")


class InvalidHTML(ValueError):
    pass


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag <{tag}> is not allowed")
            return
        allowed = ALLOWED[tag]
        for name, value in attrs:
            if name not in allowed:
                self.problems.append(f"<{tag}> may not have {name}=")
            elif allowed[name] is not None and value != allowed[name]:
                self.problems.append(f"<{tag} {name}={value!r}> is not allowed")
        if tag == "a" and not dict(attrs).get("href"):
            self.problems.append("<a> without href")
        if tag == "span" and dict(attrs).get("class") != "tg-spoiler":
            self.problems.append("<span> without class=tg-spoiler")
        inside_verbatim = [t for t in self.stack if t in _VERBATIM]
        if inside_verbatim and not (tag == "code" and self.stack[-1:] == ["pre"]):
            self.problems.append(f"<{tag}> inside <{inside_verbatim[-1]}>")
        if tag in ("code", "a", "blockquote") and tag in self.stack:
            self.problems.append(f"<{tag}> inside <{tag}>")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self.problems.append(f"</{tag}> closes nothing")
        elif self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1]}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for char in "<>":
            if char in data:
                self.problems.append(f"unescaped {char!r} in text")

    def handle_entityref(self, name: str) -> None:
        if name not in ("lt", "gt", "amp", "quot"):
            self.problems.append(f"entity &{name}; is not supported")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.problems.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("unknown declaration")


def visible(text: str) -> str:
    """What a person sees of Telegram HTML: tags dropped, entities unescaped."""
    return html.unescape(_TAG_TEXT.sub("", text))


def markup_problems(text: str) -> list[str]:
    """What is wrong with the tags, entities and escaping of `text`; empty when well formed."""
    checker = _Checker()
    checker.feed(text)
    checker.close()
    found = list(checker.problems)
    if checker.rawdata:
        found.append(f"unparsed text at the end: {checker.rawdata[:20]!r}")
    if checker.stack:
        found.append(f"unclosed tags: {checker.stack}")
    if _AMPERSAND.search(text):
        found.append("unescaped '&'")
    return found


def problems(text: str) -> list[str]:
    """Everything Telegram would refuse (or we do not allow) in `text`; empty when valid."""
    found = markup_problems(text)
    if not visible(text).strip():
        found.append("no visible text")
    return found


def check(text: str) -> None:
    """Raise InvalidHTML naming the first problem, if any."""
    if found := problems(text):
        raise InvalidHTML(f"{found[0]} in {text[:200]!r}")
