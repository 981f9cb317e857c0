"""The jinja2 environment, its filters and the templates in responses/."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest

import bot
from bot.core.render import Renderer, make_environment, month_year, ordinal, thousands
from bot.core.signpost import NEEDS
from bot.domain.paths import responses_dir

ORDINALS = [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
            (13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st")]  # fmt: skip


@pytest.mark.parametrize(("value", "expected"), ORDINALS)
def test_ordinal(value: int, expected: str) -> None:
    assert ordinal(value) == expected


def test_thousands_and_month_year() -> None:
    assert thousands(2531) == "2,531"
    assert thousands(619) == "619"
    assert month_year("2026-11") == "November 2026"
    assert month_year("2026-01-05") == "January 2026"


def test_autoescape_is_on_for_every_template() -> None:
    env = make_environment()
    assert env.from_string("{{ x }}").render(x="<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"


def test_undefined_names_raise_rather_than_print_nothing() -> None:
    with pytest.raises(jinja2.UndefinedError):
        make_environment().from_string("{{ missing }}").render()


def test_block_tags_leave_no_blank_lines() -> None:
    env = make_environment()
    text = env.from_string("a\n{% if true %}\nb\n{% endif %}\nc\n").render()
    assert text == "a\nb\nc"


@pytest.mark.parametrize("name", sorted(p.name for p in responses_dir().glob("*.html")))
def test_every_template_compiles(name: str) -> None:
    make_environment().get_template(name)


def test_every_button_label_used_in_code_exists() -> None:
    source = "\n".join(p.read_text() for p in Path(bot.__file__).parent.rglob("*.py"))
    names = set(re.findall(r'_button\(\s*"(\w+)"', source))
    names |= {f"need_{need}" for need in NEEDS}
    assert len(names) > 10
    renderer = Renderer()
    for name in names:
        assert renderer.label(name).strip(), name
