"""Latency of Conversation.answer() per intent, next to a floor measured in the same run.

The floor for each message is the least work any answer needs: one bare SQLite lookup on
the same store plus one render of the same template with the same context (captured
while the core answered it). What the core adds on top is understanding, choosing and
assembling the reply.

    python3 bench/core.py [--samples 2000] [--profile]

Messages come from tests/corpus/ when it exists, else from a built-in list per intent.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import json
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from benchlib import percentile, table, verdict

from bot.core.conversation import Conversation
from bot.data.store import load_store
from bot.domain.paths import data_dir

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
TARGET_BOROUGH_P99_MS = 1.0
TARGET_ANY_P99_MS = 5.0

BUILT_IN = {
    "figures": [
        "croydon",
        "How many domestic violence offences in Ealing?",
        "figures for kensington and chelsea",
        "hounslow stats",
        "what about Westminster",
        "hammersmith & fulham numbers please",
        "croyden",
        "RBKC",
        "camden",
        "the city",
    ],
    "compare": ["compare ealing and hounslow", "croydon vs westminster", "K&C versus H&F"],
    "ranking": ["which borough is highest", "lowest borough per 1000 residents", "all boroughs"],
    "sub_region": ["west london figures", "what about east london"],
    "trend": ["is it going up in croydon"],
    "chart": ["show me a chart"],
    "help": [
        "where can I get help",
        "I'm a man and my wife hits me",
        "support in camden",
        "forced marriage",
        "my friend is being abused",
    ],
    "service": ["refuge phone number", "galop", "karma nirvana"],
    "danger": ["he is going to kill me", "he's outside my door", "I'm in danger in croydon"],
    "greeting": ["hello", "hi there"],
    "thanks": ["thanks", "thank you so much"],
    "menu": ["menu"],
    "about": ["where do the figures come from", "about the data"],
    "privacy": ["is this private", "who can see this"],
    "unknown": ["asdf", "what's the weather", "🙂"],
}


def load_corpus() -> tuple[list[str], str]:
    """Every message text in tests/corpus/ (csv, json or jsonl), or the built-in list."""
    texts: list[str] = []
    for path in sorted(CORPUS.rglob("*")) if CORPUS.is_dir() else []:
        if path.suffix == ".jsonl":
            records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        elif path.suffix == ".json":
            loaded = json.loads(path.read_text())
            records = loaded if isinstance(loaded, list) else loaded.get("messages", [])
        elif path.suffix == ".csv":
            records = list(csv.DictReader(io.StringIO(path.read_text())))
        else:
            continue
        for record in records:
            text = record.get("text") or record.get("message") if isinstance(record, dict) else None
            if isinstance(text, str):
                texts.append(text)
    if texts:
        return texts, f"tests/corpus/ ({len(texts)} messages)"
    messages = [text for group in BUILT_IN.values() for text in group]
    return messages, f"built-in list ({len(messages)} messages; tests/corpus/ not found)"


def capture_renders(conversation: Conversation, text: str) -> tuple[str, dict]:
    """The template and context the core rendered for `text` (its last render)."""
    seen: list[tuple[str, dict]] = []
    render = conversation.renderer.render

    def spy(template: str, **context: object) -> str:
        seen.append((template, context))
        return render(template, **context)

    conversation.renderer.render = spy  # type: ignore[method-assign]
    conversation.figures.forget_texts()  # a borough's figures are otherwise not rendered again
    try:
        conversation.answer(text)
    finally:
        del conversation.renderer.render
    return seen[-1]


def floor_call(conversation: Conversation, template: str, context: dict) -> None:
    """One bare SQLite lookup and one template render: the least an answer can cost."""
    conversation.store.db.execute(
        "select count from offences where borough_code = ? limit 1", ["E09000008"]
    ).fetchone()
    conversation.renderer.render(template, **context)


def measure(samples: int) -> tuple[dict[str, list[float]], dict[str, list[float]], str]:
    with tempfile.TemporaryDirectory() as tmp:
        conversation = Conversation(load_store(data_dir(), Path(tmp) / "s.db"))
        messages, origin = load_corpus()
        # Warm up: every template compiled, every cache filled, as in a running bot.
        intents = {text: conversation.answer(text).intent for text in messages}
        renders = {text: capture_renders(conversation, text) for text in messages}
        for text in messages:  # capturing emptied the cache of rendered figures: fill it again
            conversation.answer(text)
        # As `helpline-bot run` does once started (bot/fronts/telegram/app.py): what is built
        # by now lasts, so the garbage collector's full rounds need not go through it.
        gc.collect()
        gc.freeze()
        rounds = max(1, samples // len(messages))
        core: dict[str, list[float]] = defaultdict(list)
        floor: dict[str, list[float]] = defaultdict(list)
        clock = time.perf_counter_ns
        for _ in range(rounds):
            for text in messages:
                start = clock()
                conversation.answer(text)
                middle = clock()
                floor_call(conversation, *renders[text])
                end = clock()
                core[intents[text]].append((middle - start) / 1e6)
                floor[intents[text]].append((end - middle) / 1e6)
        for text in [text for text in messages if intents[text] == "figures"]:
            conversation.figures.forget_texts()  # a borough's first question since the start
            start = clock()
            conversation.answer(text)
            core["figures, first ask"].append((clock() - start) / 1e6)
        conversation.store.close()
    return core, floor, f"{origin}, {rounds} rounds"


def measure_languages(samples: int) -> list[list[object]]:
    """The language detector's cost per message, and answers in the message's language."""
    labelled = [
        json.loads(line)
        for path in sorted((CORPUS / "languages").glob("*.jsonl"))
        for line in path.read_text().splitlines()
        if line.strip()
    ]
    english, _ = load_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        conversation = Conversation(load_store(data_dir(), Path(tmp) / "s.db"))
        chooser = conversation.languages
        others = [(m["text"], m["lang"]) for m in labelled]
        for text, code in others:  # warm up: every catalog compiled, every template
            conversation.answer(text, language=code)
        clock = time.perf_counter_ns
        timed: dict[str, list[float]] = defaultdict(list)
        rounds = max(1, samples // max(1, len(english) + len(others)))
        for _ in range(rounds):
            for name, texts in (
                ("detect, English corpus", english),
                ("detect, other languages", [t for t, _ in others]),
            ):
                for text in texts:
                    start = clock()
                    chooser.detect(text)
                    timed[name].append((clock() - start) / 1e6)
            for text, code in others:
                start = clock()
                conversation.answer(text, language=code)
                timed["answer() in the message's language"].append((clock() - start) / 1e6)
        conversation.store.close()
    return [
        [name, len(values), percentile(values, 50), percentile(values, 99)]
        for name, values in timed.items()
    ]


def profile(samples: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        conversation = Conversation(load_store(data_dir(), Path(tmp) / "s.db"))
        messages, _ = load_corpus()
        for text in messages:
            conversation.answer(text)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(max(1, samples // len(messages))):
            for text in messages:
                conversation.answer(text)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
        conversation.store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=3000, help="answers timed in all")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    args = parser.parse_args()

    core, floor, origin = measure(args.samples)
    rows = []
    every_core = [v for values in core.values() for v in values]
    every_floor = [v for values in floor.values() for v in values]
    for intent in sorted(core, key=lambda name: -percentile(core[name], 99)):
        p99 = percentile(core[intent], 99)
        target = TARGET_BOROUGH_P99_MS if intent == "figures" else TARGET_ANY_P99_MS
        floors = floor.get(intent, [])
        rows.append(
            [
                intent,
                len(core[intent]),
                percentile(core[intent], 50),
                p99,
                percentile(floors, 50) if floors else "",
                percentile(floors, 99) if floors else "",
                f"p99 < {target:g}",
                verdict(p99 < target),
            ]
        )
    p99_all = percentile(every_core, 99)
    rows.append(
        [
            "all",
            len(every_core),
            percentile(every_core, 50),
            p99_all,
            percentile(every_floor, 50),
            percentile(every_floor, 99),
            f"p99 < {TARGET_ANY_P99_MS:g}",
            verdict(p99_all < TARGET_ANY_P99_MS),
        ]
    )
    print(f"answer() latency in ms; messages: {origin}")
    print("figures = a borough question (target p99 < 1 ms); floor = SQLite lookup + render;")
    print("figures, first ask = the same with the cache of rendered figures emptied first\n")
    headers = ["intent", "n", "p50", "p99", "floor p50", "floor p99", "target", "result"]
    print(table(headers, rows))
    print("\nLanguages (ms per message): CLD2 and the word lists, then a whole answer")
    print(table(["what", "n", "p50", "p99"], measure_languages(args.samples)))
    if args.profile:
        print("\nProfile (cumulative):")
        profile(args.samples)


if __name__ == "__main__":
    main()
