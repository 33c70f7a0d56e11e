"""The progress report as CSV: one row per review, oldest first, streamed from SQL.

Excel-friendly: UTF-8 with a byte order mark, CRLF line ends, a header row. Columns:

* Time: the local date and time of the answer, ISO 8601 with the UTC offset of that moment.
* Deck, Card ID (the card's stable key in its deck file), Card type, Technique (drills only).
* Grade: Again, Hard, Good or Easy. Answer: what the learner typed or picked.
* Coach label, Coach flaws (flaw codes separated by spaces; empty when none or not judged).
* Interval before / after (days): a schedule's due date minus its last review, as the scheduler
  stores them (the last review is the start of that answer's study day, which is how FSRS counts
  elapsed days), two decimals. "Before" is the card's schedule as the answer found it (the
  review's `before` JSON; empty for a new card). "After" is the schedule the answer produced:
  the `before` of the card's next review, which is exact, or for its latest review the card's
  current schedule, exact unless the card was reset since (then empty, as it is when a reset
  came between two reviews).
* Duration (s): time spent on the card, seconds with one decimal.
* Review ID, Turn: the review's id; a conversation card writes one row per turn (numbered from
  1) with that turn's move, label and flaws, every row carrying the same review id.

A text cell that starts with = + - @ gets a leading apostrophe, so a spreadsheet shows it as
text instead of running it as a formula (deck titles and answers can come from other people).
Rows are fetched from the cursor one at a time: a million reviews are never held in memory.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, BinaryIO

from negodrill.core.models import Grade
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.core.studyday import SYSTEM_ZONE, Today

if TYPE_CHECKING:
    from negodrill.storage.store import Store

HEADER = ("Time", "Deck", "Card ID", "Card type", "Technique", "Grade", "Answer",
          "Coach label", "Coach flaws", "Interval before (days)", "Interval after (days)",
          "Duration (s)", "Review ID", "Turn")
DAY_MS = 86_400_000
_GRADES = {int(g): g.title for g in Grade}
_CHECK_EVERY = 10_000
_RISKY = ("=", "+", "-", "@", "\t", "\r")

# The next review's schedule interval, -1 when it has none (a reset came between); NULL when
# there is no next review (then the card's current schedule tells).
_NEXT = (
    "(SELECT coalesce(nx.due_before_ms - nx.last_before_ms, -1) FROM review nx "
    "  WHERE nx.card_id = r.card_id AND (nx.time_ms > r.time_ms "
    "  OR (nx.time_ms = r.time_ms AND nx.id > r.id)) ORDER BY nx.time_ms, nx.id LIMIT 1)"
)


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_RISKY) else text


def _days(ms: Any) -> str:
    return "" if ms is None or ms < 0 else f"{ms / DAY_MS:.2f}"


def local_time(ms: int, zone: tzinfo) -> str:
    """ISO 8601 local time with the offset of that moment, to the second."""
    if zone is SYSTEM_ZONE:  # the C library's localtime: fast, with the system's DST rules
        t = time.localtime(ms // 1000)
        off = t.tm_gmtoff
        sign = "+" if off >= 0 else "-"
        return (time.strftime("%Y-%m-%dT%H:%M:%S", t)
                + f"{sign}{abs(off) // 3600:02d}:{abs(off) % 3600 // 60:02d}")
    moment = datetime.fromtimestamp(ms // 1000, tz=UTC).astimezone(zone)
    return moment.isoformat(timespec="seconds")


# A review's card, or for a deleted card its tombstone: the review log outlives its cards.
_CARD = ("LEFT JOIN card ON card.id = r.card_id "
         "LEFT JOIN card_gone AS gone ON gone.id = r.card_id AND card.id IS NULL")


def _filters(
    today: Today, deck_ids: Sequence[int] | None, since: date | None
) -> tuple[str, list[Any]]:
    where = "r.time_ms >= ? AND r.time_ms < ?"
    params: list[Any] = [today.start_of(since) if since is not None else -(2**62), today.end_ms]
    if deck_ids is not None:
        where += (f" AND coalesce(card.deck_id, gone.deck_id) IN "
                  f"({', '.join('?' for _ in deck_ids) or 'NULL'})")
        params += list(deck_ids)
    return where, params


def write_csv(
    store: Store, out: BinaryIO, *, today: Today, deck_ids: Sequence[int] | None = None,
    since: date | None = None, progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the CSV to `out`; the number of review rows."""
    where, params = _filters(today, deck_ids, since)
    total = int(store.db.execute(
        f"SELECT count(*) FROM review r {_CARD} WHERE {where}",
        params).fetchone()[0])
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    cursor = store.db.conn.execute(
        "SELECT r.id, r.time_ms, coalesce(deck.title, 'a deleted deck'), "
        "coalesce(card.key, ''), coalesce(card.type, gone.type), "
        "coalesce(card.technique, gone.technique), r.rating, r.answer, "
        "r.coach_label, r.coach_flaws, r.due_before_ms - r.last_before_ms, "
        f"{_NEXT}, card.due_ms - card.last_review_ms, r.duration_ms "
        f"FROM review r INDEXED BY review_time {_CARD} "
        "LEFT JOIN deck ON deck.id = coalesce(card.deck_id, gone.deck_id) "
        f"WHERE {where} ORDER BY r.time_ms, r.id",
        params,
    )
    zone = today.zone
    count = 0
    progress(0, total, "writing the reviews")
    for (review_id, time_ms, deck, key, kind, technique, rating, answer, label, flaws, before,
         after, current, duration) in cursor:
        if after is None:
            after = current
        moves: list[tuple[Any, ...]] = [("", answer, label, flaws)]
        if kind == "conversation":
            moves = [(turn + 1, *rest) for turn, *rest in store.db.conn.execute(
                "SELECT turn, answer, coach_label, coach_flaws FROM review_turn "
                "WHERE review_id = ? ORDER BY turn", [review_id])] or moves
        for turn, said, coach, codes in moves:
            writer.writerow((
                local_time(time_ms, zone), _text(deck), _text(key), kind, technique or "",
                _GRADES.get(rating, str(rating)), _text(said), coach or "",
                " ".join(_flaw_codes(codes)), _days(before), _days(after),
                f"{(duration or 0) / 1000:.1f}", review_id, turn,
            ))
        count += 1
        if count % _CHECK_EVERY == 0:
            if cancel is not None and cancel.cancelled:
                cursor.close()
                cancel.check()
            progress(count, total, "writing the reviews")
    text.flush()
    text.detach()  # leave `out` open for the caller
    progress(count, total, "writing the reviews")
    return count


def _flaw_codes(raw: str | None) -> list[str]:
    if not raw or raw == "[]":
        return []
    try:
        codes = json.loads(raw)
    except ValueError:
        return []
    return [_text(c) for c in codes] if isinstance(codes, list) else []
