"""A deck as an Anki package: `.apkg` holding a schema 11 `collection.anki2`.

Schema 11 is the legacy package layout that Anki versions old and new all import, so a
learner's Anki opens the file whatever its age. The layout follows Anki's own rslib/src/
storage/schema11.sql and the JSON shapes of rslib's notetype/deck/deckconfig schema11.rs.

Every card becomes one note of the "negodrill" note type: Front and Back as a person reads
them, and a hidden `negodrill` field holding the card object and its deck as JSON, so
negodrill re-imports its own package without loss. GUIDs, note and card ids are derived
from the deck and card ids, so exporting again updates the learner's Anki notes in place.

The HTML of Front and Back (and the GUIDs) are shared with the Anki text export.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from negodrill.core.errors import DeckError
from negodrill.core.files import write_atomically
from negodrill.core.models import CardState, Preset
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.core.studyday import day_start, study_day
from negodrill.deckio.package import CardProgress, IncomingDeck, IncomingReview

NOTETYPE_NAME = "negodrill"
FIELDS = ("Front", "Back", "negodrill")
def _task(card: dict[str, Any]) -> str:
    """What the drill asks for, in words: 'Rewrite as a label:'."""
    from negodrill.core.coach.words import moves_in_words

    moves = ["no_oriented" if m == "no-question" else str(m)
             for m in card.get("accepts", ("no-question", "mislabel"))]
    return f"Rewrite as {moves_in_words(moves)}:"


def _with_reply(text: str, reply: str) -> str:
    """A line and, under it, the counterpart's likely reply."""
    return html_text(text) + (f"<br><span class=nd-reply>They: “{html_text(reply)}”</span>"
                              if reply else "")
STEP = 250  # cards between progress reports and cancel checks

# Ids look like the millisecond timestamps Anki makes, 2001-09 to 2017-07: Anki replaces ids
# later than tomorrow on import (dbcheck's maybe_fix_invalid_ids), which would break stability.
_ID_BASE = 1_000_000_000_000
_ID_SPAN = 500_000_000_000
# Anki's default day rollover; the source collection's days are counted from it.
_ROLLOVER_HOUR = 4
_DAY_SECS = 86_400
# Bump with any change to the note type below: Anki updates a note type only from a newer
# one, so a learner's own tweaks to the styling survive re-imports of the same version.
_NOTETYPE_MOD = 1_795_219_200  # 2026-11-21
_MAX_REVLOG_TIME_MS = 60_000
_FACTOR = 2500

_BASE91 = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
           "!#$%&()*+,-./:;<=>?@[]^_`{|}~")
_TAG = re.compile(r"(?si)<!--.*?-->|<style.*?>.*?</style>|<script.*?>.*?</script>|<.*?>")

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1f2328;
  background-color: #ffffff;
  max-width: 40em;
  margin: 0 auto;
  padding: 0 0.75em;
}
.nightMode.card, .night_mode .card { color: #e6edf3; background-color: #1f2328; }
.nd-situation, .nd-why, .nd-label, .nd-reply { color: #59636e; }
.nightMode .nd-situation, .nightMode .nd-why, .nightMode .nd-label,
.nightMode .nd-reply { color: #9198a1; }
.nd-task { margin-top: 0.8em; font-size: 0.85em; }
.nd-prompt { margin-top: 0.3em; font-weight: 600; }
.nd-label {
  margin-top: 1em; font-size: 0.75em; font-weight: 600;
  letter-spacing: 0.05em; text-transform: uppercase;
}
.nd-why { font-size: 0.9em; }
.nd-right { color: #1a7f37; font-weight: 600; }
.nd-wrong { color: #cf222e; font-weight: 600; }
.nd-notes { margin-top: 1em; font-style: italic; }
ul, ol { margin: 0.3em 0; padding-left: 1.4em; }
li { margin: 0.2em 0; }
hr#answer { margin: 1em 0; }
"""


# -- shared with the text export: what a note says and how it is known -----------------------

def html_text(text: str) -> str:
    """Plain text as one line of HTML: escaped, line breaks as <br>, no tabs or separators.

    Double quotes are escaped too (and attributes below go unquoted, as in Anki's own
    `<hr id=answer>`), so a tab-separated file never needs CSV quoting.
    """
    text = html.escape(str(text), quote=False).replace('"', "&quot;")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return text.replace("\t", " ").replace("\x1f", " ").replace("\x00", "")


def _div(css: str, text: str) -> str:
    return f"<div class=nd-{css}>{html_text(text)}</div>"


def _items(tag: str, items: Iterable[str]) -> str:
    return f"<{tag}>" + "".join(f"<li>{item}</li>" for item in items) + f"</{tag}>"


def note_fields(card: dict[str, Any]) -> tuple[str, str]:
    """Front and Back of a card as Anki shows them."""
    kind = card.get("type")
    if kind == "drill":
        front = (_div("situation", card["situation"]) + _div("task", _task(card))
                 + _div("prompt", card["prompt"]))
        back = ""
        if card.get("prompt_reply"):
            back += ("<div class=nd-label>What the prompt would likely get</div>"
                     + _div("reply", f"They: “{card['prompt_reply']}”"))
        references = [r if isinstance(r, dict) else {"text": r} for r in card["rewrites"]]
        back += "<div class=nd-label>Reference rewrites</div>" + _items(
            "ul", (_with_reply(r["text"], r.get("reply", "")) for r in references))
        pitfalls = card.get("pitfalls") or []
        if pitfalls:
            back += "<div class=nd-label>Pitfalls</div>" + _items("ul", (
                f"{html_text(p['text'])}<br><span class=nd-why>{html_text(p['why'])}</span>"
                + (f"<br><span class=nd-reply>They: “{html_text(p['reply'])}”</span>"
                   if p.get("reply") else "")
                for p in pitfalls))
    elif kind == "basic":
        front, back = html_text(card["front"]), html_text(card["back"])
    elif kind == "choice":
        options = card["options"]
        front = html_text(card["question"]) + _items(
            "ol", (html_text(o["text"]) for o in options))
        right = [f"{n}. {html_text(o['text'])}" for n, o in enumerate(options, 1)
                 if o.get("correct")]
        back = "<div class=nd-label>Answer</div>" + "<br>".join(right)
        if any(o.get("why") for o in options):
            back += "<div class=nd-label>Why</div>" + _items("ol", (
                ("<span class=nd-right>Right:</span> " if o.get("correct")
                 else "<span class=nd-wrong>Wrong:</span> ") + html_text(o["text"])
                + (f"<br><span class=nd-why>{html_text(o['why'])}</span>" if o.get("why")
                   else "")
                for o in options))
    elif kind == "conversation":
        # Anki cannot play one: a Basic note with the situation on the front and the model
        # conversation (their line, your model move, why) on the back.
        front = (_div("title", card["title"]) + _div("situation", card["situation"])
                 + _div("counterpart", f"You talk to {card['counterpart']}")
                 + _div("task", f"Your goal: {card['ask']}"))
        lines = []
        for turn in card["turns"]:
            said = (f"<i>You were about to ask:</i> {html_text(turn['opening'])}"
                    if turn.get("opening") else f"<i>They:</i> {html_text(turn['line'])}")
            lines.append(f"{said}<br><i>You:</i> {html_text(turn['model'])}"
                         + (f"<br><span class=nd-why>{html_text(turn['why'])}</span>"
                            if turn.get("why") else ""))
        back = "<div class=nd-label>A model conversation</div>" + _items("ol", lines)
    else:
        raise DeckError(f"card {card.get('id')}: unknown card type {kind!r}")
    if card.get("notes"):
        back += _div("notes", card["notes"])
    return front, back


def card_tags(card: dict[str, Any]) -> list[str]:
    """The card's tags as Anki takes them: no whitespace inside a tag, no repeats."""
    out: list[str] = []
    for tag in card.get("tags") or ():
        for word in str(tag).replace("\x00", "").split():
            if word not in out:
                out.append(word)
    return out


def guid_for(*values: str) -> str:
    """genanki's GUID: base91 of the first 8 bytes of a SHA-256 (so genanki decks line up)."""
    number = int.from_bytes(hashlib.sha256("__".join(values).encode("utf-8")).digest()[:8])
    digits = []
    while number > 0:
        number, digit = divmod(number, 91)
        digits.append(_BASE91[digit])
    return "".join(reversed(digits))


def note_guids(deck: IncomingDeck) -> list[str]:
    """One GUID per card, unique within the deck.

    A card that came from Anki keeps its note's GUID, so the learner's original note is the
    one updated; a second card of the same Anki note (its reverse) gets a derived one.
    """
    used: set[str] = set()
    out = []
    for card in deck.cards:
        anki = (card.get("extensions") or {}).get("x-anki") or {}
        guid = anki.get("guid") if isinstance(anki, dict) else None
        if not isinstance(guid, str) or not guid.strip() or guid in used:
            guid = guid_for(deck.uuid, str(card["id"]))
        salt = 0
        while guid in used:  # a hash collision: astronomically rare, still never a duplicate
            salt += 1
            guid = guid_for(deck.uuid, str(card["id"]), str(salt))
        used.add(guid)
        out.append(guid)
    return out


def report(progress: Progress, cancel: CancelToken | None, done: int, total: int) -> None:
    if cancel is not None:
        cancel.check()
    progress(done, total, "cards")


def check_exportable(deck: IncomingDeck) -> None:
    if not deck.cards:
        raise DeckError(f'"{deck.title}" has no cards to export')


# -- the package ------------------------------------------------------------------------------

def _now() -> float:
    """Seconds since the epoch; one place, so a test can move the clock."""
    return time.time()


def stable_id(*parts: str) -> int:
    """A positive, timestamp-like int that is the same for the same parts on every export."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return _ID_BASE + int.from_bytes(digest[:8]) % _ID_SPAN


def _unique(value: int, used: set[int]) -> int:
    while value in used:
        value += 1
    used.add(value)
    return value


NOTETYPE_ID = stable_id("negodrill", "notetype", "1")


def write_apkg(
    deck: IncomingDeck,
    path: Path,
    *,
    progress_by_card: dict[str, CardProgress] | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Write `deck` as an Anki package at `path`; returns the number of notes written.

    With `progress_by_card` (an export with history) cards carry their schedule and
    `deck.history` becomes Anki's review log; without it every card arrives new.
    """
    path = Path(path)
    check_exportable(deck)

    def fill(out: BinaryIO) -> None:
        with tempfile.TemporaryDirectory(prefix="negodrill-apkg-") as tmp:
            db_path = Path(tmp) / "collection.anki2"
            try:
                _build(db_path, deck, progress_by_card, progress, cancel)
            except sqlite3.Error as exc:
                raise DeckError(f"{path}: cannot be written ({exc})") from None
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(db_path, "collection.anki2")
                archive.writestr("media", "{}")

    write_atomically(path, fill, error=DeckError)
    progress(1, 1, "written")
    return len(deck.cards)


class _Clock:
    """The moments one export is stamped with, and the source collection's days."""

    def __init__(self) -> None:
        now_s = _now()
        self.now = datetime.fromtimestamp(now_s, UTC)
        self.now_s = int(now_s)
        # The collection was "created" at the start of today's study day, so its day 0 is
        # today and a review due in 3 days is due on day 3 (Anki shifts days on import).
        start = day_start(self.now, _ROLLOVER_HOUR)
        self.crt = int(start.timestamp())
        offset = start.astimezone().utcoffset()
        self.minutes_west = -int(offset.total_seconds() // 60) if offset else 0
        self.today = study_day(self.now, _ROLLOVER_HOUR)
        self.tomorrow_s = self.crt + _DAY_SECS

    def day(self, ms: int) -> int:
        """The collection day (since crt) that the moment `ms` falls on."""
        moment = datetime.fromtimestamp(ms / 1000, UTC)
        return (study_day(moment, _ROLLOVER_HOUR) - self.today).days


def _build(
    db_path: Path,
    deck: IncomingDeck,
    progress_by_card: dict[str, CardProgress] | None,
    progress: Progress,
    cancel: CancelToken | None,
) -> None:
    clock = _Clock()
    db = sqlite3.connect(db_path)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a scratch file: nothing to recover
        db.execute("PRAGMA synchronous = OFF")
        db.executescript(SCHEMA)
        deck_id = stable_id("negodrill", "deck", deck.uuid)
        tags: set[str] = set()
        notes, cards, revlog = _rows(deck, deck_id, clock, progress_by_card, tags,
                                     progress, cancel)
        db.executemany("INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)", notes)
        db.executemany("INSERT INTO cards VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cards)
        db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog)
        db.execute(
            "INSERT INTO col VALUES (1,?,?,?,11,0,0,0,?,?,?,?,?)",
            (clock.crt, clock.now_s * 1000, clock.now_s * 1000,
             _dumps(_conf(clock, deck_id, len(deck.cards))),
             _dumps({str(NOTETYPE_ID): _notetype(deck_id)}),
             _dumps(_decks(deck, deck_id, clock)),
             _dumps({"1": DECK_CONFIG}),
             _dumps(dict.fromkeys(sorted(tags), 0))),
        )
        db.commit()
    finally:
        db.close()


def _rows(
    deck: IncomingDeck,
    deck_id: int,
    clock: _Clock,
    progress_by_card: dict[str, CardProgress] | None,
    tags: set[str],
    progress: Progress,
    cancel: CancelToken | None,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    deck_object = {**deck.meta, "id": deck.uuid, "title": deck.title,
                   "revision": deck.revision or 1}
    if deck.description:
        deck_object["description"] = deck.description
    # The deck part of the hidden field is the same for every note: serialise it once.
    head = _dumps({"deck": deck_object, "techniques": deck.techniques})[:-1]
    # History (schedules and the review log) is only there for an export with history.
    schedules = progress_by_card or {}
    notes, cards, revlog = [], [], []
    note_ids: set[int] = set()
    card_ids: set[int] = set()
    revlog_ids: set[int] = set()
    total = len(deck.cards)
    for position, (card, guid) in enumerate(zip(deck.cards, note_guids(deck), strict=True)):
        if position % STEP == 0:
            report(progress, cancel, position, total)
        key = str(card["id"])
        front, back = note_fields(card)
        hidden = html.escape(head + ',"card":' + _dumps(card) + "}", quote=False)
        card_tag_list = card_tags(card)
        tags.update(card_tag_list)
        sort_field = _strip_html(front)
        nid = _unique(stable_id("negodrill", "note", deck.uuid, key), note_ids)
        cid = _unique(stable_id("negodrill", "card", deck.uuid, key), card_ids)
        notes.append((
            nid, guid, NOTETYPE_ID, clock.now_s, -1,
            f" {' '.join(card_tag_list)} " if card_tag_list else "",
            "\x1f".join((front, back, hidden)), sort_field, _checksum(sort_field), 0, "",
        ))
        state = schedules.get(key)
        reviews = deck.history.get(key)
        if state is not None and reviews:
            # negodrill keeps the study day a card was last seen; Anki wants the moment.
            state = replace(state, last_review_ms=reviews[-1].time_ms)
        cards.append((cid, nid, deck_id, 0, clock.now_s, -1,
                      *_schedule(state, position + 1, clock), 0, 0, 0,
                      _card_data(state, position + 1)))
        if reviews:
            revlog.extend(_revlog(cid, reviews, state, revlog_ids))
    report(progress, cancel, total, total)
    return notes, cards, revlog


def _strip_html(text: str) -> str:
    """Anki's strip_html: tags dropped (not spaced), entities decoded, no-break spaces plain."""
    return html.unescape(_TAG.sub("", text)).replace("\xa0", " ")


def _checksum(text: str) -> int:
    """Anki's first-field checksum: the first 8 hex digits of the SHA-1 of the plain text."""
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def _schedule(state: CardProgress | None, position: int, clock: _Clock) -> tuple[int, ...]:
    """type, queue, due, ivl, factor, reps, lapses, left of a card (Anki v2 meanings)."""
    if state is None or state.state == CardState.NEW:
        return (0, 0, position, 0, 0, 0, 0, 0)
    reps, lapses = max(0, state.reps), max(0, state.lapses)
    if state.state == CardState.REVIEW:
        due = clock.day(state.due_ms) if state.due_ms is not None else 0
        return (2, 2, due, _review_interval(state), _FACTOR, reps, lapses, 0)
    # Learning and relearning: due at a moment today, or on a day when the step crosses the
    # rollover (Anki's "day learn" queue); left = 1 step to go, today. A relearning card
    # keeps the interval it will return to, its stability in days.
    kind, ivl, factor = (3, max(1, round(state.stability or 1)), _FACTOR) \
        if state.state == CardState.RELEARNING else (1, 0, 0)
    due_s = state.due_ms // 1000 if state.due_ms is not None else clock.now_s
    if due_s < clock.tomorrow_s:
        return (kind, 1, due_s, ivl, factor, reps, lapses, 1001)
    return (kind, 3, clock.day(due_s * 1000), ivl, factor, reps, lapses, 1001)


def _review_interval(state: CardProgress) -> int:
    """Days between the last review and the due date, else the stability, at least 1."""
    if state.due_ms is not None and state.last_review_ms is not None:
        return max(1, round((state.due_ms - state.last_review_ms) / 86_400_000))
    if state.stability:
        return max(1, round(state.stability))
    return 1


def _card_data(state: CardProgress | None, position: int) -> str:
    """FSRS memory state where Anki keeps it, so an Anki with FSRS on need not guess it, and
    the card's place in its deck ("pos", as Anki keeps it for studied cards)."""
    if state is None or state.state == CardState.NEW or not state.stability \
            or not state.difficulty:
        return ""
    data: dict[str, Any] = {"pos": position, "s": round(state.stability, 4),
                            "d": round(state.difficulty, 3)}
    if state.last_review_ms:
        data["lrt"] = state.last_review_ms // 1000
    return _dumps(data)


_PRESET = Preset()
_LEARN_STEPS = tuple(round(m * 60) for m in _PRESET.learning_steps_min)
_RELEARN_STEPS = tuple(round(m * 60) for m in _PRESET.relearning_steps_min)


def _after(state: int, step: int, grade: int) -> tuple[int, int]:
    """The state and step a grade leads to, as negodrill's default FSRS steps move a card.

    negodrill keeps no state per review, so the log is replayed: Again restarts the steps
    (a review card lapses into relearning), Hard repeats the step, Good moves to the next
    step and past the last one to review, Easy goes straight to review.
    """
    if state == CardState.REVIEW:
        return (CardState.RELEARNING, 0) if grade == 1 else (CardState.REVIEW, 0)
    steps = _RELEARN_STEPS if state == CardState.RELEARNING else _LEARN_STEPS
    learning = CardState.RELEARNING if state == CardState.RELEARNING else CardState.LEARNING
    if grade == 1:
        return learning, 0
    if grade == 2:
        return learning, step
    if grade == 4 or step + 1 >= len(steps):
        return CardState.REVIEW, 0
    return learning, step + 1


def _revlog(
    cid: int, reviews: list[IncomingReview], final: CardProgress | None, used: set[int]
) -> list[tuple[Any, ...]]:
    """Anki revlog rows: type from the state before each review, ivl from the one after it
    (negative seconds while learning, days once in review)."""
    rows = []
    state, step, last_ivl = int(CardState.NEW), 0, 0
    for n, review in enumerate(reviews):
        grade = min(4, max(1, int(review.grade)))
        kind = {CardState.REVIEW: 1, CardState.RELEARNING: 2}.get(CardState(state), 0)
        state, step = _after(state, step, grade)
        if n + 1 < len(reviews):
            ivl = _interval(state, step, reviews[n + 1].time_ms - review.time_ms)
        elif final is not None and final.due_ms is not None:
            # The card's real schedule says how the last review ended.
            if final.state == CardState.NEW:
                ivl = 0
            elif final.state == CardState.REVIEW:
                ivl = max(1, round((final.due_ms - review.time_ms) / 86_400_000))
            else:
                ivl = -max(1, (final.due_ms - review.time_ms) // 1000)
        else:
            ivl = _interval(state, step, None)
        rows.append((
            _unique(int(review.time_ms), used), cid, -1, grade, ivl, last_ivl,
            0 if kind == 0 else _FACTOR,
            min(_MAX_REVLOG_TIME_MS, max(0, int(review.duration_ms))), kind,
        ))
        last_ivl = ivl
    return rows


def _interval(state: int, step: int, gap_ms: int | None) -> int:
    if state == CardState.REVIEW:
        return max(1, round(gap_ms / 86_400_000)) if gap_ms is not None else 1
    steps = _RELEARN_STEPS if state == CardState.RELEARNING else _LEARN_STEPS
    return -steps[min(step, len(steps) - 1)] if steps else -60


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _conf(clock: _Clock, deck_id: int, count: int) -> dict[str, Any]:
    # Anki's own schema 11 defaults (rslib/src/config/schema11.rs). schedVer 2 matters: a
    # v1 collection with scheduled cards gets its learning grades renumbered on import.
    return {
        "activeDecks": [deck_id], "curDeck": deck_id, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": True, "dueCounts": True, "curModel": str(NOTETYPE_ID),
        "nextPos": count + 1, "sortType": "noteFld", "sortBackwards": False,
        "addToCur": True, "dayLearnFirst": False, "schedVer": 2, "sched2021": True,
        "creationOffset": clock.minutes_west, "rollover": _ROLLOVER_HOUR,
    }


def _notetype(deck_id: int) -> dict[str, Any]:
    return {
        "id": NOTETYPE_ID, "name": NOTETYPE_NAME, "type": 0, "mod": _NOTETYPE_MOD,
        "usn": -1, "sortf": 0, "did": deck_id, "css": CSS,
        "flds": [{"name": name, "ord": n, "sticky": False, "rtl": False, "font": "Arial",
                  "size": 20, "media": []} for n, name in enumerate(FIELDS)],
        "tmpls": [{"name": "Card 1", "ord": 0, "qfmt": "{{Front}}",
                   "afmt": "{{FrontSide}}<hr id=answer>{{Back}}", "bqfmt": "", "bafmt": "",
                   "did": None, "bfont": "", "bsize": 0}],
        "req": [[0, "all", [0]]],
        "latexPre": LATEX_PRE, "latexPost": "\\end{document}", "latexsvg": False,
        "tags": [], "vers": [],
    }


def _decks(deck: IncomingDeck, deck_id: int, clock: _Clock) -> dict[str, Any]:
    def one(did: int, name: str, desc: str = "") -> dict[str, Any]:
        return {"id": did, "name": name, "desc": desc, "mod": clock.now_s, "usn": -1,
                "collapsed": False, "browserCollapsed": False, "dyn": 0, "conf": 1,
                "extendNew": 0, "extendRev": 0, "lrnToday": [0, 0], "revToday": [0, 0],
                "newToday": [0, 0], "timeToday": [0, 0]}

    # Anki makes the parents of "Course::Part" itself; the name is kept as the author wrote it.
    return {"1": one(1, "Default"),
            str(deck_id): one(deck_id, deck.title.strip(), html_text(deck.description))}


LATEX_PRE = (
    "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
    "\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n"
    "\\setlength{\\parindent}{0in}\n\\begin{document}\n"
)

# Anki's default options group in schema 11 (what a new Anki 2.1 collection holds).
DECK_CONFIG: dict[str, Any] = {
    "id": 1, "mod": 0, "name": "Default", "usn": 0, "maxTaken": 60, "autoplay": True,
    "timer": 0, "replayq": True, "dyn": False,
    "new": {"bury": False, "delays": [1.0, 10.0], "initialFactor": _FACTOR, "ints": [1, 4, 0],
            "order": 1, "perDay": 20, "separate": True},
    "rev": {"bury": False, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200,
            "hardFactor": 1.2, "fuzz": 0.05, "minSpace": 1},
    "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0},
}

# rslib/src/storage/schema11.sql, tables and indexes as Anki creates them.
SCHEMA = """
CREATE TABLE col (
  id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
  conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
  tags text NOT NULL
);
CREATE TABLE notes (
  id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
  csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
  id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
  due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
  lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
  id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL
);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
"""
