"""words(): the quick path for plain ASCII gives what the general path gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.understand import languages


def _general(text: str) -> list[str]:
    text = languages._MARKS.sub(
        "", unicodedata.normalize("NFC", text).casefold().translate(languages._SAME)
    )
    spaced = "".join(ch if languages._in_word(ch) else " " for ch in text)
    return [w.strip("'") for w in spaced.split() if w.strip("'")]


@settings(max_examples=500, derandomize=True)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=127), max_size=80))
def test_ascii_words_as_the_general_path_reads_them(text: str) -> None:
    assert languages.words(text) == _general(text)


def test_other_scripts_still_take_the_general_path() -> None:
    assert languages.words("Mój mąż mnie BIJE!") == ["mój", "mąż", "mnie", "bije"]
