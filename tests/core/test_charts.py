"""Charts: PNGs drawn once per data version beside the store, the asked-about borough in colour."""

from __future__ import annotations

import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.image import imread
from met_layout import CROYDON, KC, article_data, met_rows, write_met

from bot.core import charts as charts_module
from bot.core.charts import Charts
from bot.core.conversation import Conversation
from bot.core.figures import latest_table
from bot.core.render import Renderer
from bot.core.trends import london_total, trend_for
from bot.data import mps_import
from bot.data.store import Store, load_store
from bot.domain.paths import data_dir
from bot.fronts.plaintext import to_plain

PNG = b"\x89PNG\r\n\x1a\n"
HIGHLIGHT = (0xC2, 0x41, 0x0C)  # bot.core.charts._HIGHLIGHT


@pytest.fixture(scope="module")
def met_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("charts")
    data = article_data(folder / "data")
    met = write_met(folder / "met.csv", met_rows("2018-04", "2024-03"))
    mps_import.import_file(met, data, folder / "cache" / "helpline.db")
    return load_store(data, folder / "cache" / "helpline.db")


def charts_in(folder: Path, version: str = "ab" * 32) -> Charts:
    return Charts(folder, version, Renderer())


def share_of(path: Path, colour: tuple[int, int, int]) -> float:
    """The share of the picture's pixels within a few shades of a colour."""
    pixels = (imread(path)[..., :3] * 255).astype(int)
    close = np.all(np.abs(pixels - np.array(colour)) <= 6, axis=-1)
    return float(close.mean())


def test_a_ranking_chart_is_a_png_beside_the_store_and_drawn_once(
    met_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    charts = charts_in(tmp_path / "charts")
    table = latest_table(met_store)
    path = charts.ranking(table, CROYDON, False, london_total(met_store, table))
    assert path.read_bytes()[:8] == PNG
    assert path.parent == tmp_path / "charts" / ("ab" * 8)
    assert not path.is_relative_to(data_dir().parent)  # never inside the repository
    width, height = imread(path).shape[1], imread(path).shape[0]
    assert width == 800 and height > 900  # 32 readable bars

    def no_drawing(*args: object) -> None:
        raise AssertionError("a cached chart was drawn again")

    monkeypatch.setattr(charts_module, "run_in_child", no_drawing)
    assert charts.ranking(table, CROYDON, False, london_total(met_store, table)) == path


def test_the_asked_about_borough_is_drawn_in_colour(met_store: Store, tmp_path: Path) -> None:
    charts = charts_in(tmp_path)
    table = latest_table(met_store)
    plain = charts.ranking(table, None)
    highlighted = charts.ranking(table, KC)
    assert plain != highlighted
    assert share_of(plain, HIGHLIGHT) == 0
    assert share_of(highlighted, HIGHLIGHT) > 0.002  # one bar (and its label) in orange


def test_a_trend_chart_marks_the_latest_year(met_store: Store, tmp_path: Path) -> None:
    trend = trend_for(met_store, CROYDON)
    assert trend is not None and trend.years == 6
    path = charts_in(tmp_path).trend(trend, "Croydon")
    assert path.read_bytes()[:8] == PNG
    assert CROYDON not in path.name and "croydon" not in path.name.lower()
    assert share_of(path, HIGHLIGHT) > 0
    assert share_of(path, (0x1F, 0x4E, 0x79)) > 0.002  # the borough's line


def test_a_new_data_version_starts_a_fresh_folder_and_forgets_the_old(
    met_store: Store, tmp_path: Path
) -> None:
    table = latest_table(met_store)
    old = charts_in(tmp_path, "11" * 32).ranking(table)
    keep = tmp_path / "notes.txt"
    keep.write_text("not ours")
    new = charts_in(tmp_path, "22" * 32).ranking(table)
    assert new.parent.name == "22" * 8 and new.is_file()
    assert not old.exists()
    assert keep.exists()  # only chart folders are removed


def test_a_chart_that_cannot_be_drawn_still_gets_its_answer_in_words(
    met_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> Path:
        raise OSError("disk full")

    monkeypatch.setattr(Charts, "ranking", broken)
    reply = Conversation(met_store).answer("show me a chart")
    assert reply.image is None
    assert "Highest:" in to_plain(reply.text) and "0808 2000 247" in reply.text


def test_conversation_charts_live_beside_the_store(met_store: Store) -> None:
    reply = Conversation(met_store).answer("show me a chart")
    assert reply.image is not None
    assert reply.image.is_relative_to(met_store.path.parent / "charts")
    fingerprint = met_store.meta("fingerprint")
    assert fingerprint and reply.image.parent.name == fingerprint[:16]


def test_charts_are_drawn_in_another_process(
    met_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn_by: list[int] = []
    real = charts_module.run_in_child

    def spy(function: Any, *args: Any, timeout: float) -> Any:
        drawn_by.append(real(_pid_then, function, *args, timeout=timeout))

    monkeypatch.setattr(charts_module, "run_in_child", spy)
    path = charts_in(tmp_path).ranking(latest_table(met_store), KC)
    assert path.read_bytes()[:8] == PNG
    assert drawn_by and drawn_by[0] != os.getpid()


def _pid_then(function: Any, *args: Any) -> int:
    """Run function(*args) and say which process did it (pickled to the child by name)."""
    function(*args)
    return os.getpid()


def test_a_question_does_not_wait_long_behind_other_drawings(
    met_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts_module, "WAIT_FOR_TURN_S", 0.2)
    conversation = Conversation(met_store)
    shutil.rmtree(conversation.charts.cache_dir, ignore_errors=True)
    with charts_module._DRAWING:  # someone else's chart is being drawn
        started = time.monotonic()
        reply = conversation.answer("rank the boroughs by rate in a chart")
    assert time.monotonic() - started < 2
    assert reply.intent == "chart" and reply.image is None  # the answer goes out in words
    assert "0808 2000 247" in reply.text


def test_the_core_can_leave_the_drawing_to_the_front(met_store: Store) -> None:
    conversation = Conversation(met_store)
    shutil.rmtree(conversation.charts.cache_dir, ignore_errors=True)
    reply = conversation.answer("show me a chart", draw=False)
    assert reply.image is None and reply.chart is not None
    assert not conversation.charts.cache_dir.exists()  # nothing drawn yet
    assert conversation.draw(reply).image is not None and reply.image.is_file()
    assert reply.chart is None
    assert conversation.draw(reply).image == reply.image  # drawn once


def test_a_reply_asks_for_its_chart_as_plain_data(met_store: Store) -> None:
    """No function travels inside a Reply: it pickles, and says which chart to draw."""
    conversation = Conversation(met_store)
    reply = conversation.answer("is it going up in croydon", draw=False)
    assert reply.chart is not None and reply.chart.borough_code == CROYDON
    assert pickle.loads(pickle.dumps(reply)) == reply
