"""One jinja2 Environment over responses/: the templates hold every word the bot says."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from bot.domain.numbers import one_decimal, thousands
from bot.domain.paths import responses_dir
from bot.domain.periods import MONTHS


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


def make_environment(templates: Path | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates or responses_dir()),
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
    # English is the templates' own text; new-style gettext formats %(name)s placeholders
    # and escapes their values like any other {{ }} in an autoescaped template.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        thousands=thousands,
        one_decimal=one_decimal,
        ordinal=ordinal,
        tel=tel,
        month_year=month_year,
    )
    return env


class Renderer:
    """Renders replies and reads button labels from responses/."""

    def __init__(self, env: jinja2.Environment | None = None, **globals_: Any):
        self.env = env or make_environment()
        # This renderer's own names for every template (the store's services, say), passed
        # with each render: an Environment may be shared, and is never changed here.
        self.globals: dict[str, Any] = globals_

    def with_globals(self, **globals_: Any) -> Renderer:
        """A renderer over the same templates that also knows these names; this one is unchanged."""
        return Renderer(self.env, **{**self.globals, **globals_})

    def render(self, template: str, **context: Any) -> str:
        text = self.env.get_template(template).render(self.globals, **context)
        # Collapse the blank lines that conditional blocks leave between paragraphs.
        lines = text.strip().split("\n")
        out: list[str] = []
        for line in lines:
            if line.strip() or (out and out[-1].strip()):
                out.append(line.rstrip())
        return "\n".join(out).strip()

    @cache  # noqa: B019 - one Renderer lives as long as the process
    def label(self, name: str) -> str:
        """A button label, from responses/labels.html."""
        return str(getattr(self.env.get_template("labels.html").module, name))
