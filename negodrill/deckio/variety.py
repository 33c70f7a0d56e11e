"""How varied a course reads: the figures behind "the course reads like a template".

A course written from one template teaches the template, not the move: learners copy "It sounds
like ... is off the table" and the coach accepts it every time. These figures measure that over
the reference rewrites and pitfalls of a set of decks, and `TARGETS` are the second edition's
limits (the test suite checks the built-in decks against them; deck authors can run
`python -m negodrill.deckio.variety FILE...`).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LABEL_OPENERS = ("it sounds like", "it seems like", "it looks like")
STOCK_PHRASES = ("out of the question", "too much", "off the table", "off limits",
                 "the last thing", "dealbreaker", "nonstarter")
READINGS = ("emotion", "position", "fact")


@dataclass(frozen=True)
class Target:
    name: str
    limit: float
    at_most: bool  # True: the figure must not exceed the limit; False: not fall below it
    what: str

    def met(self, value: float | None) -> bool:
        if value is None:  # nothing to measure: a deck without mislabels has no readings
            return True
        return value <= self.limit if self.at_most else value >= self.limit


TARGETS = (
    Target("label_openers", 0.30, True,
           "references opening 'It sounds like' / 'It seems like' / 'It looks like'"),
    Target("top_other_opening", 0.06, True, "the commonest other three-word opening"),
    Target("stock_phrases", 0.15, True, "references using a stock phrase"),
    Target("least_reading", 0.20, False, "the rarest mislabel reading (emotion/position/fact)"),
    Target("pitfall_repeats", 0.05, True, "pitfall explanations said more than once"),
    Target("drills_without_notes", 0, True, "drills without a note"),
    Target("outside_2_to_5", 0, True, "drills without 2 to 5 references"),
    Target("top_reference_count", 0.60, True, "drills sharing the commonest number of references"),
    Target("top_move_order", 0.30, True,
           "drills of mixed moves sharing the commonest order of moves"),
)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def measure(docs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The figures over every drill of `docs` (parsed deck documents)."""
    from negodrill.core.cards import content_from_json
    from negodrill.core.coach import analyse
    from negodrill.core.content import Drill

    drills: list[tuple[Drill, dict[str, Any]]] = []
    for doc in docs:
        for card in doc.get("cards", []):
            if card.get("type") == "drill":
                content = content_from_json(card)
                assert isinstance(content, Drill)
                drills.append((content, card))
    references = [r for d, _ in drills for r in d.references]
    openings = Counter(" ".join(_words(r.text)[:3]) for r in references)
    label_openers = sum(openings[o] for o in LABEL_OPENERS)
    others = [(o, n) for o, n in openings.most_common() if o not in LABEL_OPENERS]
    stock = sum(any(p in " ".join(_words(r.text)) for p in STOCK_PHRASES) for r in references)
    readings = Counter(r.reading for r in references if r.reading)
    whys = Counter(" ".join(_words(p.why)) for d, _ in drills for p in d.pitfalls)
    counts = Counter(len(d.references) for d, _ in drills)
    orders: Counter[tuple[str, ...]] = Counter()
    for drill, _ in drills:
        moves = tuple(analyse(r.text, drill.prompt, drill.situation,
                              accepts=drill.coach_accepts).label for r in drill.references)
        if len(set(moves)) > 1:
            orders[moves] += 1
    n = len(references)
    return {
        "drills": len(drills),
        "references": n,
        "label_openers": _share(label_openers, n),
        "top_other_opening": _share(others[0][1], n) if others else 0.0,
        "top_other_opening_words": others[0][0] if others else "",
        "stock_phrases": _share(stock, n),
        "readings": {r: readings[r] for r in READINGS},
        "least_reading": (_share(min(readings[r] for r in READINGS), sum(readings.values()))
                          if readings else None),
        "pitfall_repeats": _share(sum(c for c in whys.values() if c > 1), sum(whys.values())),
        "drills_without_notes": sum(not str(c.get("notes", "")).strip() for _, c in drills),
        "outside_2_to_5": sum(not 2 <= len(d.references) <= 5 for d, _ in drills),
        "reference_counts": dict(sorted(counts.items())),
        "top_reference_count": _share(max(counts.values(), default=0), len(drills)),
        "top_move_order": _share(max(orders.values(), default=0), sum(orders.values())),
    }


def missed(figures: dict[str, Any]) -> list[str]:
    """One line per target the figures miss (empty when the course is varied enough)."""
    return [f"{t.what}: {figures[t.name]:.3g} (limit {'at most' if t.at_most else 'at least'} "
            f"{t.limit:g})" for t in TARGETS if not t.met(figures[t.name])]


def main(argv: list[str]) -> int:
    from negodrill.deckio.reader import read_deck_json

    if not argv:
        print("usage: python -m negodrill.deckio.variety DECK_FILE...", file=sys.stderr)
        return 2
    figures = measure(read_deck_json(Path(a)) for a in argv)
    for key, value in figures.items():
        shown = f"{value:.1%}" if isinstance(value, float) else value
        print(f"{key}: {shown}")
    problems = missed(figures)
    for line in problems:
        print(f"missed: {line}")
    print("all variety targets met" if not problems else f"{len(problems)} targets missed")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
