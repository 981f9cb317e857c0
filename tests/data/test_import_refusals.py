"""The importer handed wrong or hostile files: one clear line, no content, nothing written."""

from __future__ import annotations

import csv
import gzip
import hashlib
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from met_layout import met_rows, write_met

from bot.data import dataset, mps_import, safe_input
from bot.fronts.cli import cli

CONTROL = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _import(path: Path, data: Path, store: Path) -> tuple[int, str]:
    args = ["data", "import-mps", str(path), "--data", str(data), "--store", str(store)]
    result = CliRunner().invoke(cli, args)
    # A refusal exits with status 1; an exception escaping (a traceback) fails the test.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    return result.exit_code, result.output


def _refused(path: Path, data: Path, tmp_path: Path) -> str:
    """Import `path` through the CLI; it must be refused with nothing written. Its output."""
    before = snapshot(data)
    store = tmp_path / "store.db"
    code, output = _import(path, data, store)
    assert code == 1, output
    assert "Traceback" not in output and not CONTROL & set(output)
    assert snapshot(data) == before and not store.exists()
    first = output.splitlines()[0]
    assert first.startswith(f"{safe_input.cell(path.name)}, line 0: ")  # names the file
    return first


def test_a_zip_named_csv_is_refused(article_copy: Path, tmp_path: Path) -> None:
    inner = write_met(tmp_path / "inner.csv", met_rows("2023-04", "2023-05"))
    path = tmp_path / "met.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(inner, "met.csv")
    assert "is a zip archive" in _refused(path, article_copy, tmp_path)


def test_a_gzip_named_csv_is_refused(article_copy: Path, tmp_path: Path) -> None:
    inner = write_met(tmp_path / "inner.csv", met_rows("2023-04", "2023-05"))
    path = tmp_path / "met.csv"
    path.write_bytes(gzip.compress(inner.read_bytes()))
    assert "gzip-compressed" in _refused(path, article_copy, tmp_path)


def test_utf16_is_refused_by_name_without_nul_bytes(article_copy: Path, tmp_path: Path) -> None:
    path = write_met(tmp_path / "met.csv", met_rows("2023-04", "2023-05"), encoding="utf-16")
    line = _refused(path, article_copy, tmp_path)
    assert "UTF-16" in line and "CSV UTF-8" in line


def test_binary_data_is_refused(article_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "met.csv"
    path.write_bytes(bytes(range(256)) * 40)
    assert "binary data" in _refused(path, article_copy, tmp_path)


def test_bytes_no_encoding_reads_are_refused(article_copy: Path, tmp_path: Path) -> None:
    path = write_met(tmp_path / "met.csv", met_rows("2023-04", "2023-05"))
    path.write_bytes(path.read_bytes() + b"\x81\x8d\x8f\x90\x9d,,\n")  # not UTF-8 nor cp1252
    assert "neither UTF-8 nor Windows-1252" in _refused(path, article_copy, tmp_path)


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (",".join(f"c{n}" for n in range(1000)), "its header has 1,000 columns"),
        ("x," * 200_000, "its first line is longer than 64 KB"),
    ],
)
def test_an_absurdly_wide_header_is_refused(
    article_copy: Path, tmp_path: Path, header: str, said: str
) -> None:
    path = tmp_path / "met.csv"
    path.write_text(header + "\n1,2\n")
    assert said in _refused(path, article_copy, tmp_path)


def test_a_very_long_line_is_refused_without_reading_it_all(
    article_copy: Path, tmp_path: Path
) -> None:
    path = write_met(tmp_path / "met.csv", met_rows("2023-04", "2023-05"))
    with path.open("a") as handle:
        handle.write("a," * 2_000_000 + "\n")
    assert "longer than 64 K characters" in _refused(path, article_copy, tmp_path)


def test_a_symbolic_link_is_refused_and_its_target_never_echoed(
    article_copy: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "private.txt"
    secret.write_text("root:x:0:0:the first line:/root\nmore\n")
    link = tmp_path / "met.csv"
    link.symlink_to(secret)
    line = _refused(link, article_copy, tmp_path)
    assert "symbolic link" in line and "root" not in line


def test_a_named_pipe_and_a_device_are_refused_at_once(article_copy: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "met.csv"
    os.mkfifo(pipe)
    candidates = [pipe, *[p for p in (Path("/dev/zero"),) if p.exists()]]
    for path in candidates:
        command = [sys.executable, "-m", "bot", "data", "import-mps", str(path),
                   "--data", str(article_copy), "--store", str(tmp_path / "s.db")]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"importing {path.name} hung")
        assert done.returncode == 1, done.stderr
        assert "named pipe" in done.stderr or "a device" in done.stderr
        assert "Traceback" not in done.stderr


def test_a_formula_file_name_is_neither_written_nor_printed_as_a_formula(
    article_copy: Path, tmp_path: Path
) -> None:
    path = write_met(tmp_path / "=cmd|' -C calc'!A0.csv", met_rows("2023-04", "2023-06"))
    code, output = _import(path, article_copy, tmp_path / "store.db")
    assert code == 0, output
    with (article_copy / "mps_imports.csv").open(newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert "'=cmd|' -C calc'!A0.csv" in cells
    assert "Imported '=cmd" in output


def test_escape_codes_in_the_file_are_never_printed(article_copy: Path, tmp_path: Path) -> None:
    rows = met_rows("2023-04", "2023-05")
    for row, unit in zip(rows[-2:], ("Other\x1b", "\x9bOther\x07 / NK"), strict=True):
        row["Borough_SNT"] = unit
    path = write_met(tmp_path / "met\x1b[2J.csv", rows)
    code, output = _import(path, article_copy, tmp_path / "store.db")
    assert code == 0, output
    assert "Not boroughs:" in output and not CONTROL & set(output)
    # A refusal that quotes the header is as clean.
    bad = write_met(tmp_path / "bad.csv", rows, header=["\x1b]0;pwned\x07Month_Year", "Count"])
    code, output = _import(bad, article_copy, tmp_path / "store2.db")
    assert code == 1 and "missing column" in output and not CONTROL & set(output)


def test_two_imports_at_once_keep_both_provenance_rows_and_the_store_in_step(
    article_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write_met(tmp_path / "first.csv", met_rows("2023-04", "2023-09", refresh="2023-10-15"))
    second = write_met(
        tmp_path / "second.csv",
        met_rows("2023-07", "2024-03", refresh="2024-04-15", count=lambda c, m: 40),
    )
    store = tmp_path / "store.db"
    planning = mps_import.plan_import

    def slow_plan(*args: object, **kwargs: object) -> mps_import.ImportPlan:
        plan = planning(*args, **kwargs)  # type: ignore[arg-type]
        time.sleep(0.5)  # both would plan from the same data/ without the lock
        return plan

    monkeypatch.setattr(mps_import, "plan_import", slow_plan)
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        try:
            mps_import.import_file(path, article_copy, store)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join(30)
    assert not errors
    with (article_copy / "mps_imports.csv").open(newline="") as handle:
        names = sorted(row["file_name"] for row in csv.DictReader(handle))
    assert names == ["first.csv", "second.csv"]
    assert dataset.stored_fingerprint(store) == dataset.data_fingerprint(article_copy)
    rebuilt = tmp_path / "rebuilt.db"
    dataset.build(article_copy, rebuilt)
    assert _offences(store) == _offences(rebuilt)


def _offences(store: Path) -> list[dict]:
    db = sqlite_utils.Database(store)
    try:
        return sorted(db["offences"].rows, key=lambda r: (r["borough_code"], r["period"]))
    finally:
        db.close()


def test_printable_and_cell() -> None:
    assert safe_input.printable("a\x1b[31mb\x07c\u202ed\ne") == "a?[31mb?c?d\ne"
    for formula in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\uff1d1"):
        assert safe_input.cell(formula).startswith("'")
    assert safe_input.cell("MPS data.csv") == "MPS data.csv"


def test_a_missing_data_folder_is_a_clear_refusal(tmp_path: Path) -> None:
    path = write_met(tmp_path / "met.csv", met_rows("2023-04", "2023-05"))
    code, output = _import(path, tmp_path / "no-such-folder", tmp_path / "store.db")
    assert code == 1 and "Traceback" not in output and "Nothing was changed" in output


def test_a_second_import_says_it_waits_then_goes_on(tmp_path: Path) -> None:
    said: list[str] = []
    done = threading.Event()

    def second() -> None:
        with safe_input.import_lock(tmp_path, lambda: said.append("waiting")):
            done.set()

    with safe_input.import_lock(tmp_path):
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.3)
        assert said == ["waiting"] and not done.is_set()  # held back while the first runs
    thread.join(5)
    assert done.is_set()
