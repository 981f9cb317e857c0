"""Telegram HTML -> readable plain text, for the terminal."""

from __future__ import annotations

import html
import re

_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_TAG = re.compile(r"</?[a-z][a-z0-9-]*(?:\s[^>]*)?>", re.IGNORECASE)


def to_plain(text: str) -> str:
    """Keep links as 'text (url)', drop other tags, unescape entities."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({html.unescape(m.group(1))})", text)
    return html.unescape(_TAG.sub("", text))
