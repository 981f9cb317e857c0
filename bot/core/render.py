"""One jinja2 Environment over responses/: the templates hold every word the bot says.

Every word is marked for translation; the language of a reply is the one `languages.using`
set around it, English by default (bot/core/languages.py). Numbers stay in the digits
people dial in every language; in a right-to-left language each run of digits is kept in
one left-to-right isolate, so "0808 2000 247" is not shown as "247 2000 0808".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2.environment import TemplateModule

from bot.core import languages
from bot.core.languages import Catalogs
from bot.core.locale_names import MONTHS as LOCAL_MONTHS
from bot.core.locale_names import SHORT_MONTHS
from bot.domain.numbers import one_decimal, thousands
from bot.domain.paths import responses_dir
from bot.domain.periods import MONTHS

# In a right-to-left reply: digits with the separators inside a number or a period
# ("0808 2000 247", "4,787", "2024-25", "9:30"), each wrapped in LRI ... PDI.
_NUMBER = re.compile(r"\d+(?:[ ,.:/\-\u2013]\d+)*")
_TAG = re.compile(r"(<[^>]*>|&#?\w+;)")  # tags and entities: never touched
_LRI, _PDI, _RLM = "\u2066", "\u2069", "\u200f"
_MONTH_NAMES = "|".join(MONTHS)
_ENGLISH_MONTH = re.compile(rf"\b({_MONTH_NAMES})\b")


def ordinal(value: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
    return f"{value}{suffix}"


def tel(phone: str) -> str:
    """A phone number without spaces, for copying and dialling."""
    return phone.replace(" ", "")


def month_year(value: str, short: bool = False) -> str:
    """'2026-11' or '2026-11-03' -> 'November 2026'; with short=True just 'Nov'."""
    year, month = value.split("-")[:2]
    name = MONTHS[int(month) - 1]
    return name[:3] if short else f"{name} {year}"


def _local_month(name: str, short: bool = False) -> str:
    """An English month name in the language in use (CLDR's stand-alone names)."""
    code = languages.current()
    if code == languages.ENGLISH:
        return name[:3] if short else name
    names = (SHORT_MONTHS if short else LOCAL_MONTHS).get(code)
    return names[MONTHS.index(name)] if names else name


def isolate_numbers(html: str) -> str:
    """Right-to-left text: each line starts right to left, each number kept left to right."""
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):  # text between tags and entities, never inside one
        parts[i] = _NUMBER.sub(lambda m: f"{_LRI}{m.group(0)}{_PDI}", parts[i])
    return "\n".join(f"{_RLM}{line}" if line else line for line in "".join(parts).split("\n"))


def make_environment(templates: Path | None = None) -> jinja2.Environment:
    folder = templates or responses_dir()
    catalogs = Catalogs(folder / "locale")

    def gettext(message: str) -> str:
        return catalogs.translations().gettext(message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        # Every {% pluralize %} names its count: jinja2 would take the block's first name.
        return catalogs.translations().ngettext(singular, plural, n)

    def data(text: str | None) -> str:
        """Words from data/ (who a service is for, a finding...), in the language in use."""
        return gettext(text) if text else (text or "")

    def local_ordinal(value: int) -> str:
        catalog = catalogs.get(languages.current())
        if catalog.code == languages.ENGLISH or not catalog.has(ORDINAL):
            return ordinal(value)
        return catalog.translations.gettext(ORDINAL) % {"number": value}

    def local_month_year(value: str, short: bool = False) -> str:
        year, month = value.split("-")[:2]
        name = _local_month(MONTHS[int(month) - 1], short)
        return name if short else f"{name} {year}"

    def period(label: str) -> str:
        """A period's label ("April 2024 to March 2025", "2024-25") in the language in use."""
        catalog = catalogs.get(languages.current())
        if catalog.code == languages.ENGLISH:
            return label
        if catalog.has(label):  # a label written in data/: "one year, most likely 2008"
            return catalog.translations.gettext(label)
        start, joined, end = label.partition(" to ")
        if joined and catalog.has(PERIOD_RANGE):
            label = catalog.translations.gettext(PERIOD_RANGE) % {"start": start, "end": end}
        return _ENGLISH_MONTH.sub(lambda m: _local_month(m.group(1)), label)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        # Explicit: select_autoescape would only cover .html names, and every
        # reply is Telegram HTML built around text people typed.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        # Telegram shows every newline, so block tags must not leave any behind.
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        # Templates change only with a new release, and a restart: no file check per reply.
        auto_reload=False,
        # Every word is marked for translation ({% trans %}, _()): see responses/locale/.
        extensions=["jinja2.ext.i18n"],
    )
    # New-style gettext formats %(name)s placeholders and escapes their values like any
    # other {{ }} in an autoescaped template; English is the templates' own text.
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["catalogs"] = catalogs
    env.globals["language"] = languages.current
    env.filters.update(
        thousands=thousands,
        one_decimal=one_decimal,
        ordinal=local_ordinal,
        tel=tel,
        month_year=local_month_year,
        data=data,
        period=period,
    )
    return env


# The two messages responses/_words.html holds for the filters above.
ORDINAL = "%(number)sth"
PERIOD_RANGE = "%(start)s to %(end)s"


class Renderer:
    """Renders replies and reads button labels from responses/."""

    def __init__(self, env: jinja2.Environment | None = None, **globals_: Any):
        self.env = env or make_environment()
        # This renderer's own names for every template (the store's services, say), passed
        # with each render: an Environment may be shared, and is never changed here.
        self.globals: dict[str, Any] = globals_
        self._labels: dict[tuple[str, str], str] = {}  # (language, name) -> label

    def with_globals(self, **globals_: Any) -> Renderer:
        """A renderer over the same templates that also knows these names; this one is unchanged."""
        return Renderer(self.env, **{**self.globals, **globals_})

    @property
    def catalogs(self) -> Catalogs:
        return cast(Catalogs, self.env.globals["catalogs"])

    def render(self, template: str, **context: Any) -> str:
        text = self.env.get_template(template).render(self.globals, **context)
        # Collapse the blank lines that conditional blocks leave between paragraphs.
        lines = text.strip().split("\n")
        out: list[str] = []
        for line in lines:
            if line.strip() or (out and out[-1].strip()):
                out.append(line.rstrip())
        text = "\n".join(out).strip()
        return isolate_numbers(text) if languages.current() in languages.RIGHT_TO_LEFT else text

    def module(self, template: str) -> TemplateModule:
        """A template's names ({% set %}, macros) in the language in use.

        Made anew each time: the template's cached module would keep the first language's words.
        """
        return self.env.get_template(template).make_module()

    def label(self, name: str) -> str:
        """A button label, from responses/labels.html, in the language in use."""
        key = (languages.current(), name)
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = str(getattr(self.module("labels.html"), name))
        return label
