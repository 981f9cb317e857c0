"""How well the bot understands people, measured on the labelled corpus in tests/corpus/.

    python3 bench/understanding.py [--misses] [--corpus tests/corpus/heldout.jsonl]

Prints accuracy per intent, need accuracy, place resolution, the confusion between
intents, danger recall (a danger message's reply must start with 999), danger-reply
recall (the danger reply itself: 999, Silent Solution, deaf access, "I'm a bot"), the
false danger rate (the danger reply to a message that is not danger), the need line a
danger reply carries, and answers that would name a wrong borough, each next to its
target. tests/core/test_corpus.py keeps the same floors.

Corpus format: JSON Lines, one message per line:
    {"text": ..., "intent": ..., "need": null | a need, "boroughs": [names, in order],
     "ask": [names, when the place spans boroughs], "outside": true (a place outside London),
     "by_rate": true | false (optional)}
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import percentile, table, verdict  # noqa: E402

from bot.core.conversation import Conversation  # noqa: E402
from bot.core.places import Places  # noqa: E402
from bot.core.signpost import DANGER_NEEDS, NEEDS  # noqa: E402
from bot.core.understand import Intent  # noqa: E402
from bot.data.store import load_store  # noqa: E402
from bot.domain.models import Reply  # noqa: E402
from bot.domain.paths import data_dir  # noqa: E402
from bot.fronts.plaintext import to_plain  # noqa: E402

INTENTS = (
    "danger", "figures", "trend", "chart", "compare", "ranking", "sub_region", "help", "service",
    "greeting", "menu", "thanks", "about", "privacy", "unknown", "outside_london", "who_am_i",
    "leave",
)  # fmt: skip
# Answers that state a borough's figures: naming a wrong borough here is the worst mistake.
FIGURE_KINDS = frozenset({"figures", "compare", "trend", "chart"})
TARGETS = {
    "intent": 0.95,
    "places": 0.98,
    "danger": 1.0,
    "danger_reply": 0.97,
    "false_danger": 0.05,
}


@dataclass(frozen=True)
class Case:
    text: str
    intent: str
    need: str | None
    boroughs: tuple[str, ...]
    ask: frozenset[str]
    outside: bool
    by_rate: bool | None
    where: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    intent: Intent
    places: Places
    reply: Reply

    @property
    def found(self) -> tuple[tuple[str, ...], frozenset[str], bool]:
        ask = frozenset(code for u in self.places.unsure for code in u.boroughs)
        return self.places.boroughs, ask, bool(self.places.outside)

    @property
    def expected(self) -> tuple[tuple[str, ...], frozenset[str], bool]:
        return self.case.boroughs, self.case.ask, self.case.outside

    @property
    def intent_ok(self) -> bool:
        return self.intent.kind == self.case.intent

    @property
    def places_ok(self) -> bool:
        return self.found == self.expected

    @property
    def first_line(self) -> str:
        lines = to_plain(self.reply.text).strip().splitlines()
        return lines[0] if lines else ""


@dataclass
class Report:
    outcomes: list[Outcome]
    read_us: list[float] = field(default_factory=list)

    def of(self, label: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.intent == label]

    @property
    def intent_accuracy(self) -> float:
        return _share(o.intent_ok for o in self.outcomes)

    @property
    def place_accuracy(self) -> float:
        return _share(o.places_ok for o in self.outcomes)

    @property
    def named_places(self) -> list[Outcome]:
        return [o for o in self.outcomes if any(o.expected[:2]) or o.case.outside]

    @property
    def false_places(self) -> list[Outcome]:
        """A place found in a message that names none ("help", "sorry", "hovering")."""
        return [o for o in self.outcomes if not o.places_ok and o not in self.named_places]

    @property
    def danger_missed(self) -> list[Outcome]:
        """Danger messages whose reply does not open with 999."""
        return [o for o in self.of("danger") if "999" not in o.first_line]

    @property
    def danger_reply_missed(self) -> list[Outcome]:
        """Danger messages answered with something other than the danger reply itself."""
        return [o for o in self.of("danger") if o.reply.intent != "danger"]

    @property
    def danger_reply_recall(self) -> float:
        danger = self.of("danger")
        return 1 - len(self.danger_reply_missed) / len(danger) if danger else 1.0

    @property
    def false_danger(self) -> list[Outcome]:
        """Messages that are not danger, given the danger reply."""
        return [
            o for o in self.outcomes if o.case.intent != "danger" and o.reply.intent == "danger"
        ]

    @property
    def false_danger_rate(self) -> float:
        others = len(self.outcomes) - len(self.of("danger"))
        return len(self.false_danger) / others if others else 0.0

    @property
    def danger_need_measured(self) -> list[Outcome]:
        """Danger messages labelled with a need the danger reply has a line for, or none: a
        child, suicide, a man, stalking (signpost.DANGER_NEEDS). Another need (leaving, a
        friend...) has no line on the danger reply, so it is not measured here."""
        lines = {str(n) for n in DANGER_NEEDS}
        return [o for o in self.of("danger") if o.case.need is None or o.case.need in lines]

    @property
    def danger_need_wrong(self) -> list[Outcome]:
        """Danger messages whose reply carries another need's line than labelled, or none."""
        return [o for o in self.danger_need_measured if o.intent.need != o.case.need]

    @property
    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.intent != "danger" and o.intent.kind == "danger"]

    @property
    def wrong_borough_figures(self) -> list[Outcome]:
        """Figures answers about a borough the message did not name (or a silent guess)."""
        return [
            o
            for o in self.outcomes
            if o.intent.kind in FIGURE_KINDS
            and not o.intent.choices
            and any(code not in o.case.boroughs for code in o.intent.boroughs)
        ]

    @property
    def wrong_borough_help(self) -> list[Outcome]:
        """Help or danger answers listing local services for a borough not named."""
        return [
            o
            for o in self.outcomes
            if o.intent.kind in {"help", "danger"}
            and any(code not in o.case.boroughs for code in o.intent.boroughs)
        ]

    @property
    def need_outcomes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.intent in {"help", "outside_london"}]

    @property
    def need_accuracy(self) -> float:
        return _share(o.intent.need == o.case.need for o in self.need_outcomes)

    @property
    def rate_outcomes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.by_rate is not None]

    def confusion(self) -> Counter[tuple[str, str]]:
        return Counter((o.case.intent, o.intent.kind) for o in self.outcomes if not o.intent_ok)


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(values) / len(values) if values else 1.0


def load_corpus(codes: dict[str, str], where: Path = CORPUS) -> list[Case]:
    """Every labelled message; a bad label raises ValueError naming its file and line."""
    cases = []
    for path in sorted(where.glob("*.jsonl")) if where.is_dir() else [where]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}, line {number}"
            try:
                row = json.loads(line)
                cases.append(_case(row, codes, where))
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{where}: {error}") from None
    return cases


def _case(row: dict, codes: dict[str, str], where: str) -> Case:
    if row["intent"] not in INTENTS:
        raise ValueError(f"unknown intent {row['intent']!r}")
    if row.get("need") is not None and row["need"] not in NEEDS:
        raise ValueError(f"unknown need {row['need']!r}")
    unknown = [n for n in (*row["boroughs"], *row.get("ask", ())) if n not in codes]
    if unknown:
        raise ValueError(f"unknown borough name(s) {unknown}")
    return Case(
        text=row["text"],
        intent=row["intent"],
        need=row.get("need"),
        boroughs=tuple(codes[name] for name in row["boroughs"]),
        ask=frozenset(codes[name] for name in row.get("ask", ())),
        outside=bool(row.get("outside", False)),
        by_rate=row.get("by_rate"),
        where=where,
    )


def evaluate(conversation: Conversation, cases: list[Case]) -> Report:
    understander = conversation.understander
    report = Report([])
    for case in cases:
        start = time.perf_counter_ns()
        intent = understander.read(case.text)
        report.read_us.append((time.perf_counter_ns() - start) / 1000)
        places = understander.gazetteer.find(case.text)
        report.outcomes.append(Outcome(case, intent, places, conversation.answer(case.text)))
    return report


def _pct(value: float) -> str:
    return f"{value:.1%}"


def print_report(report: Report, codes: dict[str, str], misses: bool, origin: Path) -> None:
    names = {code: name for name, code in codes.items()}
    rows = []
    for label in INTENTS:
        group = report.of(label)
        if group:
            rows.append([label, len(group), sum(o.intent_ok for o in group),
                         _pct(_share(o.intent_ok for o in group))])  # fmt: skip
    rows.append(["all", len(report.outcomes), sum(o.intent_ok for o in report.outcomes),
                 _pct(report.intent_accuracy)])  # fmt: skip
    shown = origin.relative_to(ROOT) if origin.is_relative_to(ROOT) else origin
    print(f"Understanding, measured on {shown} ({len(report.outcomes)} messages)\n")
    print(table(["intent (label)", "n", "right", "accuracy"], rows))

    danger = report.of("danger")
    named = report.named_places
    rates = report.rate_outcomes
    checks = [
        ["overall intent accuracy", _pct(report.intent_accuracy), ">= 95%",
         verdict(report.intent_accuracy >= TARGETS["intent"])],
        ["place resolution (every message)", _pct(report.place_accuracy), ">= 98%",
         verdict(report.place_accuracy >= TARGETS["places"])],
        ["  messages naming a place", f"{sum(o.places_ok for o in named)}/{len(named)}", "", ""],
        ["  false place matches", len(report.false_places), "0",
         verdict(not report.false_places)],
        ["danger recall (reply opens with 999)",
         f"{len(danger) - len(report.danger_missed)}/{len(danger)}", "100%",
         verdict(not report.danger_missed)],
        ["danger reply itself (not only 999)",
         f"{len(danger) - len(report.danger_reply_missed)}/{len(danger)}"
         f" ({_pct(report.danger_reply_recall)})", ">= 97%",
         verdict(report.danger_reply_recall >= TARGETS["danger_reply"])],
        ["false danger rate (danger reply, not danger)",
         f"{len(report.false_danger)}/{len(report.outcomes) - len(danger)}"
         f" ({_pct(report.false_danger_rate)})", "<= 5%",
         verdict(report.false_danger_rate <= TARGETS["false_danger"])],
        ["  danger read where none was labelled", len(report.false_alarms), "", ""],
        ["need line on danger replies (child, suicide, man, stalking)",
         f"{len(report.danger_need_measured) - len(report.danger_need_wrong)}"
         f"/{len(report.danger_need_measured)}", "", ""],
        ["wrong-borough figures answers", len(report.wrong_borough_figures), "0",
         verdict(not report.wrong_borough_figures)],
        ["wrong-borough local help", len(report.wrong_borough_help), "0",
         verdict(not report.wrong_borough_help)],
        ["need (help messages)", _pct(report.need_accuracy), "", ""],
        ["per-person rate read", f"{sum(o.intent.by_rate == o.case.by_rate for o in rates)}"
         f"/{len(rates)}", "", ""],
        ["read() time p50 / p99 (us)",
         f"{percentile(report.read_us, 50):.0f} / {percentile(report.read_us, 99):.0f}", "", ""],
    ]  # fmt: skip
    print()
    print(table(["measure", "measured", "target", "result"], checks))

    confusion = report.confusion()
    print("\nConfusion (labelled -> understood as):")
    if not confusion:
        print("  none")
    for (label, got), n in confusion.most_common():
        print(f"  {label} -> {got}: {n}")

    if misses:
        print("\nMisses:")
        for o in report.outcomes:
            problems = []
            if not o.intent_ok:
                problems.append(f"intent {o.intent.kind} (want {o.case.intent})")
            if not o.places_ok:
                got, want = o.found, o.expected
                problems.append(f"places {_names(got, names)} (want {_names(want, names)})")
            if o in report.need_outcomes and o.intent.need != o.case.need:
                problems.append(f"need {o.intent.need} (want {o.case.need})")
            if o in report.danger_need_wrong:
                problems.append(f"danger need {o.intent.need} (want {o.case.need})")
            if o.intent_ok and o.case.intent == "danger" and o.reply.intent != "danger":
                problems.append(f"reply {o.reply.intent} (want the danger reply)")
            if problems:
                print(f"  {o.case.where}: {o.case.text[:70]!r}: " + "; ".join(problems))


def _names(found: tuple, names: dict[str, str]) -> str:
    boroughs, ask, outside = found
    text = ", ".join(names[c] for c in boroughs) or "-"
    if ask:
        text += " ask[" + ", ".join(sorted(names[c] for c in ask)) + "]"
    return text + (" +outside" if outside else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a .jsonl file or a folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = load_store(data_dir(), Path(tmp) / "s.db")
        codes = {b.name: b.code for b in store.boroughs.values()}
        report = evaluate(Conversation(store), load_corpus(codes, args.corpus))
        print_report(report, codes, args.misses, args.corpus)
        store.close()


if __name__ == "__main__":
    main()
