"""Turn a message into an Intent. Danger is checked before anything else.

The message is read twice: once by the gazetteer for places (bot/core/places.py), and once
as words, after contractions, text-speak and small slips are straightened out (words.py),
for what the person needs. Rules are plain regular expressions filed by first letter
(rules.py), measured on the labelled corpus in tests/corpus/ (bench/understanding.py):
danger.py (with danger_said.py and danger_implied.py), needs.py and questions.py.
"""

from bot.core.understand.intent import Intent, Order
from bot.core.understand.understander import Understander
from bot.core.understand.words import words_of

__all__ = ["Intent", "Order", "Understander", "words_of"]
