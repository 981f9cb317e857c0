"""Plain data and small helpers every layer uses (no Telegram, no HTTP)."""
