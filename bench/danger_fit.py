"""Fit the danger cue model (bot/core/understand/danger_weights.json) and measure it honestly.

    python3 bench/danger_fit.py              # fit on the whole corpus, write the weights
    python3 bench/danger_fit.py --check      # leave one batch out, print, write nothing

Each message in tests/corpus/ is read for cue families (bot/core/understand/danger_cues.py);
each family and each pair of families found together is a feature of a logistic regression
(scikit-learn, needed here only: `pip install scikit-learn`; the bot reads the weights as a
plain table). Danger messages are weighed up to balance the classes, so a miss costs as much
as a false alarm in total.

--check leaves each later batch out in turn (fourth ... and any named with --batch): fits on
everything else, then measures on the batch left out, the cue model alone and with the
phrase rules (danger_said.py, danger_implied.py). The phrase rules were written after reading
those batches, so only the cue model alone is a measure of wordings never seen; the cue
families' word lists were also written after reading them, so even that flatters a little.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
WEIGHTS = ROOT / "bot" / "core" / "understand" / "danger_weights.json"
sys.path.insert(0, str(ROOT))

from bot.core.understand import danger, danger_cues  # noqa: E402
from bot.core.understand.words import words_of  # noqa: E402

BATCHES = (
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "indirect",
    "voices",
    "tenth",
    "lives",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
)
EARLIER = ("messages", "review", "heldout", "fresh", "third")
C = 1.0  # the regression's inverse regularisation strength, scikit-learn's default
# Danger when the log-odds reach this. Below even odds on purpose: leaving each of the 13
# files out in turn (with the phrase rules, as the bot reads), -0.5 found 951/962 (98.9%) of
# danger for 39/1,111 (3.5%) false danger, -0.25 948 for 34, -1.0 955 for 53; a missed danger
# reply costs more than a danger reply to someone who is not in danger now.
THRESHOLD = -0.5


def load(where: Path = CORPUS) -> list[tuple[str, str, bool]]:
    """(batch, plain words, is danger) for every labelled message, read as danger.py reads
    them: without the words that say there is none ("I'm not in danger")."""
    rows = []
    for path in sorted(where.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                calm = danger.calmed(words_of(row["text"]))
                rows.append((path.stem, calm, row["intent"] == "danger"))
    return rows


def fit(rows: list[tuple[str, str, bool]]) -> tuple[float, dict[str, float]]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    found = [dict.fromkeys(_features(said), 1) for _, said, _ in rows]
    vectors = DictVectorizer()
    x = vectors.fit_transform(found)
    y = [is_danger for _, _, is_danger in rows]
    model = LogisticRegression(C=C, max_iter=5000)
    model.fit(x, y)
    names = vectors.get_feature_names_out()
    weights = {
        str(name): round(float(w), 3)
        for name, w in zip(names, model.coef_[0], strict=True)
        if abs(w) >= 0.005
    }
    return round(float(model.intercept_[0]), 3), weights


def _features(said: str) -> set[str]:
    return danger_cues.features(danger_cues.cues(said), said)


def _score(bias: float, weights: dict[str, float], said: str) -> float:
    return bias + sum(weights.get(f, 0.0) for f in _features(said))


def _line(name: str, rows: list[tuple[str, str, bool]], said_danger: list[bool]) -> str:
    pos = [d for (_, _, truth), d in zip(rows, said_danger, strict=True) if truth]
    neg = [d for (_, _, truth), d in zip(rows, said_danger, strict=True) if not truth]
    recall = sum(pos) / len(pos) if pos else 1.0
    false = sum(neg) / len(neg) if neg else 0.0
    return (
        f"  {name:<24} danger {sum(pos)}/{len(pos)} ({recall:.1%})"
        f"   false danger {sum(neg)}/{len(neg)} ({false:.1%})"
    )


def check(rows: list[tuple[str, str, bool]], batches: tuple[str, ...], misses: bool) -> None:
    print("Leave one batch out: fitted on every other message, measured on the batch left out\n")
    for batch in batches:
        held = [r for r in rows if r[0] == batch]
        if not held:
            continue
        bias, weights = fit([r for r in rows if r[0] != batch])
        cue, both = [], []
        for _, said, _ in held:
            score = _score(bias, weights, said)
            past = danger.told_as_past(said)
            found = danger_cues.cues(said)
            by_cues = danger_cues.says_danger(score, found, said, THRESHOLD)
            by_phrases = danger.is_danger_by_phrases(said)
            cue.append(by_cues and not past)
            both.append(bool(danger.PLEA.match(said)) or ((by_cues or by_phrases) and not past))
        print(f"{batch} ({len(held)} messages)")
        print(_line("cue model alone", held, cue))
        print(_line("as the bot reads", held, both) + "  (its phrase rules have read it)")
        if misses:
            for (_, said, truth), c in zip(held, cue, strict=True):
                if c != truth:
                    print(f"    {'missed' if truth else 'false'}: {said}")


def write(bias: float, weights: dict[str, float]) -> None:
    model = {"bias": bias, "threshold": THRESHOLD, "weights": dict(sorted(weights.items()))}
    WEIGHTS.write_text(json.dumps(model, indent=0) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="leave one batch out; write nothing")
    parser.add_argument("--batch", action="append", default=[], help="another batch to leave out")
    parser.add_argument("--all", action="store_true", help="leave out the earlier files too")
    parser.add_argument("--misses", action="store_true", help="list the cue model's mistakes")
    args = parser.parse_args()
    rows = load()
    if args.check:
        check(rows, (*BATCHES, *args.batch, *(EARLIER if args.all else ())), args.misses)
        return
    bias, weights = fit(rows)
    write(bias, weights)
    print(
        f"{len(weights)} weights from {len(rows)} messages written to {WEIGHTS.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
