"""The Telegram front: python-telegram-bot application, sending, webhook."""
