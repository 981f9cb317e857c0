"""Bad configuration: one clear line naming the problem, a non-zero exit, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def helpline_bot(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the real command in a fresh process, with nothing from this machine's setup."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "HELPLINE_"))}
    clean |= {"XDG_CACHE_HOME": str(tmp_path / "cache"), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=clean, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def assert_one_clear_line(done: subprocess.CompletedProcess[str], *mentions: str) -> str:
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr + done.stdout
    # click adds "Usage:" and "Try ... --help" around a bad option; the problem is one line.
    lines = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and not line.startswith(("Usage:", "Try "))
    ]
    assert len(lines) == 1, done.stderr
    for mention in mentions:
        assert mention in lines[0], lines[0]
    return lines[0]


def test_missing_data_folder(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    done = helpline_bot("ask", "croydon", "--data", str(missing), tmp_path=tmp_path)
    assert_one_clear_line(done, str(missing))
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.db"))


def test_data_folder_from_the_environment_that_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "gone"
    done = helpline_bot("ask", "croydon", tmp_path=tmp_path, HELPLINE_DATA_DIR=str(missing))
    assert_one_clear_line(done, str(missing))


def test_data_path_that_is_a_file(tmp_path: Path, repo_data: Path) -> None:
    a_file = repo_data / "boroughs.csv"
    done = helpline_bot("ask", "croydon", "--data", str(a_file), tmp_path=tmp_path)
    assert_one_clear_line(done, "boroughs.csv")


@pytest.mark.skipif(AS_ROOT, reason="root reads any folder whatever its mode")
def test_unreadable_data_folder(tmp_path: Path, data_copy: Path) -> None:
    data_copy.chmod(0)
    try:
        done = helpline_bot("ask", "croydon", "--data", str(data_copy), tmp_path=tmp_path)
    finally:
        data_copy.chmod(0o755)
    assert_one_clear_line(done, str(data_copy))


def test_data_file_that_cannot_be_read(tmp_path: Path, data_copy: Path) -> None:
    # A folder where a CSV should be: unreadable for root as for anyone.
    (data_copy / "offences.csv").unlink()
    (data_copy / "offences.csv").mkdir()
    done = helpline_bot(
        "ask", "croydon", "--data", str(data_copy), "--store", str(tmp_path / "s.db"),
        tmp_path=tmp_path,
    )  # fmt: skip
    assert_one_clear_line(done, "offences.csv")
    assert not (tmp_path / "s.db").exists()


def test_store_path_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    store = tmp_path / "a-file" / "s.db"
    done = helpline_bot("ask", "croydon", "--store", str(store), tmp_path=tmp_path)
    assert_one_clear_line(done, "a-file")


def test_store_path_that_is_a_folder(tmp_path: Path) -> None:
    done = helpline_bot("ask", "croydon", "--store", str(tmp_path), tmp_path=tmp_path)
    assert_one_clear_line(done, str(tmp_path))


@pytest.mark.skipif(AS_ROOT, reason="root writes into any folder whatever its mode")
def test_store_in_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        done = helpline_bot("ask", "croydon", "--store", str(folder / "s.db"), tmp_path=tmp_path)
    finally:
        folder.chmod(0o755)
    assert_one_clear_line(done, "read-only")


def test_a_good_configuration_still_answers(tmp_path: Path) -> None:
    """The same command with good paths works: the failures above are the configuration's."""
    data = Path(shutil.copytree(Path(__file__).parents[2] / "data", tmp_path / "data"))
    done = helpline_bot(
        "ask", "croydon", "--data", str(data), "--store", str(tmp_path / "s.db"),
        tmp_path=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Croydon" in done.stdout


_WELL_FORMED = "123456789:AAFakeTokenForTests_abcdefghij12345"


@pytest.mark.parametrize("token", [None, "", "   "])
def test_run_without_a_token(tmp_path: Path, token: str | None) -> None:
    env = {} if token is None else {"TELEGRAM_BOT_TOKEN": token}
    done = helpline_bot("run", tmp_path=tmp_path, **env)
    assert_one_clear_line(done, "TELEGRAM_BOT_TOKEN")


def test_run_with_a_token_that_is_not_one(tmp_path: Path) -> None:
    secret = "not-a-token-at-all-1234567890"
    done = helpline_bot("run", tmp_path=tmp_path, TELEGRAM_BOT_TOKEN=secret)
    line = assert_one_clear_line(done, "token")
    assert secret not in line  # even a wrong token is not repeated back


def test_run_with_a_missing_data_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    done = helpline_bot(
        "run", "--data", str(missing), tmp_path=tmp_path, TELEGRAM_BOT_TOKEN=_WELL_FORMED
    )
    assert_one_clear_line(done, str(missing))


def test_run_with_a_store_that_cannot_be_written(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    store = tmp_path / "a-file" / "s.db"
    done = helpline_bot(
        "run", "--store", str(store), tmp_path=tmp_path, TELEGRAM_BOT_TOKEN=_WELL_FORMED
    )
    assert_one_clear_line(done, "a-file")
    assert _WELL_FORMED.partition(":")[2] not in done.stderr + done.stdout
