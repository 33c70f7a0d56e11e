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
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, BinaryIO

from negodrill.core.models import Grade
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.core.studyday import SYSTEM_ZONE, Today
from negodrill.storage.review_export import review_log, review_log_count, review_turns

if TYPE_CHECKING:
    from negodrill.storage.store import Store

HEADER = ("Time", "Deck", "Card ID", "Card type", "Technique", "Grade", "Answer",
          "Coach label", "Coach flaws", "Interval before (days)", "Interval after (days)",
          "Duration (s)", "Review ID", "Turn")
DAY_MS = 86_400_000
_GRADES = {int(g): g.title for g in Grade}
_CHECK_EVERY = 10_000
_RISKY = ("=", "+", "-", "@", "\t", "\r")


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


def write_csv(
    store: Store, out: BinaryIO, *, today: Today, deck_ids: Sequence[int] | None = None,
    since: date | None = None, progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write the CSV to `out`; the number of review rows."""
    since_ms = today.start_of(since) if since is not None else None
    total = review_log_count(store, since_ms=since_ms, until_ms=today.end_ms, deck_ids=deck_ids)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    reviews = review_log(store, since_ms=since_ms, until_ms=today.end_ms, deck_ids=deck_ids)
    zone = today.zone
    count = 0
    progress(0, total, "writing the reviews")
    for r in reviews:
        moves: list[tuple[Any, ...]] = [("", r.answer, r.coach_label, r.coach_flaws)]
        if r.kind == "conversation":
            moves = [(t.turn + 1, t.answer, t.coach_label, t.coach_flaws)
                     for t in review_turns(store, r.id)] or moves
        for turn, said, coach, codes in moves:
            writer.writerow((
                local_time(r.time_ms, zone), _text(r.deck_title), _text(r.card_key), r.kind,
                r.technique or "", _GRADES.get(r.rating, str(r.rating)), _text(said),
                coach or "", " ".join(_text(c) for c in codes), _days(r.interval_before_ms),
                _days(r.interval_after_ms), f"{(r.duration_ms or 0) / 1000:.1f}", r.id, turn,
            ))
        count += 1
        if count % _CHECK_EVERY == 0:
            if cancel is not None and cancel.cancelled:
                reviews.close()
                cancel.check()
            progress(count, total, "writing the reviews")
    text.flush()
    text.detach()  # leave `out` open for the caller
    progress(count, total, "writing the reviews")
    return count

