"""The languages the bot replies in: their catalogs, their names, and the one in use.

Each language is a gettext catalog, responses/locale/<code>/LC_MESSAGES/messages.po, made
from responses/locale/messages.pot with Babel (README, "Languages"). Installing the project
compiles each to messages.mo (hatch_build.py), which the standard library's gettext reads
the first time the language is used. A .po newer than its .mo (a translation edited since)
is compiled with Babel at load instead, and a warning logged. A message a catalog lacks
(or marks fuzzy) is said in English.

The language of the reply being built is a context variable, set by `using(code)` around
one answer: the templates' gettext reads it, so no reply needs the language passed down.
"""

from __future__ import annotations

import gettext
import io
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from bot.core.locale_names import AUTONYMS

log = logging.getLogger(__name__)

ENGLISH = "en"
# English first, then the others in the order the issue lists them.
CODES: tuple[str, ...] = ("en", "pl", "ro", "es", "pt", "bn", "ur", "ar", "tr", "so", "uk")
RIGHT_TO_LEFT = frozenset({"ar", "ur"})

_current: ContextVar[str] = ContextVar("language", default=ENGLISH)


def current() -> str:
    """The language of the reply being built (English outside `using`)."""
    return _current.get()


@contextmanager
def using(code: str | None) -> Iterator[str]:
    """Build replies in this language inside the block; an unknown code means English."""
    code = code if code in CODES else ENGLISH
    token = _current.set(code)
    try:
        yield code
    finally:
        _current.reset(token)


def switch(code: str) -> None:
    """Inside `using`: build the rest of this event's replies in `code` (a language chosen)."""
    _current.set(code if code in CODES else ENGLISH)


def supported(code: str | None) -> str | None:
    """A language code we reply in, from an IETF tag like Telegram's ("pt-br" -> "pt")."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in CODES else None


def autonym(code: str) -> str:
    """The language's name in itself, from CLDR: "Polski", "Türkçe", "العربية"."""
    return AUTONYMS.get(code, code)


@dataclass(frozen=True, slots=True)
class Catalog:
    """One language's compiled messages and who translated them."""

    code: str
    translations: gettext.NullTranslations
    translator: str  # the .po's Last-Translator: who wrote it, and whether it was reviewed

    def has(self, message: str) -> bool:
        return self.translations.gettext(message) != message


def read_catalog(code: str, po: Path) -> Catalog:
    """Compile one .po with Babel, in memory; fuzzy entries are left out (said in English)."""
    # Imported here: only a reply in another language needs Babel, and the bot starts sooner.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Catalog(code, gettext.GNUTranslations(compiled), translator(catalog.last_translator))


def translator(header: str | None) -> str:
    """Who translated, from a Last-Translator header: "An AI language model (Anthropic
    Claude), 2026-11-30; not reviewed..." -> "an AI language model (Anthropic Claude)"."""
    who = (header or "").split(";")[0].split("<")[0].strip()
    who = re.sub(r",?\s*\d{4}-\d{2}-\d{2}$", "", who).strip()
    return who[:1].lower() + who[1:] if who.startswith("An ") or who.startswith("A ") else who


class Catalogs:
    """Every language's catalog under one locale/ folder, each compiled on first use."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._loaded: dict[str, Catalog] = {}
        self._lock = threading.Lock()
        english = gettext.NullTranslations()
        self._english = Catalog(ENGLISH, english, "")

    def path(self, code: str) -> Path:
        return self.folder / code / "LC_MESSAGES" / "messages.po"

    def available(self) -> tuple[str, ...]:
        """English, and every language with a catalog, in CODES order."""
        return tuple(c for c in CODES if c == ENGLISH or self.path(c).is_file())

    def get(self, code: str) -> Catalog:
        """The catalog of `code`; English (the templates' own words) when there is none."""
        if code == ENGLISH:
            return self._english
        catalog = self._loaded.get(code)
        if catalog is None:
            with self._lock:
                catalog = self._loaded.get(code)
                if catalog is None:
                    catalog = self._read(code)
                    self._loaded[code] = catalog
        return catalog

    def _read(self, code: str) -> Catalog:
        po = self.path(code)
        if not po.is_file():
            return self._english
        mo = po.with_suffix(".mo")
        if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
            with mo.open("rb") as handle:
                translations = gettext.GNUTranslations(handle)
            return Catalog(
                code, translations, translator(translations.info().get("last-translator"))
            )
        log.warning("catalog %s: no up-to-date messages.mo, compiling the .po (reinstall)", code)
        return read_catalog(code, po)

    def translations(self) -> gettext.NullTranslations:
        """The translations of the language in use."""
        return self.get(current()).translations
