"""Helpline bot: domestic abuse help and borough figures for London."""

__version__ = "0.1.0"
