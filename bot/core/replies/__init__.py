"""The core's replies by topic: each renders a template into a Reply with its buttons.

base.py holds what every reply is built with; figures.py, charts.py and help.py the
replies themselves. bot/core/conversation.py chooses which one answers.
"""
