"""evaluate(): the scoring behind `negodrill coach eval`."""

from __future__ import annotations

import pytest

from negodrill.core.coach.evaluate import evaluate


def test_no_labelled_line_gives_null_scores_but_lists_predictions() -> None:
    result = evaluate([{"id": "a", "text": "Is now a bad time?"}, {"id": "b", "text": "Deal?"}])
    assert result["n"] == 0
    assert result["accuracy"] is None
    assert result["macro_f1"] is None
    assert [row["id"] for row in result["items"]] == ["a", "b"]
    assert result["items"][0]["predicted"] == "no_oriented"
    assert result["items"][0]["gold"] is None


def test_empty_input() -> None:
    result = evaluate([])
    assert result["n"] == 0
    assert result["items"] == []


def test_scores_only_labelled_lines_and_counts_the_confusion() -> None:
    items = [
        {"id": 1, "text": "Is now a bad time?", "label": "no_oriented"},
        {"id": 2, "text": "Is now a good time?", "label": "no_oriented"},  # coach: yes_seeking
        {"id": 3, "text": "What would make this work?", "label": "calibrated"},
        {"id": 4, "text": "Deal?"},  # unlabelled: predicted, not scored
        {
            "id": 5,
            "text": "It seems like the price is out of the question.",
            "label": "mislabel",
            "context": "Can you match the price?",
        },
    ]
    result = evaluate(items)
    assert result["n"] == 4
    assert result["accuracy"] == pytest.approx(0.75)
    assert result["confusion"]["no_oriented"]["yes_seeking"] == 1
    # macro-F1 over labels seen in gold or predictions: no_oriented, mislabel, calibrated,
    # yes_seeking (predicted only, F1 0).
    assert set(result["per_label"]) == {"no_oriented", "yes_seeking", "mislabel", "calibrated"}
    no = result["per_label"]["no_oriented"]
    assert (no["precision"], no["recall"], no["support"]) == (1.0, 0.5, 2)
    assert result["per_label"]["yes_seeking"]["f1"] == 0.0
    expected = (2 / 3 + 0.0 + 1.0 + 1.0) / 4
    assert result["macro_f1"] == pytest.approx(expected, abs=1e-3)
    assert len(result["items"]) == 5
    assert result["items"][4]["flaws"] == []


def test_items_keep_flaws_and_positions_when_ids_are_missing() -> None:
    result = evaluate([{"text": "Why did you do that?", "label": "other"}])
    assert result["items"][0]["id"] == 1
    assert result["items"][0]["flaws"] == ["why_question"]
    assert result["accuracy"] == 1.0
