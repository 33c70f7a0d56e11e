"""One Today, one answer: the session, the deck list, `stats` and Browse count the same cards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, timedelta

import pytest
from progress_history import History
from test_progress import NOW, TODAY, ZONE, build

from negodrill.core.models import Preset
from negodrill.core.session import ReviewSession
from negodrill.reports.figures import collect_stats, deck_summaries, today_stats
from negodrill.storage import browse
from negodrill.storage.browse import BrowseQuery, StateFilter


@pytest.fixture
def history() -> Iterator[History]:
    h = build()
    yield h
    h.store.close()


def session(h: History, deck_ids: list[int] | None = None) -> ReviewSession:
    return ReviewSession(h.store, deck_ids=deck_ids, clock=lambda: NOW.astimezone(UTC),
                         fuzz=False, local=ZONE)


def test_session_deck_list_and_stats_agree(history: History) -> None:
    decks = {d.title: d for d in deck_summaries(history.store, TODAY)}
    # Alpha: dA1 (due 3:30 tomorrow, before the rollover) and bA (overdue); dA3 is new.
    # Beta: dB2, a learning card due at 8:10.
    assert (decks["Alpha"].due, decks["Alpha"].new) == (2, 1)
    assert (decks["Beta"].due, decks["Beta"].new) == (1, 0)
    stats = collect_stats(history.store, TODAY)
    assert (stats["due"], stats["new"], stats["new_unseen"]) == (3, 1, 1)
    everything = session(history)
    assert everything.today == TODAY
    assert everything.position[1] == stats["due"] + stats["new"]
    for title, deck in decks.items():
        one = session(history, [history.decks[title]])
        assert one.position[1] == deck.due + deck.new, title


def test_the_daily_limits_cap_all_three_alike(history: History) -> None:
    # One new card was introduced today and one review card answered: with limits of 1 and 1
    # there is no room left for either.
    history.store.save_preset(Preset(new_per_day=1, reviews_per_day=1))
    stats = collect_stats(history.store, TODAY)
    decks = deck_summaries(history.store, TODAY)
    assert (stats["due"], stats["new"]) == (1, 0)  # only the learning card
    # Each deck shows what studying it alone gives under its own limits (Anki's deck limits):
    # the first deck answered today's one review but introduced no new card, the second
    # introduced the new card and has its learning card due.
    assert [(d.due, d.new) for d in decks] == [(0, 1), (1, 0)]
    assert session(history).position[1] == 1  # every deck: the default preset caps it all


def test_browse_due_today_ends_where_today_ends(history: History) -> None:
    due = BrowseQuery(state=StateFilter.DUE, due_until=TODAY.end)
    rows = browse.page(history.store, due, 0, 100)
    # Browse lists what comes due before today ends: the session's review cards and learning
    # cards, with cA (Apr 30) and dA2 (Mar 25) left for later.
    keys = {r.headline for r in rows}
    assert keys == {"Can we talk about dA1?", "Front bA", "Can we talk about dB2?"}


def test_stats_json_keeps_its_keys_and_adds_the_habit(history: History) -> None:
    stats = collect_stats(history.store, TODAY)
    for key in ("decks", "cards", "reviews", "due", "new", "streak_days", "retention",
                "reviews_today", "suspended", "study_days"):
        assert key in stats
    assert stats["reviews"] == 23
    assert stats["reviews_today"] == 2
    assert stats["streak_days"] == 3
    assert stats["best_streak_days"] == 4
    assert stats["retention"] == 0.7
    assert stats["study_days"] == 12
    assert stats["habit_accepted_share_this_week"] == 0.75
    assert stats["habit_first_answers_this_week"] == 4
    assert [w["week"] for w in stats["habit_weeks"]] == ["2026-03-02", "2026-03-09",
                                                          "2026-03-16"]
    assert stats["habit_weeks"][0] == {"week": "2026-03-02", "first_answers": 6, "accepted": 1,
                                       "share": 0.1667, "flaws": {"still_yes_seeking": 3,
                                                                  "starts_with_I": 2}}
    assert stats["top_flaws"][0]["code"] == "still_yes_seeking"
    assert stats["top_flaws"][1]["last_seen"] == "2026-03-07"
    assert stats["habit_headline"][-1].startswith("This week the coach accepted 3 of 4")
    tomorrow = collect_stats(history.store, type(TODAY).at(NOW + timedelta(days=1), 4, ZONE))
    assert tomorrow["reviews_today"] == 0
    assert tomorrow["streak_days"] == 3  # not lost before tomorrow is over
    light = today_stats(history.store, TODAY)
    assert light == {key: stats[key] for key in ("reviews_today", "streak_days")}
    assert "habit_weeks" not in collect_stats(history.store, TODAY, habit=False)


@pytest.mark.parametrize(("days", "today_too"), [(1, True), (30, True), (31, False), (32, True),
                                                 (70, False), (95, True)])
def test_the_deck_lists_streak_reads_as_far_back_as_the_run_goes(days: int,
                                                                 today_too: bool) -> None:
    """The deck list reads the tally back a month at a time: runs shorter, equal to and
    longer than its windows, with and without a review today, agree with `stats`."""
    h = History(ZONE)
    h.deck("Alpha")
    h.card("Alpha", "bA", "basic")
    lunch = NOW.replace(tzinfo=None, hour=12)
    newest = 0 if today_too else 1
    # Before the run a day without reviews, and an older run of two days.
    for back in (newest + days + 3, newest + days + 2):
        h.review("bA", lunch - timedelta(days=back), 3, 2)
    for back in range(newest + days - 1, newest - 1, -1):
        h.review("bA", lunch - timedelta(days=back), 3, 2)
    light = today_stats(h.store, TODAY)
    full = collect_stats(h.store, TODAY)
    assert light == {"reviews_today": 1 if today_too else 0, "streak_days": days}
    assert light == {key: full[key] for key in ("reviews_today", "streak_days")}
    h.store.close()
