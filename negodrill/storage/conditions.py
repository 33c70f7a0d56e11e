"""The card conditions every queue, count and filter shares, written once.

Each is an SQL fragment over the `card` table's own columns (unqualified: use it where `card`
is the only table with these column names), built from `CardState` so no query spells a state
as a bare number. What "due" means is decided here and nowhere else:

* learning and relearning cards are due when `due_ms <= until` (the study day's learn-ahead
  edge: the caller binds it);
* review cards are due when `due_ms < until` (before the next study day starts);
* a card comes up at all only when it is `LIVE`: neither suspended nor buried (suspended is
  0) nor retired.

`LIVE` must stay word for word the WHERE clause of the partial indexes `card_queue` and
`card_deck_queue` (storage/database.py): SQLite uses a partial index only when the query's
WHERE clause holds that clause's terms, so every queue and count keeps its index range scan.
"""

from __future__ import annotations

from negodrill.core.models import CardState

# Neither suspended (1), buried (2) nor retired: the partial indexes' own WHERE clause.
LIVE = "suspended = 0 AND retired = 0"

# Never studied.
NEW = f"state = {int(CardState.NEW)}"

# Learning or relearning: the cards a study day shows again within the day.
IN_LEARNING = f"state IN ({int(CardState.LEARNING)}, {int(CardState.RELEARNING)})"

# Learning or relearning and due by the bound time (epoch ms, inclusive).
LEARNING_DUE_BY = f"{IN_LEARNING} AND due_ms <= ?"

# Review cards due before the bound time (epoch ms, exclusive).
REVIEW_DUE_BEFORE = f"state = {int(CardState.REVIEW)} AND due_ms < ?"

# Any scheduled card (learning, review or relearning): those with a due date.
SCHEDULED = (f"state IN ({int(CardState.LEARNING)}, {int(CardState.REVIEW)}, "
             f"{int(CardState.RELEARNING)})")

# Any scheduled card due before the bound time (epoch ms, exclusive): the browser's "due".
SCHEDULED_DUE_BEFORE = f"{SCHEDULED} AND due_ms < ?"
