"""One malloc arena for the running bot (glibc), to keep its peak memory down.

glibc gives a thread that allocates an arena of its own, up to eight per core, and memory
freed in one arena serves only the threads on it. The bot's work runs on the event loop's
thread; its other threads (the SQLite writers of the outbox and the chat state, asyncio's
executor) do short jobs, and their arenas held what they had once needed. With one arena
for all, bench/process.py's peak RSS went from 79.1 to 77.7 MB (every corpus message at
once). The threads' allocations, mostly SQLite's outside the GIL, now share one lock.

The setting is glibc's documented mallopt(M_ARENA_MAX) (man 3 mallopt), the same as
MALLOC_ARENA_MAX=1 in the environment; one set there (or through GLIBC_TUNABLES) is left
as it is. Elsewhere (musl, macOS) nothing is done.
"""

from __future__ import annotations

import os

M_ARENA_MAX = -8  # glibc's malloc.h
ARENAS = 1


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Call before the bot starts its threads; whether glibc took the setting."""
    if "MALLOC_ARENA_MAX" in os.environ or "arena_max" in os.environ.get("GLIBC_TUNABLES", ""):
        return False  # the operator's own choice
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
    except (ValueError, OSError):  # not glibc
        return False
    import ctypes  # only here: about 0.2 MB

    libc = ctypes.CDLL(None)  # the C library this process already runs on
    return bool(libc.mallopt(M_ARENA_MAX, arenas))
