"""Reading Anki packages (.apkg, .colpkg) into a Package: decks of basic cards and their history.

A package is a zip holding an SQLite collection in one of three generations: `collection.anki2`
and `collection.anki21` (schema 11: note types and decks as JSON in `col`) and the current
zstd-compressed `collection.anki21b` (schema 18: tables with protobuf configs). The `meta`
member says which one to read; current packages also hold a dummy `collection.anki2` that only
asks to update Anki, which must never be shown.

Everything is untrusted: zip members are checked before any is read, the collection is copied
(bounded) into a private temporary folder and opened read-only, its tables and columns are
checked, and counts and lengths are bounded. Every failure is one DeckError naming the file.
"""

from __future__ import annotations

import gc
import json
import re
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zstandard

from negodrill.core.errors import DeckError
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.deckio.anki_notes import (
    NO_DELETION,
    NoteType,
    native_note,
    native_problem,
    note_faces,
    notetypes_from_json,
    notetypes_from_tables,
)
from negodrill.deckio.anki_notes import as_int as _int
from negodrill.deckio.anki_notes import as_text as _text
from negodrill.deckio.anki_protobuf import ProtoError, get_int, get_message, get_str, parse_message
from negodrill.deckio.cardmaking import (
    anki_card_id,
    anki_deck_uuid,
    basic_card,
    clean_tags,
    clip,
    html_to_text,
)
from negodrill.deckio.history import EARLIEST_MS, LATEST_MS
from negodrill.deckio.package import IncomingDeck, IncomingReview, Package
from negodrill.deckio.safezip import ZIP_ERRORS, ZipLimits, check_members

LEGACY1, LEGACY2, LATEST = "collection.anki2", "collection.anki21", "collection.anki21b"
COLLECTIONS = (LEGACY1, LEGACY2, LATEST)
MAX_COLLECTION_BYTES = 2 * 2**30  # a 100,000-card collection with a long history is ~500 MB
# Media is never extracted, so its size only has to be sane; collections compress very well
# (empty SQLite pages), so only a ratio no real file reaches is refused, and only for big ones.
ANKI_LIMITS = ZipLimits(max_members=250_000, max_member_bytes=MAX_COLLECTION_BYTES,
                        max_total_bytes=16 * 2**30, max_ratio=1000, ratio_from_bytes=4 * 2**20)
MAX_META_BYTES = 1024
MAX_NOTES = 200_000
MAX_CARDS = 200_000
MAX_REVIEWS = 2_000_000
MAX_NOTETYPES = 10_000
MAX_DECKS = 10_000
MAX_JSON_CHARS = 64 * 2**20  # col.models / col.decks of a legacy collection
MAX_NOTE_CHARS = 4_000_000  # one note's fields together; cardmaking clips each field further
MAX_SQL_SECONDS = 600.0  # a damaged database must not keep the reader busy for ever
MAX_DURATION_MS = 3_600_000
MAX_TITLE = 300
MAX_DESCRIPTION = 20_000
_CHUNK = 1 << 20
_STEP = 500  # cards between progress reports and cancel checks
_POSITION = re.compile(r'"pos"\s*:\s*(\d{1,12})')
_VERSIONS = {1: (LEGACY1, False), 2: (LEGACY2, False), 3: (LATEST, True)}
_NEEDED = {
    "notes": ("id", "guid", "mid", "mod", "tags", "flds"),
    "cards": ("id", "nid", "did", "ord", "odid"),
}
_LEGACY_NEEDED = {"col": ("models", "decks")}
_MODERN_NEEDED = {
    "notetypes": ("id", "name", "config"),
    "fields": ("ntid", "ord", "name"),
    "templates": ("ntid", "ord", "config"),
    "decks": ("id", "name", "kind"),
}
_REVLOG_NEEDED = {"revlog": ("id", "cid", "ease", "time", "type")}


def is_anki_package(member_names: list[str]) -> bool:
    """True when a zip's members include an Anki collection, whatever the file is called."""
    return any(name in COLLECTIONS for name in member_names)


# --- the zip ---------------------------------------------------------------------------------


def _choose_collection(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], name: str
) -> tuple[str, bool]:
    """(member, zstd-compressed?) as `meta` says, or as Anki guesses for packages without it."""
    if "meta" not in members:
        for member in (LATEST, LEGACY2, LEGACY1):
            if member in members:
                return member, member == LATEST
        raise DeckError(f"{name}: the package holds no Anki collection, so it is not an Anki "
                        "package")
    with archive.open(members["meta"]) as meta_file:
        data = meta_file.read(MAX_META_BYTES + 1)
    try:
        if len(data) > MAX_META_BYTES:
            raise ProtoError("too long")
        version = get_int(parse_message(data), 1)
    except ProtoError:
        raise DeckError(
            f"{name}: the package is damaged (its version information cannot be read)"
        ) from None
    if version not in _VERSIONS:
        raise DeckError(f"{name}: the package was made by a newer Anki than negodrill can read; "
                        "export it again with \"Support older Anki versions\" ticked")
    member, zstd = _VERSIONS[version]
    if member not in members:
        raise DeckError(f"{name}: the package is damaged (its collection {member} is missing)")
    return member, zstd


def _copy_member(source: Any, out: Any, name: str, cancel: CancelToken | None) -> None:
    total = 0
    while chunk := source.read(_CHUNK):
        total += len(chunk)
        if total > MAX_COLLECTION_BYTES:
            raise DeckError(f"{name}: the package's collection unpacks to more than "
                            f"{MAX_COLLECTION_BYTES // 2**20} MB")
        out.write(chunk)
        if cancel is not None:
            cancel.check()


def _extract_collection(path: Path, folder: Path, cancel: CancelToken | None) -> Path:
    """Copy the package's collection (decompressed) into `folder`; nothing else is written."""
    name = path.name
    target = folder / "collection.db"
    try:
        with zipfile.ZipFile(path) as archive:
            members = check_members(archive, name=name, limits=ANKI_LIMITS)
            member, zstd = _choose_collection(archive, members, name)
            with archive.open(members[member]) as source, target.open("wb") as out:
                if zstd:
                    # Streamed with a bounded window: a frame never decides how much we unpack.
                    decompressor = zstandard.ZstdDecompressor(max_window_size=1 << 27)
                    with decompressor.stream_reader(source, read_across_frames=True) as reader:
                        _copy_member(reader, out, name, cancel)
                else:
                    _copy_member(source, out, name, cancel)
    except zstandard.ZstdError:
        raise DeckError(
            f"{name}: the package is damaged (its collection cannot be decompressed)"
        ) from None
    except zipfile.BadZipFile:
        raise DeckError(f"{name}: the file is damaged or is not an Anki package") from None
    except ZIP_ERRORS as exc:
        raise DeckError(f"{name}: the package cannot be read ({exc})") from None
    _no_wal(target)
    return target


def _no_wal(db: Path) -> None:
    """A collection copied in WAL mode cannot be opened read-only without its -shm file; our
    private copy has no WAL to replay, so it is marked as an ordinary rollback-journal file."""
    with db.open("r+b") as handle:
        header = handle.read(20)
        if len(header) == 20 and header.startswith(b"SQLite format 3\x00") and 2 in header[18:20]:
            handle.seek(18)
            handle.write(b"\x01\x01")


# --- the database ------------------------------------------------------------------------------


@contextmanager
def _database(db: Path, name: str, cancel: CancelToken | None) -> Iterator[sqlite3.Connection]:
    """Open read-only; any SQLite failure inside the block becomes one DeckError."""
    deadline = time.monotonic() + MAX_SQL_SECONDS

    def interrupt() -> int:
        late = time.monotonic() > deadline
        return int(late or (cancel is not None and cancel.cancelled))

    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(db.as_uri() + "?mode=ro", uri=True, isolation_level=None)
        conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute("PRAGMA cell_size_check = ON")
        conn.set_progress_handler(interrupt, 20_000)
        yield conn
    except (sqlite3.Error, OverflowError, UnicodeDecodeError):  # SQLite's own error text may be
        # garbled by a damaged schema, and Python then fails to decode the message itself
        if cancel is not None:
            cancel.check()
        if time.monotonic() > deadline:
            raise DeckError(f"{name}: the package's collection takes too long to read; it is "
                            "probably damaged") from None
        raise DeckError(
            f"{name}: the package is damaged (its collection is not a readable database)"
        ) from None
    finally:
        if conn is not None:
            conn.close()


def _has_tables(conn: sqlite3.Connection, needed: Mapping[str, tuple[str, ...]]) -> bool:
    """True when each table exists as a real table (a view could run anything) with the
    columns we read."""
    for table, columns in needed.items():
        kind = conn.execute(
            "SELECT type FROM sqlite_master WHERE name = ? COLLATE NOCASE", (table,)
        ).fetchone()
        have = {str(row[0]).lower()
                for row in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))}
        if kind is None or kind[0] != "table" or not set(columns) <= have:
            return False
    return True


def _check_tables(
    conn: sqlite3.Connection, name: str, needed: Mapping[str, tuple[str, ...]]
) -> None:
    for table in needed:
        if not _has_tables(conn, {table: needed[table]}):
            raise DeckError(f"{name}: the package's collection is damaged or not an Anki "
                            f"collection (no usable {table} table)")


@dataclass
class _Deck:
    id: int
    name: str  # Anki's path, levels joined by "::"
    description: str = ""


def _load_json(conn: sqlite3.Connection, column: str, name: str) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT length({column}), CAST({column} AS TEXT) FROM col LIMIT 1"
    ).fetchone()
    damaged = DeckError(f"{name}: the package's collection is damaged (its {column} cannot be "
                        "read)")
    if row is None or not isinstance(row[0], int) or row[0] > MAX_JSON_CHARS:
        raise damaged
    try:
        value = json.loads(row[1] or "{}")
    except (ValueError, RecursionError):
        raise damaged from None
    if not isinstance(value, dict):
        raise damaged
    return value


def _legacy_schema(
    conn: sqlite3.Connection, name: str
) -> tuple[dict[int, NoteType], dict[int, _Deck]]:
    """Schema 11: note types and decks are JSON objects in the single `col` row."""
    notetypes = notetypes_from_json(_load_json(conn, "models", name), MAX_NOTETYPES)
    decks: dict[int, _Deck] = {}
    for key, deck in list(_load_json(conn, "decks", name).items())[:MAX_DECKS]:
        if isinstance(deck, dict):
            deck_id = _int(deck.get("id"), _int(key))
            decks[deck_id] = _Deck(deck_id, _text(deck.get("name")), _text(deck.get("desc")))
    return notetypes, decks


def _modern_schema(
    conn: sqlite3.Connection, name: str
) -> tuple[dict[int, NoteType], dict[int, _Deck]]:
    """Schema 18: tables, with settings (template text, deck description) in protobuf blobs."""
    limit = (MAX_NOTETYPES * 20,)
    try:
        notetypes = notetypes_from_tables(
            conn.execute("SELECT id, CAST(name AS TEXT), CAST(config AS BLOB) FROM notetypes "
                         "LIMIT ?", (MAX_NOTETYPES,)).fetchall(),
            conn.execute("SELECT ntid, CAST(name AS TEXT) FROM fields ORDER BY ntid, ord "
                         "LIMIT ?", limit).fetchall(),
            conn.execute("SELECT ntid, CAST(config AS BLOB) FROM templates ORDER BY ntid, ord "
                         "LIMIT ?", limit).fetchall(),
        )
        decks: dict[int, _Deck] = {}
        for deck_id, deck_name, kind_blob in conn.execute(
            "SELECT id, CAST(name AS TEXT), CAST(kind AS BLOB) FROM decks LIMIT ?", (MAX_DECKS,)
        ):
            normal = get_message(parse_message(kind_blob or b""), 1)  # KindContainer.normal
            path = "::".join(_text(deck_name).split("\x1f"))
            decks[_int(deck_id)] = _Deck(_int(deck_id), path, get_str(normal, 4))
    except ProtoError:
        raise DeckError(f"{name}: the package's collection is damaged (a note type or deck "
                        "setting cannot be read)") from None
    return notetypes, decks


# --- notes and cards to decks ----------------------------------------------------------------


@dataclass
class _Out:
    """One Anki deck as it is being filled."""

    deck: _Deck
    cards: list[dict[str, Any]] = field(default_factory=list)
    history: dict[str, list[IncomingReview]] = field(default_factory=dict)
    native: dict[str, Any] | None = None  # negodrill's own deck object, from its first note
    techniques: Any = None
    native_cards: list[dict[str, Any]] = field(default_factory=list)
    suspended: set[str] = field(default_factory=set)


@dataclass
class _Counts:
    media: int = 0
    no_deletion: int = 0
    repeated: int = 0
    orphans: int = 0
    bad_native: int = 0
    reviews_cut: bool = False
    reviews_undated: int = 0  # reviews dated before 2000 or after 2099: a broken clock


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Cyclic GC walks every live object again and again while a big package turns into
    hundreds of thousands of small dicts, none of them cyclic garbage: pausing it for the read
    saves about a third of the time. Reference counting still frees everything as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _one_line(text: str, fallback: str) -> str:
    line = " ".join(text.replace("\x00", " ").split())
    return clip(line, MAX_TITLE) or fallback


def _read_cards(
    conn: sqlite3.Connection, name: str, notetypes: dict[int, NoteType], decks: dict[int, _Deck],
    counts: _Counts, progress: Progress, cancel: CancelToken | None,
) -> tuple[dict[int, _Out], dict[int, tuple[_Out, str]]]:
    """Every note's cards, placed in their (original) decks; and card row id -> where it went."""
    for table, limit, what in (("notes", MAX_NOTES, "notes"), ("cards", MAX_CARDS, "cards")):
        count = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if _int(count) > limit:
            raise DeckError(f"{name}: the collection holds more than {limit:,} {what}, more than "
                            "negodrill reads from one file")
    # CAST makes every value an int or NULL, whatever a damaged file stored.
    rows: dict[int, list[tuple[int, int, int]]] = {}  # nid -> (ord, card id, deck id)
    # Notes in the author's order: a card's new-card position is `due` while it is new, and
    # Anki keeps it in `data` ("pos") once studied; without one, by note id (creation time).
    order: dict[int, tuple[int, int]] = {}
    suspended: set[int] = set()
    for cid, nid, did, ord_, odid, queue, due, data in conn.execute(
        "SELECT CAST(id AS INTEGER), CAST(nid AS INTEGER), CAST(did AS INTEGER), "
        "CAST(ord AS INTEGER), CAST(odid AS INTEGER), CAST(queue AS INTEGER), "
        "CASE WHEN type = 0 THEN CAST(due AS INTEGER) END, "
        "CASE WHEN type != 0 THEN substr(CAST(data AS TEXT), 1, 1000) END "
        "FROM cards WHERE ord BETWEEN 0 AND 65535 ORDER BY nid, ord, id"
    ):
        nid = nid or 0
        rows.setdefault(nid, []).append((ord_, cid or 0, odid or did or 0))
        if queue == -1:  # suspended in Anki: it comes in suspended
            suspended.add(cid or 0)
        if due is None and data and (pos := _POSITION.search(data)):
            due = int(pos.group(1))
        key = (1, nid) if due is None else (0, due)
        if key < order.get(nid, (2, 0)):
            order[nid] = key
    outs: dict[int, _Out] = {}
    where: dict[int, tuple[_Out, str]] = {}
    seen_ids: set[str] = set()
    tag_lists: dict[str | None, list[str]] = {}
    total, done, found = sum(len(r) for r in rows.values()), 0, 0

    def out_for(deck_id: int) -> _Out:
        deck_id = deck_id if deck_id in decks else 1  # Anki puts cards of lost decks in Default
        if deck_id not in outs:
            outs[deck_id] = _Out(decks.get(deck_id) or _Deck(1, "Default"))
        return outs[deck_id]

    def place(out: _Out, card: dict[str, Any], cids: list[int]) -> bool:
        card_id = card.get("id")
        key = card_id if isinstance(card_id, str) else repr(card_id)
        if key in seen_ids:
            counts.repeated += 1
            return False
        seen_ids.add(key)
        out.cards.append(card)
        where.update((cid, (out, key)) for cid in cids)
        return True

    progress(0, total, "cards")
    notes = conn.execute(
        "SELECT CAST(id AS INTEGER), CAST(guid AS TEXT), CAST(mid AS INTEGER), "
        "CAST(mod AS INTEGER), CAST(tags AS TEXT), substr(CAST(flds AS TEXT), 1, ?) FROM notes",
        (MAX_NOTE_CHARS,),
    ).fetchall()
    notes.sort(key=lambda note: (*order.get(note[0], (2, 0)), note[0] or 0))
    for nid, guid, mid, mod, tags, flds in notes:
        note_rows = rows.get(nid)
        if not note_rows:
            continue
        found += len(note_rows)
        if done // _STEP != (done + len(note_rows)) // _STEP:
            progress(done + len(note_rows), total, "cards")
            if cancel is not None:
                cancel.check()
        done += len(note_rows)
        notetype = notetypes.get(mid)
        raw_fields = (flds or "").split("\x1f")
        guid = guid or f"nid-{nid}"
        if notetype is not None and notetype.negodrill_field is not None:
            raw = raw_fields[notetype.negodrill_field:][:1]
            doc = native_note(raw[0]) if raw and raw[0].strip() else None
            if doc is not None:
                out = out_for(note_rows[0][2])
                if place(out, doc["card"], [cid for _o, cid, _d in note_rows]):
                    out.native_cards.append(doc["card"])
                    if out.native is None:  # the deck is known by its first note
                        out.native, out.techniques = doc["deck"], doc.get("techniques")
                continue
            counts.bad_native += bool(raw and raw[0].strip())
        by_ord: dict[int, list[tuple[int, int]]] = {}
        for ord_, cid, deck_id in note_rows:
            by_ord.setdefault(ord_, []).append((cid, deck_id))
        if tags not in tag_lists:  # few distinct tag strings: clean each once
            tag_lists[tags] = clean_tags((tags or "").replace("\ufeff", " ").split())
        type_name = notetype.name if notetype is not None else ""
        for face in note_faces(notetype, raw_fields, list(by_ord)):
            card = basic_card(
                anki_card_id(guid, face.ord), face.front, face.back, tags=tag_lists[tags],
                rev=mod or 1,
                extensions={"x-anki": {"guid": guid, "template": face.ord, "notetype": type_name}},
            ) if face.front else None
            if card is None:
                counts.no_deletion += face.reason == NO_DELETION
                counts.media += face.reason != NO_DELETION
                continue
            cids = [cid for ord_ in face.sources for cid, _d in by_ord.get(ord_, ())]
            place(out_for(by_ord[face.sources[0]][0][1]), card, cids)
    counts.orphans = total - found
    for cid in suspended & where.keys():
        out, key = where[cid]
        out.suspended.add(key)
    progress(total, total, "cards")
    return outs, where


def _read_history(
    conn: sqlite3.Connection, where: dict[int, tuple[_Out, str]], counts: _Counts
) -> None:
    """Graded answers (learning, review, relearning, filtered), oldest first, per card.

    A long history has a million rows, so the loop is kept tight: each card's list is found
    once, and reviews are made with positional arguments (half the cost of keywords)."""
    graded = "ease BETWEEN 1 AND 4 AND type BETWEEN 0 AND 3"
    rows = conn.execute(
        "SELECT CAST(id AS INTEGER), CAST(cid AS INTEGER), CAST(ease AS INTEGER), "
        f"CAST(time AS INTEGER) FROM revlog WHERE {graded} AND id BETWEEN ? AND ? "
        "ORDER BY id DESC LIMIT ?", (EARLIEST_MS, LATEST_MS, MAX_REVIEWS + 1),
    ).fetchall()
    counts.reviews_undated = int(conn.execute(
        f"SELECT count(*) FROM revlog WHERE {graded} AND NOT (id BETWEEN ? AND ?)",
        (EARLIEST_MS, LATEST_MS)).fetchone()[0])
    if len(rows) > MAX_REVIEWS:
        counts.reviews_cut = True
        del rows[MAX_REVIEWS:]  # the newest ones are kept
    lists = {cid: out.history.setdefault(key, []) for cid, (out, key) in where.items()}
    for review_id, cid, ease, spent in reversed(rows):
        reviews = lists.get(cid)
        if reviews is not None:
            spent = spent or 0
            duration = spent if 0 <= spent <= MAX_DURATION_MS else (0 if spent < 0
                                                                     else MAX_DURATION_MS)
            reviews.append(IncomingReview(review_id, ease, duration))
    for out in {id(out): out for out, _key in where.values()}.values():
        out.history = {key: reviews for key, reviews in out.history.items() if reviews}


def _check_native(out: _Out, name: str) -> None:
    problem = native_problem(out.native or {}, out.techniques, out.native_cards)
    if problem is not None:
        card_id, message = problem
        where = (f"the negodrill card {card_id}" if card_id
                 else f'the negodrill deck in Anki deck "{_one_line(out.deck.name, "?")}"')
        raise DeckError(f"{name}: {where} is not valid: {message}")


def _incoming(out: _Out, name: str) -> IncomingDeck:
    if out.native is not None:
        _check_native(out, name)
        native = out.native
        return IncomingDeck(
            uuid=native["id"], title=native["title"], cards=out.cards, revision=native["revision"],
            description=native.get("description", ""), meta=dict(native),
            techniques=list(out.techniques or []), history=out.history, newer_only=False,
            suspended=out.suspended,
        )
    deck = out.deck
    return IncomingDeck(
        uuid=anki_deck_uuid(deck.id, deck.name), title=_one_line(deck.name, f"Anki deck {deck.id}"),
        cards=out.cards, description=clip(html_to_text(deck.description), MAX_DESCRIPTION),
        history=out.history, newer_only=True, suspended=out.suspended,
    )


def _merged(decks: list[IncomingDeck]) -> list[IncomingDeck]:
    """negodrill decks split over several Anki decks come back together under their uuid."""
    by_uuid: dict[str, IncomingDeck] = {}
    for deck in decks:
        first = by_uuid.setdefault(deck.uuid, deck)
        if first is not deck:
            first.cards.extend(deck.cards)
            first.suspended |= deck.suspended
            for card_id, reviews in deck.history.items():
                first.history.setdefault(card_id, []).extend(reviews)
    return list(by_uuid.values())


def _notes(counts: _Counts) -> list[str]:
    def were(n: int, what: str) -> str:
        return f"{n} {what}{'' if n == 1 else 's'} {'was' if n == 1 else 'were'}"

    lines = []
    if counts.media:
        lines.append(f"{were(counts.media, 'card')} image or audio only and skipped")
    if counts.no_deletion:
        lines.append(f"{were(counts.no_deletion, 'cloze card')} skipped: its note has no "
                     "deletion with its number")
    if counts.bad_native:
        lines.append(f"{were(counts.bad_native, 'note')} read as plain Anki notes: their "
                     "negodrill data is damaged")
    if counts.repeated:
        lines.append(f"{were(counts.repeated, 'card')} left out: they repeat another card's id")
    if counts.orphans:
        lines.append(f"{were(counts.orphans, 'card')} left out: their note is missing")
    if counts.reviews_cut:
        lines.append(f"only the newest {MAX_REVIEWS:,} reviews of the history were kept")
    if counts.reviews_undated:
        lines.append(f"{were(counts.reviews_undated, 'review')} left out: dated before 2000 or "
                     "after 2099")
    return lines


def _deck_order(deck: IncomingDeck) -> list[str]:
    return [part.casefold() for part in deck.title.split("::")]


def read_anki_package(
    path: Path, *, with_history: bool = True, progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> Package:
    """Read an .apkg or .colpkg (any generation) into decks of basic cards.

    Raises DeckError (message starts with the file's name) or Cancelled, nothing else.
    """
    path = Path(path)
    name = path.name
    check: Callable[[], None] = cancel.check if cancel is not None else lambda: None
    try:
        if not path.is_file():
            raise DeckError(f"{name}: no such file" if not path.exists()
                            else f"{name}: is a folder, not an Anki package")
        if not zipfile.is_zipfile(path):
            raise DeckError(f"{name}: the file is damaged or is not an Anki package (it is not "
                            "a zip archive)")
    except OSError as exc:
        raise DeckError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    counts = _Counts()
    try:
        with tempfile.TemporaryDirectory(prefix="negodrill-anki-") as folder:
            db = _extract_collection(path, Path(folder), cancel)
            check()
            with _database(db, name, cancel) as conn, _gc_paused():
                _check_tables(conn, name, _NEEDED)
                if _has_tables(conn, _MODERN_NEEDED):
                    _check_tables(conn, name, _MODERN_NEEDED)
                    notetypes, decks = _modern_schema(conn, name)
                else:
                    _check_tables(conn, name, _LEGACY_NEEDED)
                    notetypes, decks = _legacy_schema(conn, name)
                check()
                outs, where = _read_cards(conn, name, notetypes, decks, counts, progress, cancel)
                check()
                if with_history and _has_tables(conn, _REVLOG_NEEDED):
                    _read_history(conn, where, counts)
    except OSError as exc:  # our own temporary folder: full disk, permissions
        raise DeckError(f"{name}: the package cannot be unpacked ({exc.strerror or exc})") from None
    check()
    decks_in = _merged([_incoming(out, name) for out in outs.values() if out.cards])
    decks_in.sort(key=_deck_order)
    fmt = "Anki collection package" if path.suffix.lower() == ".colpkg" else "Anki package"
    return Package(name=name, format=fmt, decks=decks_in, skipped=counts.media +
                   counts.no_deletion, notes=_notes(counts))
