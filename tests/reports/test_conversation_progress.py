"""Each turn of a conversation counts as one drill answer in the habit and is one CSV row."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

from negodrill.core.content import Conversation
from negodrill.core.conversation import ConversationPlay
from negodrill.core.models import Grade
from negodrill.core.session import ReviewSession
from negodrill.core.studyday import Today
from negodrill.deckio.importing import import_file
from negodrill.reports.csv_report import write_csv
from negodrill.reports.progress import collect_progress
from negodrill.storage.store import Store
from negodrill.storage.tally import tally_problems

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "conversation_sample.negodeck.json"
NOW = datetime(2026, 3, 4, 12, tzinfo=UTC)


def test_turns_count_in_the_habit_and_the_csv() -> None:
    store = Store.memory()
    import_file(store, SAMPLE)
    session = ReviewSession(store, clock=lambda: NOW)
    card = session.current()
    assert card is not None
    assert isinstance(card.content, Conversation)
    play = ConversationPlay(card.content)
    for text in ("Is now a bad time to talk about the rent?",
                 "Why do you care so much about the 1st?",
                 "How could we make a later date safe for you?",
                 "Would a standing order be a problem? Otherwise I'm moving out."):
        play.send(text)
    session.check_conversation(play)
    session.grade(Grade.HARD)
    assert tally_problems(store._db) == []
    today = Today.at(NOW, store.preset().rollover_hour)
    report = collect_progress(store, today=today, workers=1)
    week = report.habit_weeks[-1]
    assert (week.first_answers, week.accepted) == (4, 2)  # the why and the threat missed
    assert {f.code for f in report.top_flaws} >= {"why_question", "pushy"}
    out = io.BytesIO()
    rows = write_csv(store, out, today=today)
    assert rows == 1
    table = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    assert header[-2:] == ["Review ID", "Turn"]
    assert [r[-1] for r in body] == ["1", "2", "3", "4"]
    assert len({r[-2] for r in body}) == 1
    assert body[1][6] == "Why do you care so much about the 1st?"
    assert "why_question" in body[1][8]
