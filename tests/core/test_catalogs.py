"""The translation catalogs: complete, placeholders kept, Telegram HTML kept, digits kept.

responses/locale/messages.pot must hold what the templates mark today (pybabel extract
-F babel.cfg), and every language's .po every message of it, translated and checked.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from telegram_html import markup_problems

from bot.core.languages import CODES, ENGLISH, Catalogs, using
from bot.core.render import Renderer, make_environment
from bot.domain.paths import responses_dir

ROOT = Path(__file__).resolve().parents[2]
LOCALE = responses_dir() / "locale"
OTHERS = [c for c in CODES if c != ENGLISH]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?([a-z-]+)")
DIGITS = re.compile(r"\d+")


def template() -> Catalog:
    with (LOCALE / "messages.pot").open("rb") as handle:
        return read_po(handle)


def catalog(code: str) -> Catalog:
    with (LOCALE / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message: Message) -> tuple[str, ...]:
    if isinstance(message.string, tuple | list):
        return tuple(message.string)
    return (message.string,)


def entry_problems(message: Message) -> list[str]:
    """What is wrong with one translated entry (an empty list when nothing is)."""
    found: list[str] = []
    # Words of data/ are looked up as they stand, never formatted (render.py, `data`).
    from_data = any(c.startswith("data/") for c in message.auto_comments) or any(
        str(path).startswith("data/") for path, _ in message.locations
    )
    source = " ".join(ids(message))
    names = set(PLACEHOLDER.findall(source))
    digits = Counter(DIGITS.findall(ids(message)[-1]))
    tags = Counter(TAG.findall(ids(message)[-1]))
    if message.fuzzy:
        found.append("fuzzy")
    for text in strings(message):
        if not text or not text.strip():
            found.append("not translated")
            continue
        # A plural form may leave out the count ("one borough"); nothing else may go.
        missing = (
            names - set(PLACEHOLDER.findall(text)) - ({"count"} if message.pluralizable else set())
        )
        extra = set(PLACEHOLDER.findall(text)) - names
        if missing or extra:
            found.append(f"placeholders: missing {sorted(missing)}, unknown {sorted(extra)}")
        filled = text
        if not from_data:  # the templates' gettext always formats: a lone % would fail
            try:
                filled = text % {name: "x" for name in PLACEHOLDER.findall(text)}
            except (ValueError, TypeError, KeyError) as error:
                found.append(f"not a format string: {error}")
                continue
        if problems := markup_problems(filled):
            found.append(f"Telegram HTML: {problems}")
        if Counter(TAG.findall(text)) != tags:
            found.append(
                f"tags {dict(Counter(TAG.findall(text)))} where the English has {dict(tags)}"
            )
        lost = digits - Counter(DIGITS.findall(text))
        if lost and not message.pluralizable:
            found.append(f"numbers changed or lost: {sorted(lost)}")
    return found


def catalog_problems(english: Catalog, translated: Catalog) -> list[str]:
    found: list[str] = []
    for message in english:
        if not message.id:
            continue
        entry = translated.get(message.id)
        if entry is None:
            found.append(f"missing: {ids(message)[0][:60]!r}")
        else:
            found += [f"{ids(message)[0][:60]!r}: {p}" for p in entry_problems(entry)]
    return found


def test_the_template_holds_exactly_what_the_templates_and_data_mark() -> None:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    extracted = {
        message if isinstance(message, str) else message[0]
        for _, _, message, _, _ in extract_from_dir(
            str(ROOT), method_map, options_map, comment_tags=("TRANSLATORS:",)
        )
    }
    in_pot = {ids(m)[0] for m in template() if m.id}
    assert extracted - in_pot == set(), "run pybabel extract (README, Languages)"
    assert in_pot - extracted == set(), "run pybabel extract (README, Languages)"


@pytest.mark.parametrize("code", OTHERS)
def test_every_catalog_has_every_message_with_its_placeholders_html_and_numbers(
    code: str,
) -> None:
    assert catalog_problems(template(), catalog(code)) == []


@pytest.mark.parametrize("code", OTHERS)
def test_every_catalog_says_who_translated_it_and_that_no_native_speaker_reviewed_it(
    code: str,
) -> None:
    translated = catalog(code)
    assert str(translated.locale) == code
    assert "AI" in (translated.last_translator or "")
    said = " ".join([translated.last_translator or "", translated.header_comment or ""])
    assert "not reviewed by a native speaker" in re.sub(r"\s+", " ", said)


def test_the_checker_finds_a_missing_message_a_changed_placeholder_and_broken_html() -> None:
    english = template()
    broken = catalog("pl")
    footer = next(m for m in english if m.id and "%(emergency)s" in str(m.id))
    broken[footer.id].string = "Zadzwoń: %(phone)s, %(telefon)s"  # a placeholder renamed
    caveat = next(m for m in english if m.id and str(m.id).startswith("<b>Discreet mode is on"))
    broken[caveat.id].string = "<b>Tryb dyskretny jest włączony. %(line)s"  # <b> left open
    numbers = next(m for m in english if m.id and "48 hours" in str(m.id))
    broken[numbers.id].string = "Usuń wiadomości z ostatnich 24 godzin: /exit"  # 48 -> 24
    gone = next(m for m in english if m.id == "Leave quickly")
    del broken[gone.id]
    found = "\n".join(catalog_problems(english, broken))
    assert "missing: 'Leave quickly'" in found
    assert "unknown ['telefon']" in found
    assert "Telegram HTML" in found
    assert "numbers changed or lost: ['48']" in found


def test_a_message_a_catalog_lacks_is_said_in_english(tmp_path: Path) -> None:
    # A copy of the templates whose Polish catalog lacks one message.
    templates = tmp_path / "responses"
    templates.mkdir()
    for source in responses_dir().glob("*.html"):
        (templates / source.name).write_text(source.read_text())
    polish = catalog("pl")
    del polish["I can only read text."]
    target = templates / "locale" / "pl" / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        write_po(handle, polish)
    renderer = Renderer(make_environment(templates), services={})
    with using("pl"):
        assert renderer.render("discreet_line.html") == "✉️ " + polish["New message"].string
        text = renderer.env.from_string("{{ _('I can only read text.') }}").render()
    assert text == "I can only read text."


def test_a_compiled_catalog_is_read_unless_its_po_is_newer(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "locale" / "pl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    polish = catalog("pl")
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, polish)
    fresh = Catalogs(tmp_path / "locale").get("pl")  # no .mo: compiled from the .po
    assert fresh.translations.gettext("Leave quickly") == polish["Leave quickly"].string
    assert "no up-to-date messages.mo" in caplog.text
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, polish)
    caplog.clear()
    compiled = Catalogs(tmp_path / "locale").get("pl")
    assert compiled.translations.gettext("Leave quickly") == polish["Leave quickly"].string
    assert compiled.translator == fresh.translator == "an AI language model (Anthropic Claude)"
    assert caplog.text == ""
    polish["Leave quickly"].string = "Wyjdź szybko!"  # edited after the install
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, polish)
    later = (folder / "messages.mo").stat().st_mtime + 10
    os.utime(folder / "messages.po", (later, later))
    assert Catalogs(tmp_path / "locale").get("pl").translations.gettext("Leave quickly") == (
        "Wyjdź szybko!"
    )
