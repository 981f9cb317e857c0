"""The running bot's threads share one malloc arena (glibc), for its peak memory."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.fronts.telegram.arenas import limit_arenas

# In a fresh interpreter: four threads allocate at once, then glibc's thread heaps (64 MB
# regions aligned to 64 MB, reserved one per arena beyond the main one) are counted.
_THREADS = """
import sys, threading
if sys.argv[1] == "limited":
    from bot.fronts.telegram.arenas import limit_arenas
    assert limit_arenas()
ready, done = threading.Barrier(5), threading.Event()
def work():
    held = [bytearray(1000) for _ in range(2000)]
    ready.wait()
    done.wait()
threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
ready.wait()
heaps = 0
for line in open("/proc/self/maps"):
    fields = line.split()
    start, end = (int(x, 16) for x in fields[0].split("-"))
    if len(fields) == 5 and fields[1] == "rw-p" and start % (64 << 20) == 0:
        heaps += 1
done.set()
print(heaps)
"""


def _heaps(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k not in ("MALLOC_ARENA_MAX", "GLIBC_TUNABLES")}
    out = subprocess.run(
        [sys.executable, "-c", _THREADS, mode], env=env, capture_output=True, text=True, check=True
    )
    return int(out.stdout)


def _glibc() -> bool:
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION")) and sys.platform == "linux"
    except (ValueError, OSError):
        return False


@pytest.mark.skipif(not _glibc(), reason="glibc's malloc arenas: Linux with glibc only")
def test_threads_allocate_in_one_arena_once_limited() -> None:
    assert _heaps("free") >= 2  # glibc's default: an arena of their own
    assert _heaps("limited") == 0  # all on the main arena


def test_an_arena_limit_set_by_the_operator_is_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_arenas() is False
