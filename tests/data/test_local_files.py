"""Files on the bot's machine: --store never replaces another file, clean-ups touch only the
bot's own, and chart files are private and named without the borough asked about."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from met_layout import CROYDON

from bot.core.charts import Charts
from bot.core.figures import latest_table
from bot.core.render import Renderer
from bot.core.trends import trend_for
from bot.data import dataset
from bot.data.store import Store
from bot.fronts.cli import cli


@pytest.mark.parametrize("command", [["ask", "croydon"], ["data", "build"]])
def test_store_never_replaces_a_file_that_is_not_a_store(
    tmp_path: Path, command: list[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes\n")
    result = CliRunner().invoke(cli, [*command, "--store", str(notes)])
    assert result.exit_code == 1
    assert "is not a helpline-bot store" in result.output
    assert "Traceback" not in result.output
    assert notes.read_text() == "my own notes\n"


def test_store_still_replaces_its_own_store(tmp_path: Path) -> None:
    store = tmp_path / "helpline.db"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["data", "build", "--store", str(store)])
        assert result.exit_code == 0, result.output
    assert dataset.stored_schema(store) == dataset.SCHEMA_VERSION


def test_a_build_removes_only_the_half_built_stores_it_left(
    repo_data: Path, tmp_path: Path
) -> None:
    hour_ago = time.time() - dataset.ABANDONED_AFTER_S - 60
    left = tmp_path / ".building-abcd_123.db"
    left.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    someone_elses = tmp_path / ".building-notes.db"  # not a name a build gives
    someone_elses.write_text("keep me")
    look_alike = tmp_path / ".building-x1y2z3w4.db"  # a build's name, not a build's content
    look_alike.write_text("keep me too")
    for path in (left, someone_elses, look_alike):
        os.utime(path, (hour_ago, hour_ago))
    dataset.build(repo_data, tmp_path / "helpline.db")
    assert not left.exists()
    assert someone_elses.read_text() == "keep me" and look_alike.read_text() == "keep me too"


def test_chart_files_are_private_and_name_no_borough(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "charts"
    charts = Charts(folder, "ab" * 32, Renderer())
    trend = trend_for(store, CROYDON)
    table = latest_table(store)
    drawn = [charts.ranking(table, CROYDON)]
    if trend is not None:
        drawn.append(charts.trend(trend, "Croydon"))
    for path in drawn:
        assert CROYDON not in path.name and "croydon" not in path.name.lower()
    for private in (folder, charts.cache_dir):
        assert stat.S_IMODE(private.stat().st_mode) == 0o700
    # The same chart keeps its name, so it is drawn once.
    assert charts.ranking(table, CROYDON) == drawn[0]


def test_a_folder_that_only_looks_like_old_charts_is_never_removed(
    store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "charts"
    lookalike = folder / ("0123456789abcdef")
    lookalike.mkdir(parents=True)
    (lookalike / "thesis.docx").write_text("years of work")
    table = latest_table(store)
    old = Charts(folder, "11" * 32, Renderer()).ranking(table)
    (old.parent / "mine.txt").write_text("someone put this here")
    new = Charts(folder, "22" * 32, Renderer()).ranking(table)
    assert new.is_file() and not old.exists()  # the bot's old chart is gone...
    assert (lookalike / "thesis.docx").read_text() == "years of work"  # ...nothing else
    assert (old.parent / "mine.txt").exists()


@pytest.mark.parametrize(
    ("arguments", "option", "variable"),
    [
        (["--token", "AAHsecretTokenGivenOnTheCommandLine"], "--token",
         "TELEGRAM_BOT_TOKEN"),
        (["--token", "bad", "--secret-token", "my-webhook-secret-value"], "--secret-token",
         "TELEGRAM_WEBHOOK_SECRET"),
    ],
)  # fmt: skip
def test_a_secret_on_the_command_line_warns_without_echoing_it(
    arguments: list[str], option: str, variable: str, tmp_path: Path
) -> None:
    # A malformed token or an unreachable API stops the run after the warning.
    args = [
        "run",
        *arguments,
        "--api-url",
        "http://127.0.0.1:9/bot",
        "--store",
        str(tmp_path / "s"),
    ]
    result = CliRunner().invoke(cli, args)
    assert f"Warning: {option} on the command line" in result.output
    assert variable in result.output
    assert arguments[-1] not in result.output and "AAHsecret" not in result.output


def test_secrets_from_the_environment_give_no_warning(tmp_path: Path) -> None:
    env = {"TELEGRAM_BOT_TOKEN": "bad", "TELEGRAM_WEBHOOK_SECRET": "from-the-environment"}
    result = CliRunner().invoke(cli, ["run"], env=env)
    assert result.exit_code == 1 and "Warning" not in result.output
