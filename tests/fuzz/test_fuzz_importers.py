"""Every importer on hostile input: it imports, or it raises a NegodrillError and writes nothing.

The collection each example imports into is a copy of one made once per module: the built-in
decks, a native deck with review history and schedules, a CSV deck and an Anki package, so
damaged versions of those files also walk the update, retire and history-replay paths.
Properties, whatever the bytes:

* the only exception is a NegodrillError (DeckError, DatabaseError, ...), with a message;
* after one, the database dumps exactly as before and no transaction is left open;
* after a success the full integrity check passes; a dry run never writes anything.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import anki_builders, connection, dump, fuzz_settings
from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from negodrill.core.errors import NegodrillError
from negodrill.deckio import importing, native
from negodrill.deckio.anki_package import read_anki_package
from negodrill.deckio.merge import import_package
from negodrill.deckio.reader import read_deck_json
from negodrill.deckio.text_import import read_text_file
from negodrill.paths import database_path
from negodrill.storage.store import Store

DECK_ID = "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901"
T = 1_770_000_000_000  # ms, 2026-02-02


def native_doc(revision: int = 2) -> dict[str, Any]:
    """A valid version-2 deck of every card type but conversations, with history."""
    return {
        "format": "negodrill-deck", "format_version": 2,
        "deck": {"id": DECK_ID, "title": "Fuzz deck", "revision": revision,
                 "description": "For the fuzz tests", "order": "as-written"},
        "techniques": [{"id": "no-question", "name": "No-oriented question"}],
        "cards": [
            {"id": "a", "type": "basic", "front": "Front", "back": "Back", "tags": ["t1"]},
            {"id": "b", "type": "drill", "situation": "Your boss is busy.",
             "prompt": "Can we talk?", "technique": "no-question",
             "rewrites": ["Is now a bad time to talk?",
                          {"text": "Would it be a terrible idea to talk?", "reply": "No."}],
             "pitfalls": [{"text": "Is now a good time?", "why": "It asks for a yes."}],
             "level": 2},
            {"id": "c", "type": "choice", "question": "Which asks for a no?",
             "options": [{"id": "x", "text": "Is now a bad time?", "correct": True},
                         {"id": "y", "text": "Do you have a minute?", "why": "a yes"}]},
            {"id": "d", "type": "basic", "front": "Second", "back": "Card", "rev": 3},
        ],
        "extensions": {
            "x-negodrill-reviews": [
                {"card": "a", "time": T, "grade": 3, "duration_ms": 4000},
                {"card": "a", "time": T + 600_000, "grade": 4},
                {"card": "b", "time": T, "grade": 1, "answer": "Can we talk?",
                 "correct": False, "coach_label": "yes_seeking", "coach_flaws": ["x"]},
            ],
            "x-negodrill-schedules": {
                "a": {"state": 2, "step": None, "stability": 12.5, "difficulty": 4.2,
                      "due": T + 12 * 86_400_000, "last_review": T},
            },
        },
    }


CSV = ('\ufeffFront;Back\r\n"Ja, bitte";"line\r\nbreak"\r\nNein;"""quoted"""\r\n'
       'Third;card\r\n').encode()
ANKI_TEXT = (
    b"#separator:tab\n#html:true\n#tags:file-tag\n#guid column:1\n#notetype column:2\n"
    b"#deck column:3\n#tags column:6\n"
    b"g1\tBasic\tTalks::Price\tIt <b>seems</b> hard\tA label&nbsp;works\tt1 t2\n"
    b'g2\tBasic\tTalks\t"Is now, ""maybe"", bad?"\t"two\nlines"\t\n'
    b"g3\tCloze\tTalks\t{{c1::No}} is safe\t<img src=x.png>\tc\n"
)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@dataclass
class World:
    """The collection every example starts from, the valid files, and a place to work."""

    template: Path
    samples: dict[str, tuple[str, bytes]]  # kind -> (file name, bytes)
    anki_collection: bytes  # the schema-11 collection inside apkg_legacy, unzipped
    work: Path
    counter: Iterator[int]

    def fresh_store(self) -> Store:
        path = self.work / f"c{next(self.counter)}.db"
        shutil.copyfile(self.template, path)
        return Store.open(path)

    def file(self, name: str, data: bytes) -> Path:
        folder = self.work / f"f{next(self.counter)}"
        folder.mkdir()
        path = folder / name
        path.write_bytes(data)
        return path

    def discard(self, store: Store, *paths: Path) -> None:
        store.close()
        assert store.path is not None
        for path in (store.path, *paths):
            for extra in (path, path.with_name(path.name + "-wal"),
                          path.with_name(path.name + "-shm")):
                extra.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    from negodrill.deckio.library import open_library

    build = tmp_path_factory.mktemp("fuzz-import-build")
    ab = anki_builders()
    notes = [
        ab.Note(["hola", "hello"], deck="Lang::Spanish", tags="es",
                reviews=[ab.Review(1_700_000_000_000, 3), ab.Review(1_700_090_000_000, 1)]),
        ab.Note(["chat", "cat"], ab.REVERSED, deck="Lang::French"),
        ab.Note(["{{c1::Madrid}} {{c2::Spain::country}}", "geo"], ab.CLOZE, deck="Geo",
                ords=[0, 1]),
        ab.Note(["x", "y", ab.negodrill_json(ab.NATIVE_DECK, ab.NATIVE_CARD)],
                ab.NEGODRILL_MODEL, deck="Own"),
    ]
    legacy = ab.legacy_apkg(build / "legacy.apkg", notes).read_bytes()
    ab.write_legacy_collection(build / "collection.anki2", notes)
    latest = ab.latest_apkg(build / "latest.apkg", notes).read_bytes()
    deck_json = json.dumps(native_doc(), ensure_ascii=False).encode()
    samples = {
        "native": ("deck.negodeck.json", deck_json),
        "negodeck": ("deck.negodeck", zipped({"deck.json": deck_json})),
        "csv": ("words.csv", CSV),
        "anki_text": ("notes.txt", ANKI_TEXT),
        "apkg_legacy": ("legacy.apkg", legacy),
        "apkg_latest": ("latest.apkg", latest),
    }
    store = open_library(build / "lib")
    try:
        for kind in ("native", "csv", "anki_text", "apkg_legacy"):
            name, data = samples[kind]
            (build / name).write_bytes(data)
            importing.import_file(store, build / name)
        assert store.integrity_problems(full=True) == []
    finally:
        store.close()
    return World(template=database_path(build / "lib"), samples=samples,
                 anki_collection=(build / "collection.anki2").read_bytes(),
                 work=tmp_path_factory.mktemp("fuzz-import-work"), counter=itertools.count())


# --- the importers, as the app, the CLI and the tests call them --------------------------------

Importer = Callable[[Store, Path], object]


def _text(store: Store, path: Path) -> object:
    return import_package(store, read_text_file(path))


def _anki(store: Store, path: Path) -> object:
    return import_package(store, read_anki_package(path))


def _anki_no_history(store: Store, path: Path) -> object:
    return import_package(store, read_anki_package(path, with_history=False),
                          with_history=False)


def _reader(store: Store, path: Path) -> object:
    return read_deck_json(path)  # reads only: the store must stay as it was


IMPORTERS: dict[str, Importer] = {
    "import_file": importing.import_file,
    "import_file_without_history": lambda s, p: importing.import_file(s, p, with_history=False),
    "dry_run": lambda s, p: importing.import_file(s, p, dry_run=True),
    "read_file_then_merge": lambda s, p: import_package(s, importing.read_file(p)),
    "native.import_deck": native.import_deck,
    "text": _text,
    "anki": _anki,
    "anki_without_history": _anki_no_history,
    "reader.read_deck_json": _reader,
}
WRITES_NOTHING = {"dry_run", "reader.read_deck_json"}


def note(what: str) -> None:
    """Count outcomes for `--hypothesis-show-statistics` (outside hypothesis: nothing)."""
    if currently_in_test_context():
        event(what)


def attempt(world: World, how: str, name: str, data: bytes) -> object | None:
    """Import `data` as a file called `name`; check the all-or-nothing properties."""
    store = world.fresh_store()
    path = world.file(name, data)
    try:
        before = dump(store)
        error: NegodrillError | None = None
        try:
            result = IMPORTERS[how](store, path)
        except NegodrillError as exc:
            error = exc
        if error is not None:
            note(f"{how}: {type(error).__name__}")
            assert str(error).strip(), f"{type(error).__name__} without a message"
            assert not connection(store).in_transaction, "a failed import left a transaction"
            assert dump(store) == before, f"a failed import ({error}) changed the database"
            return None
        note(f"{how}: read or imported")
        assert not connection(store).in_transaction
        if how in WRITES_NOTHING:
            assert dump(store) == before, f"{how} changed the database"
        problems = store.integrity_problems(full=True)
        assert problems == [], problems
        return result
    finally:
        world.discard(store, path)


# --- strategies -------------------------------------------------------------------------------

NAMES = ["x.negodeck.json", "x.negodeck", "x.json", "x.apkg", "x.colpkg", "x.csv", "x.tsv",
         "x.txt", "x", "x.zip"]
edit = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 2**31), st.integers(1, 255)),
    st.tuples(st.just("truncate"), st.integers(0, 2**31), st.just(0)),
    st.tuples(st.just("insert"), st.integers(0, 2**31),
              st.binary(min_size=1, max_size=8) | st.sampled_from(
                  [b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b'"', b",", b"\t", b"\n", b"{", b"}",
                   b"[", b"]", b"\\", b"\\ud800", b"1e999", b"PK\x03\x04"])),
    st.tuples(st.just("delete"), st.integers(0, 2**31), st.integers(1, 64)),
)


def mutate(data: bytes, edits: list[tuple[str, int, Any]]) -> bytes:
    out = bytearray(data)
    for kind, position, value in edits:
        at = position % (len(out) + 1)
        if kind == "flip" and out:
            out[at % len(out)] ^= value
        elif kind == "truncate":
            del out[at:]
        elif kind == "insert":
            out[at:at] = value
        elif kind == "delete":
            del out[at:at + value]
    return bytes(out)


# --- 1. arbitrary bytes under any name, into every importer ------------------------------------

@fuzz_settings(60)
@given(data=st.binary(max_size=2048) | st.sampled_from(
           [b"", b"\xef\xbb\xbf", b"{}", b"[]", b"null", b"PK\x05\x06" + bytes(18),
            b"SQLite format 3\x00", b"\x00" * 64, b"\xff\xfe\x00\x00"]),
       name=st.sampled_from(NAMES), how=st.sampled_from(sorted(IMPORTERS)))
def test_arbitrary_bytes(world: World, data: bytes, name: str, how: str) -> None:
    attempt(world, how, name, data)


# --- 2. valid files with bytes flipped, cut, inserted or deleted -------------------------------

def _importers_for(kind: str) -> list[str]:
    own = {"native": ["native.import_deck", "reader.read_deck_json"],
           "negodeck": ["native.import_deck", "reader.read_deck_json"],
           "csv": ["text"], "anki_text": ["text"],
           "apkg_legacy": ["anki", "anki_without_history"],
           "apkg_latest": ["anki", "anki_without_history"]}[kind]
    return ["import_file", "dry_run", *own]


@fuzz_settings(80)
@given(st.data())
def test_mutated_valid_files(world: World, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(sorted(world.samples)), label="kind")
    how = data.draw(st.sampled_from(_importers_for(kind)), label="importer")
    name, base = world.samples[kind]
    edits = data.draw(st.lists(edit, min_size=1, max_size=6), label="edits")
    attempt(world, how, name, mutate(base, edits))


def test_the_valid_samples_import_cleanly(world: World) -> None:
    """The seeds themselves import (re-import) with no error, so mutations start from valid."""
    for kind, (name, data) in sorted(world.samples.items()):
        for how in _importers_for(kind):
            assert attempt(world, how, name, data) is not None, (kind, how)


@fuzz_settings(40)
@given(edits=st.lists(edit, min_size=1, max_size=6),
       how=st.sampled_from(["import_file", "native.import_deck"]))
def test_mutated_deck_json_inside_a_valid_zip(world: World, edits: list[tuple[str, int, Any]],
                                              how: str) -> None:
    """Flipped zip bytes mostly trip the CRC; this reaches the JSON behind a sound zip."""
    inner = mutate(world.samples["native"][1], edits)
    attempt(world, how, "deck.negodeck", zipped({"deck.json": inner}))


# --- 3. a valid JSON deck with arbitrary unicode (and odd values) in its fields ----------------

NASTY = ["", " ", "\x00", "\n", "\r\n", "\u2028", "\ufeff", "\u202e", "\U0001f600",
         "e\u0301\u0301", "a" * 301, "x" * 2001, "<b>", "{{c1::x}}", "\\ud800", "\udbff"]
# Mostly text a schema allows (one line, no NUL), so imports get through to the database;
# sometimes the edge cases around the schema's limits.
one_line = st.text(st.characters(blacklist_categories=("Cs",),
                                 blacklist_characters="\n\r\x00"), min_size=1, max_size=60)
texts = st.one_of(one_line, one_line, st.text(max_size=60),
                  st.sampled_from(NASTY))
slugs = st.one_of(st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,10}\Z"),
                  st.from_regex(r"\A[a-z0-9][a-z0-9-]{0,10}\Z"), texts)


@st.composite
def odd_decks(draw: st.DrawFn) -> dict[str, Any]:
    """The valid deck with a few of its texts (title, fields, ids, tags, answers) replaced."""
    doc = native_doc(revision=draw(st.sampled_from([2, 3]) | st.sampled_from([1, 0, -1, 2**62]),
                                   label="revision"))
    if draw(st.booleans(), label="a new deck id"):
        doc["deck"]["id"] = draw(st.uuids(), label="id").hex[:8] + DECK_ID[8:]
    targets: list[tuple[dict[str, Any], str]] = [(doc["deck"], "title"),
                                                 (doc["deck"], "description")]
    for card in doc["cards"]:
        targets += [(card, key) for key, value in card.items()
                    if key not in ("type", "options") and isinstance(value, str | list)]
        targets += [(option, key) for option in card.get("options", ()) for key in option
                    if key != "correct"]
    targets += [(entry, "answer") for entry in doc["extensions"]["x-negodrill-reviews"]]
    chosen = draw(st.lists(st.sampled_from(range(len(targets))), min_size=1, max_size=4,
                           unique=True), label="fields")
    for index in chosen:
        container, key = targets[index]
        if key == "tags":
            container[key] = draw(st.lists(texts, max_size=3), label="tags")
        elif key == "rewrites":
            container[key] = draw(st.lists(texts, min_size=1, max_size=3), label="rewrites")
        elif key == "pitfalls":
            container[key] = [{"text": draw(texts, label="pitfall"), "why": "why"}]
        else:
            container[key] = draw(slugs if key in ("id", "technique") else texts, label=key)
    return doc


json_scalars = (st.none() | st.booleans() | st.integers(-2**64, 2**64)
                | st.floats(allow_nan=False) | texts)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(texts, inner, max_size=3), max_leaves=10)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _encode(draw: st.DrawFn, doc: dict[str, Any]) -> tuple[str, bytes]:
    raw = json.dumps(doc, ensure_ascii=draw(st.booleans(), label="ascii")).encode(
        "utf-8", "surrogatepass")
    if draw(st.booleans(), label="zipped"):
        return "deck.negodeck", zipped({"deck.json": raw})
    return "deck.negodeck.json", raw


@fuzz_settings(60)
@given(st.data())
def test_unicode_in_the_fields_of_a_valid_deck(world: World, data: st.DataObject) -> None:
    doc = data.draw(odd_decks(), label="doc")
    name, raw = _encode(data.draw, doc)
    how = data.draw(st.sampled_from(["import_file", "native.import_deck", "dry_run"]),
                    label="importer")
    attempt(world, how, name, raw)


@fuzz_settings(60)
@given(st.data())
def test_any_json_value_anywhere_in_a_valid_deck(world: World, data: st.DataObject) -> None:
    doc = native_doc()
    for _ in range(data.draw(st.integers(1, 3), label="replacements")):
        where = data.draw(st.sampled_from(_paths(doc)[1:]), label="where")
        value = data.draw(json_values, label="value")
        target = doc
        for step in where[:-1]:
            target = target[step]
        if isinstance(target, dict | list):
            target[where[-1]] = value
    name, raw = _encode(data.draw, doc)
    attempt(world, data.draw(st.sampled_from(["import_file", "native.import_deck"])), name, raw)


# --- 4. history and schedules of a native deck: replayed into the collection -------------------

@st.composite
def histories(draw: st.DrawFn) -> dict[str, Any]:
    doc = native_doc(revision=draw(st.sampled_from([2, 3])))
    times = st.integers(946_684_800_000, 4_102_444_800_000) | st.integers(
        T - 5 * 86_400_000, T + 40 * 86_400_000)
    reviews = draw(st.lists(st.fixed_dictionaries(
        {"card": st.sampled_from(["a", "b", "c", "d"]), "time": times,
         "grade": st.integers(1, 4)},
        optional={"duration_ms": st.integers(0, 86_400_000), "correct": st.booleans(),
                  "answer": texts, "coach_label": st.sampled_from(["label", "other"])}),
        max_size=12), label="reviews")
    schedules = draw(st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]),
        st.fixed_dictionaries({
            "state": st.integers(1, 3), "step": st.none() | st.integers(0, 100),
            "stability": st.floats(0, 1e6) | st.just(0), "difficulty": st.floats(0, 1e6),
            "due": times, "last_review": times}),
        max_size=4), label="schedules")
    doc["extensions"] = {"x-negodrill-reviews": reviews, "x-negodrill-schedules": schedules}
    return doc


@fuzz_settings(60)
@given(doc=histories(), how=st.sampled_from(["import_file", "native.import_deck"]),
       fresh=st.booleans())
def test_review_history_and_schedules_replay_soundly(
    world: World, doc: dict[str, Any], how: str, fresh: bool
) -> None:
    """Whatever (schema-valid) history a file carries, an import leaves a sound collection."""
    if fresh:  # a deck the collection does not have yet, rather than an update of one
        doc["deck"]["id"] = "0" * 8 + DECK_ID[8:]
    attempt(world, how, "history.negodeck.json", json.dumps(doc).encode())


# --- 5. CSV and TSV with random delimiters, quotes, NULs, BOMs and encodings -------------------

cells = st.text(max_size=20) | st.sampled_from(
    ['"', '""', "\x00", ",", ";", "\t", "|", "\n", "\r", "\r\n", "#", "#separator:tab",
     "#html:true", "\ufeff", "<br>", " ", "Front", "Back", "é", "\u2028"])
BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1",
             "utf-32"]


@st.composite
def delimited(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|", ":", " "])
                     | st.characters(blacklist_categories=("Cs",)), label="delimiter")
    quotechar = draw(st.sampled_from(['"', "'"]), label="quotechar")
    rows = draw(st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=8),
                label="rows")
    out = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONE]),
                   label="quoting")
    writer_options: dict[str, Any] = {"delimiter": delimiter, "quoting": quoting,
                                      "lineterminator": draw(st.sampled_from(
                                          ["\n", "\r\n", "\r"]), label="line end")}
    if delimiter != quotechar:
        writer_options["quotechar"] = quotechar
    if quoting == csv.QUOTE_NONE:
        writer_options["escapechar"] = "\\"
    try:
        csv.writer(out, **writer_options).writerows(rows)
        text = out.getvalue()
    except (csv.Error, TypeError, ValueError):  # a delimiter csv itself refuses: join by hand
        text = "\n".join(delimiter.join(row) for row in rows)
    if draw(st.booleans(), label="header lines"):
        text = draw(st.sampled_from(["#separator:Comma\n", "#separator:tab\n",
                                     "#separator:|\n", "#html:false\n#columns:Front,Back\n",
                                     "#deck:Fuzz\n#tags:a b\n", "#notetype column:1\n"]),
                    label="header") + text
    encoding = draw(st.sampled_from(ENCODINGS), label="encoding")
    raw = text.encode(encoding, "replace")
    return draw(st.just(b"") | st.sampled_from(BOMS), label="bom") + raw


@fuzz_settings(80)
@given(raw=delimited(), name=st.sampled_from(["x.csv", "x.tsv", "x.txt"]),
       how=st.sampled_from(["import_file", "text", "dry_run"]))
def test_delimited_text(world: World, raw: bytes, name: str, how: str) -> None:
    attempt(world, how, name, raw)


# --- 6. an Anki package whose review log and card rows hold odd numbers -------------------------

# Up to the last millisecond of year 9999; later ones: test_an_anki_review_after_year_9999.
REVLOG_TIMES = st.one_of(
    st.integers(1_600_000_000_000, 1_800_000_000_000),  # 2020..2027: a learner's real history
    st.integers(1, 253_402_300_799_999),
    st.sampled_from([1, 946_684_800_000, 4_102_444_800_000, 253_402_300_799_999]),
)
INT64 = st.integers(-(2**63), 2**63 - 1)
small = st.integers(-3, 6) | INT64


def anki_package_with(world: World, revlog: list[tuple[Any, ...]],
                      cards: list[dict[str, int]]) -> bytes:
    """The legacy sample's collection with its review log replaced and card columns edited."""
    import sqlite3
    import tempfile

    with tempfile.TemporaryDirectory(dir=world.work) as folder:
        db = Path(folder) / "collection.anki2"
        db.write_bytes(world.anki_collection)
        conn = sqlite3.connect(db)
        try:
            ids = [row[0] for row in conn.execute("SELECT id FROM cards ORDER BY id")]
            conn.execute("DELETE FROM revlog")
            conn.executemany(
                "INSERT OR REPLACE INTO revlog VALUES (?, ?, -1, ?, ?, 0, 2500, ?, ?)",
                [(ms, ids[card % len(ids)] if card >= 0 else card, ease, ivl, spent, kind)
                 for ms, card, ease, ivl, spent, kind in revlog])
            for number, changes in enumerate(cards):
                sets = ", ".join(f"{column} = ?" for column in changes)
                if sets:
                    conn.execute(f"UPDATE cards SET {sets} WHERE id = ?",
                                 [*changes.values(), ids[number % len(ids)]])
            conn.commit()
        finally:
            conn.close()
        return zipped({"collection.anki2": db.read_bytes()})


revlogs = st.lists(st.tuples(REVLOG_TIMES, st.integers(-2, 20), small, small, small, small),
                   max_size=12)
card_edits = st.lists(st.dictionaries(
    st.sampled_from(["type", "queue", "due", "ivl", "factor", "reps", "lapses", "odid",
                     "odue", "left"]), small, max_size=4), max_size=4)


@fuzz_settings(50)
@given(revlog=revlogs, cards=card_edits,
       how=st.sampled_from(["import_file", "anki", "anki_without_history", "dry_run"]))
def test_anki_review_log_and_card_columns(world: World, revlog: list[tuple[Any, ...]],
                                          cards: list[dict[str, int]], how: str) -> None:
    """Anki's revlog (time, ease, type, duration) and card columns as some tool wrote them."""
    attempt(world, how, "odd.apkg", anki_package_with(world, revlog, cards))


@pytest.mark.parametrize("ms", [253_402_300_800_000, 10**15, 2**62])
def test_an_anki_review_after_year_9999(world: World, ms: int) -> None:
    """A revlog id (its time in ms) past 9999-12-31: refused or skipped as a DeckError, never
    a ValueError (the dry run takes it, so the preview promises an import that then fails)."""
    attempt(world, "import_file", "future.apkg", anki_package_with(world, [(ms, 0, 3, 1, 5, 1)],
                                                                  []))
