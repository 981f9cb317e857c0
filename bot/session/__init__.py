"""Per-chat behaviours shared by every front, over the per-chat state."""
