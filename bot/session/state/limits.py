"""How long and how much the chat state keeps, the same for every store.

The bound, whatever writes: at most MAX_CHATS chat records holding MAX_IDS message ids in
all (MAX_IDS_PER_CHAT in one chat), MAX_DISCREET discreet flags and MAX_UPDATES update
ids. Measured (2026-11-30): 100,000 chats of 5 ids with a context, 100,000 flags and
100,000 update ids make a 40 MB SQLite file; in Redis a chat of 5 ids with its flag and
an update id takes about 1.3 KB, some 130 MB for 100,000. The memory and SQLite stores
check the caps at least every SWEEP_WRITES writes or SWEEP_EVERY seconds, so they may
pass them by that many writes in between; the Redis store checks them on every write. A
chat evicted over the caps loses its ids: its next quick exit says that something may
remain.
"""

from __future__ import annotations

# Telegram lets a bot delete messages in a private chat while they are under 48 hours old.
DELETE_WINDOW = 48 * 3600.0
# A chat sending more than this in 48 hours keeps its newest ids; its exit then says
# something may remain. Far above a conversation: Telegram paces a chat's replies.
MAX_IDS_PER_CHAT = 2_000
MAX_IDS = 500_000  # message ids held in all chats together
MAX_CHATS = 100_000  # chats written to in the last 48 hours
MAX_DISCREET = 100_000  # chats with discreet mode on (the longest unchanged go first)
# Update ids remembered to answer a redelivered update once.
MAX_UPDATES = 100_000
SWEEP_EVERY = 600.0  # seconds between sweeps of expired records
SWEEP_WRITES = 1_000  # writes between sweeps
