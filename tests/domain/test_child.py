"""domain.child: one function in a fresh process, its result, exception or timeout brought back."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bot.data import dataset
from bot.data import store as store_module
from bot.data.store import load_store
from bot.domain.child import run_in_child
from bot.domain.paths import data_dir


def _pid() -> int:
    return os.getpid()


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _die() -> None:
    os._exit(3)


def test_the_function_runs_in_another_process_and_its_result_comes_back() -> None:
    assert run_in_child(_pid, timeout=60) != os.getpid()
    assert run_in_child(divmod, 17, 5, timeout=60) == (3, 2)


def test_an_exception_in_the_child_is_raised_here() -> None:
    with pytest.raises(ZeroDivisionError):
        run_in_child(divmod, 1, 0, timeout=60)


def test_a_child_past_its_time_is_stopped() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        run_in_child(_sleep, 30, timeout=2)
    assert time.monotonic() - started < 15  # not the 30 s the child wanted


def test_a_child_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(BrokenProcessPool):
        run_in_child(_die, timeout=60)


def test_a_store_built_in_a_child_keeps_the_problems_of_bad_data(tmp_path: Path) -> None:
    data = Path(shutil.copytree(data_dir(), tmp_path / "data"))
    store_path = tmp_path / "store.db"
    store = load_store(data, store_path, build_in_child=True)
    assert "E09000008" in store.boroughs
    store.close()
    good = store_path.read_bytes()
    with (data / "boroughs.csv").open("a", encoding="utf-8") as handle:
        handle.write("not,a,borough\n")
    with pytest.raises(dataset.DataError) as raised:
        dataset.build(data, tmp_path / "other.db")
    problems = raised.value.problems
    # Through the child: the last good store is kept and answers, byte for byte.
    kept = load_store(data, store_path, build_in_child=True)
    assert store_path.read_bytes() == good and "E09000008" in kept.boroughs
    kept.close()
    # And a DataError pickled back from a child still lists each file and line.
    with pytest.raises(dataset.DataError) as through_child:
        run_in_child(dataset.build, data, tmp_path / "third.db", timeout=120)
    assert [str(p) for p in through_child.value.problems] == [str(p) for p in problems]
    assert "data/boroughs.csv, line" in str(through_child.value)


def test_the_running_bot_never_loads_matplotlib_numpy_or_sqlite_utils(tmp_path: Path) -> None:
    # The path `helpline-bot run` takes: a first start that builds the store, then a chart.
    script = f"""
import sys
from pathlib import Path
from bot.core.conversation import Conversation
from bot.domain.paths import data_dir
from bot.data.store import load_store

if __name__ == "__main__":
    store = load_store(data_dir(), Path({str(tmp_path / "store.db")!r}), build_in_child=True)
    reply = Conversation(store).answer("show me a chart")
    assert reply.image is not None and reply.image.is_file(), reply
    heavy = sorted({{"matplotlib", "numpy", "sqlite_utils"}} & set(sys.modules))
    print("loaded:", heavy)
"""
    (tmp_path / "run_path.py").write_text(script)
    done = subprocess.run(
        [sys.executable, str(tmp_path / "run_path.py")],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "loaded: []" in done.stdout


def _interrupted_then_done() -> str:
    os.kill(os.getpid(), signal.SIGINT)  # as Ctrl-C in a terminal reaches the whole group
    time.sleep(0.2)
    return "done"


def test_ctrl_c_in_the_terminal_does_not_come_back_from_the_child() -> None:
    assert run_in_child(_interrupted_then_done, timeout=60) == "done"


def test_a_rebuild_that_times_out_keeps_the_last_good_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    data = Path(shutil.copytree(data_dir(), tmp_path / "data"))
    store_path = tmp_path / "store.db"
    load_store(data, store_path).close()
    good = store_path.read_bytes()
    (data / "sources.csv").write_text((data / "sources.csv").read_text() + "\n")  # data changed

    def too_slow(*args: object, timeout: float) -> None:
        raise TimeoutError

    monkeypatch.setattr(store_module, "run_in_child", too_slow)
    kept = load_store(data, store_path, build_in_child=True)
    assert store_path.read_bytes() == good and "E09000008" in kept.boroughs
    kept.close()
    assert "could not be rebuilt (TimeoutError)" in caplog.text
    with pytest.raises(TimeoutError):  # with no store to fall back on, it is an error
        load_store(data, tmp_path / "none.db", build_in_child=True)


def test_a_half_built_store_left_by_a_dead_build_is_removed_but_not_a_running_one(
    tmp_path: Path,
) -> None:
    # Named and begun as a build's temporary file is (tempfile's 8 characters, SQLite's header).
    abandoned = tmp_path / ".building-ab12cd_4.db"
    running = tmp_path / ".building-ef56gh_8.db"
    abandoned.write_bytes(b"SQLite format 3\x00half")
    running.write_bytes(b"SQLite format 3\x00half")
    old = time.time() - dataset.ABANDONED_AFTER_S - 60
    os.utime(abandoned, (old, old))
    dataset.build(data_dir(), tmp_path / "store.db")
    assert not abandoned.exists() and running.exists()
