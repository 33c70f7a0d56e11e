"""The Practice page: the coach's full analysis of any sentence, live while typing."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from negodrill.core.coach import analyse, flaw_descriptions
from negodrill.ui.practice import EMPTY_HINT, PracticePage

ASK = "Do you have a few minutes to talk?"


@pytest.fixture
def page(qtbot: Any) -> PracticePage:
    page = PracticePage()
    qtbot.addWidget(page)
    page.resize(800, 560)
    page.show()
    qtbot.waitExposed(page)
    return page


def _analysed(page: PracticePage, text: str) -> bool:
    return page.assessment is not None and page.sentence_edit.toPlainText() == text and (
        not page._timer.isActive())


def test_starts_with_a_hint(page: PracticePage) -> None:
    assert page.assessment is None
    assert page.hint_label.text() == EMPTY_HINT
    assert page.results.isHidden()
    for widget in (page.ask_edit, page.sentence_edit, page.chip, page.grade_label,
                   page.cues_label, page.flaws_label, page.feedback_label):
        assert widget.accessibleName()


def test_live_verdict_while_typing(qtbot: Any, page: PracticePage) -> None:
    text = "Is now a bad time to talk?"
    qtbot.keyClicks(page.sentence_edit, text)
    assert page._timer.isActive()  # debounced: judged after the pause, not on every key
    qtbot.waitUntil(lambda: _analysed(page, text))
    expected = analyse(text)
    assert expected.label == "no_oriented"
    assert page.chip.label == "no_oriented"
    assert page.chip.isVisible()
    assert page.chip.text() == "No-oriented question"
    assert page.grade_label.text() == (
        f"Suggested grade: {expected.suggested_grade.title} · accepted as a drill answer")
    assert page.flaws_label.text() == "No flaws."
    assert page.feedback_label.text() == "\n".join(f"• {s}" for s in expected.feedback)
    assert page.highlighted_ranges() == [(s.start, s.end) for s in expected.spans]
    cues = page.cues_label.text().splitlines()
    assert cues == [f"• “{text[s.start:s.end]}” — {s.reason}" for s in expected.spans]
    assert page.results.isVisible()
    assert page.hint_label.isHidden()


def test_flaws_with_their_meanings_and_the_ask(qtbot: Any, page: PracticePage) -> None:
    page.ask_edit.setText(ASK)
    text = "I think you are busy, but can we talk?"
    page.sentence_edit.setPlainText(text)
    qtbot.waitUntil(lambda: _analysed(page, text))
    expected = analyse(text, ask=ASK)
    assert expected.flaws
    meanings = flaw_descriptions()
    shown = page.flaws_label.text().splitlines()
    assert len(shown) == len(expected.flaws)
    for line, code in zip(shown, expected.flaws, strict=True):
        assert line.startswith("• ")
        assert line.endswith(meanings[code])
    assert page.grade_label.text().endswith("not accepted as an answer")
    assert len(page.feedback_label.text().splitlines()) == len(expected.feedback)
    # Changing only the ask re-judges the same sentence.
    mislabel = "It seems like now is the wrong time to talk."
    page.sentence_edit.setPlainText(mislabel)
    qtbot.waitUntil(lambda: _analysed(page, mislabel))
    assert page.chip.label == analyse(mislabel, ask=ASK).label
    page.ask_edit.clear()
    qtbot.waitUntil(lambda: not page._timer.isActive())
    assert page.chip.label == analyse(mislabel).label


def test_text_stays_plain_and_spans_survive_emoji(qtbot: Any, page: PracticePage) -> None:
    text = "😀 <b>Is</b> now a bad time?"
    page.sentence_edit.setPlainText(text)
    qtbot.waitUntil(lambda: _analysed(page, text))
    for label in (page.cues_label, page.flaws_label, page.feedback_label, page.grade_label):
        assert label.textFormat() == Qt.TextFormat.PlainText
    expected = analyse(text)
    assert expected.spans
    # The emoji is one Python character but two UTF-16 units in the document.
    assert page.highlighted_ranges() == [(s.start + 1, s.end + 1) for s in expected.spans]
    for (start, end), span in zip(page.highlighted_ranges(), expected.spans, strict=True):
        cursor = page.sentence_edit.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        assert cursor.selectedText() == text[span.start:span.end]


def test_clearing_the_sentence_clears_the_verdict(qtbot: Any, page: PracticePage) -> None:
    page.sentence_edit.setPlainText("Can we talk?")
    qtbot.waitUntil(lambda: _analysed(page, "Can we talk?"))
    page.sentence_edit.clear()
    qtbot.waitUntil(lambda: page.assessment is None)
    assert page.sentence_edit.extraSelections() == []
    assert page.results.isHidden()
    assert page.hint_label.isVisible()
