"""Score the coach against labelled sentences (the `coach eval` command and the quality tests).

macro-F1 averages F1 over every label that occurs in the gold labels OR the predictions of the
scored lines: a label the coach invents but nobody wrote still costs it (its F1 is 0), while the
six-label vocabulary does not dilute the score with labels absent from both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from negodrill.core.coach import LABELS, analyse


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def evaluate(items: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Predict every item; score the ones that carry a "label".

    Each item is {"id", "text", "label"?, "context"?, "situation"?}; "context" is the drill's
    original ask, "situation" the drill's situation.
    Returns {"n", "accuracy", "macro_f1", "per_label", "confusion", "items"}; with no labelled
    item n is 0 and the scores are None, but the predictions are still listed.
    """
    rows: list[dict[str, Any]] = []
    pairs: list[tuple[str, str]] = []
    for index, item in enumerate(items, 1):
        context, situation = item.get("context"), item.get("situation")
        result = analyse(str(item.get("text") or ""), str(context) if context else None,
                         str(situation) if situation else None)
        gold = item.get("label")
        rows.append(
            {
                "id": item.get("id", index),
                "gold": gold,
                "predicted": result.label,
                "flaws": list(result.flaws),
            }
        )
        if gold is not None:
            pairs.append((str(gold), result.label))
    if not pairs:
        return {
            "n": 0,
            "accuracy": None,
            "macro_f1": None,
            "per_label": {},
            "confusion": {},
            "items": rows,
        }
    seen = {g for g, _ in pairs} | {p for _, p in pairs}
    labels = [label for label in LABELS if label in seen] + sorted(seen - set(LABELS))
    confusion = {g: {p: 0 for p in labels} for g in labels}
    for g, p in pairs:
        confusion[g][p] += 1
    per_label: dict[str, dict[str, float | int]] = {}
    for label in labels:
        tp = confusion[label][label]
        predicted = sum(confusion[g][label] for g in labels)
        support = sum(confusion[label].values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(_f1(precision, recall), 4),
            "support": support,
        }
    correct = sum(1 for g, p in pairs if g == p)
    macro = sum(float(per_label[label]["f1"]) for label in labels) / len(labels)
    return {
        "n": len(pairs),
        "accuracy": round(correct / len(pairs), 4),
        "macro_f1": round(macro, 4),
        "per_label": per_label,
        "confusion": confusion,
        "items": rows,
    }
