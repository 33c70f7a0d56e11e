"""Real Anki packages for tests, made three ways: by hand, with genanki, and with Anki itself.

* `legacy_apkg`: a schema-11 collection written with sqlite3 the way Anki 2.0/2.1 lays it out
  (`col` with note types and decks as JSON, `notes`, `cards`, `revlog`, `graves`), zipped as
  `collection.anki2` or `collection.anki21`, optionally with a `meta` member or zstd-compressed
  as `collection.anki21b`. Every detail (ids, times, filtered decks, history) is chosen here.
* `genanki_apkg`: what most shared decks on the web are made with.
* `anki_packages`: Anki's own library builds a collection and exports the current (.apkg,
  schema 18, zstd), legacy (.apkg, schema 11) and whole-collection (.colpkg) packages.

Other test files import these, so they take plain arguments and return paths.
"""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import zstandard

from negodrill.deckio.package import Package
from negodrill.deckio.validate import schema_problems

BASE_TIME = 1_700_000_000  # seconds; note and card times in hand-made collections
UPDATE_TEXT = "Please update to the latest Anki version, then import the .colpkg/.apkg file again."

LEGACY_SCHEMA = """
CREATE TABLE col (
    id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
    ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
    conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
    tags text NOT NULL);
CREATE TABLE notes (
    id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
    usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
    csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (
    id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
    mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
    due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
    lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
    odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (
    id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
    ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
    time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_revlog_cid ON revlog (cid);
"""

# Schema 18 (Anki 2.1.50+) keeps note types and decks in tables, settings as protobuf.
MODERN_TABLES = """
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL,
    config blob NOT NULL, PRIMARY KEY (ntid, ord)) WITHOUT ROWID;
CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL,
    mtime_secs integer NOT NULL, usn integer NOT NULL, config blob NOT NULL,
    PRIMARY KEY (ntid, ord)) WITHOUT ROWID;
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL,
    mtime_secs integer NOT NULL, usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);
"""


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def proto(*fields: tuple[int, int | str | bytes]) -> bytes:
    """A protobuf message from (field number, value): ints as varints, the rest as bytes."""
    out = bytearray()
    for number, value in fields:
        if isinstance(value, int):
            out += _varint(number << 3) + _varint(value)
        else:
            data = value.encode("utf-8") if isinstance(value, str) else value
            out += _varint(number << 3 | 2) + _varint(len(data)) + data
    return bytes(out)


@dataclass(frozen=True)
class Model:
    """A note type: fields in order and (question, answer) templates; kind 1 is cloze."""

    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]
    kind: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.kind, "mod": BASE_TIME, "usn": -1,
            "sortf": 0, "did": 1, "css": ".card {}", "latexPre": "", "latexPost": "",
            "req": [],
            "flds": [{"name": name, "ord": i, "sticky": False, "rtl": False, "font": "Arial",
                      "size": 20, "media": []} for i, name in enumerate(self.fields)],
            "tmpls": [{"name": f"Card {i + 1}", "ord": i, "qfmt": q, "afmt": a, "did": None,
                       "bqfmt": "", "bafmt": ""} for i, (q, a) in enumerate(self.templates)],
        }


ANSWER = "{{FrontSide}}\n\n<hr id=answer>\n\n"
BASIC = Model(1_001, "Basic", ("Front", "Back"), (("{{Front}}", ANSWER + "{{Back}}"),))
REVERSED = Model(1_002, "Basic (and reversed card)", ("Front", "Back"), (
    ("{{Front}}", ANSWER + "{{Back}}"), ("{{Back}}", ANSWER + "{{Front}}")))
CLOZE = Model(1_003, "Cloze", ("Text", "Back Extra"),
              (("{{cloze:Text}}", "{{cloze:Text}}<br>\n{{Back Extra}}"),), kind=1)
# The same layouts under names a German learner would see: mapping must not care.
GERMAN_REVERSED = Model(1_004, "Einfach (mit umgekehrter Karte)", ("Vorderseite", "Rückseite"), (
    ("{{Vorderseite}}", ANSWER + "{{Rückseite}}"), ("{{Rückseite}}", ANSWER + "{{Vorderseite}}")))
THREE_WAY = Model(1_005, "Vocab 3", ("Word", "Meaning", "Example"), (
    ("{{Word}}", ANSWER + "{{Meaning}}"), ("{{Meaning}}", ANSWER + "{{Word}}"),
    ("{{Example}}", ANSWER + "{{Word}}")))
TYPE_IN = Model(1_006, "Basic (type in the answer)", ("Front", "Back"), (
    ("{{Front}}\n\n{{type:Back}}", "{{Front}}\n\n<hr id=answer>\n\n{{type:Back}}"),))
NEGODRILL_MODEL = Model(1_007, "negodrill card", ("Front", "Back", "negodrill"),
                        (("{{Front}}", ANSWER + "{{Back}}"),))


@dataclass(frozen=True)
class Review:
    """One revlog row for the card of template/cloze `ord`."""

    ms: int
    ease: int
    ord: int = 0
    time: int = 5_000
    type: int = 1


@dataclass
class Note:
    fields: Sequence[str]
    model: Model = BASIC
    deck: str = "Default"
    tags: str = ""
    guid: str | None = None
    mod: int = BASE_TIME
    ords: Sequence[int] | None = None  # card rows; default one per template (cloze: c1)
    filtered: str | None = None  # a filtered deck its cards sit in, `deck` being their home
    reviews: Sequence[Review] = field(default_factory=tuple)
    position: int | None = None  # a new card at this new-card position; else a review card


def _deck_json(deck_id: int, name: str, desc: str = "", dyn: int = 0) -> dict[str, Any]:
    return {"id": deck_id, "name": name, "desc": desc, "dyn": dyn, "mod": BASE_TIME,
            "usn": -1, "collapsed": False, "browserCollapsed": False, "conf": 1,
            "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0],
            "extendNew": 0, "extendRev": 0}


def deck_ids(notes: Sequence[Note]) -> dict[str, int]:
    """Deck name -> id as `write_legacy_collection` numbers them (parents included)."""
    names: set[str] = set()
    for note in notes:
        for name in filter(None, (note.deck, note.filtered)):
            parts = name.split("::")
            names.update("::".join(parts[: i + 1]) for i in range(len(parts)))
    names.discard("Default")
    ids = {"Default": 1}
    ids.update({name: 10_000 + i for i, name in enumerate(sorted(names))})
    return ids


def write_legacy_collection(
    db: Path, notes: Sequence[Note], *, with_revlog: bool = True,
    descriptions: dict[str, str] | None = None, extra_models: Sequence[Model] = (),
    schema: int = 11,
) -> dict[str, int]:
    """A schema-11 collection at `db` (or, with `schema=18`, the current layout with note
    types and decks in tables); returns deck name -> id. Card ids are nid*10 + ord."""
    ids = deck_ids(notes)
    filtered = {n.filtered for n in notes if n.filtered}
    decks = {str(i): _deck_json(i, name, (descriptions or {}).get(name, ""), int(name in filtered))
             for name, i in ids.items()}
    models = {str(m.id): m.as_json() for m in {*(n.model for n in notes), *extra_models}}
    conn = sqlite3.connect(db)
    try:
        conn.executescript(LEGACY_SCHEMA)
        if schema == 18:
            _modern_tables(conn, models, decks)
            models, decks = {}, {}
        conn.execute(
            "INSERT INTO col VALUES (1, ?, ?, ?, ?, 0, 0, 0, '{}', ?, ?, '{}', '{}')",
            (BASE_TIME, BASE_TIME, BASE_TIME, schema, json.dumps(models), json.dumps(decks)),
        )
        for number, note in enumerate(notes, start=1):
            nid = 1_000_000 + number
            fields = list(note.fields)
            conn.execute(
                "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')",
                (nid, note.guid or f"guid-{number}", note.model.id, note.mod,
                 f" {note.tags} " if note.tags else "", "\x1f".join(fields), fields[0]),
            )
            ords = note.ords if note.ords is not None else (
                [0] if note.model.kind == 1 else range(len(note.model.templates)))
            home = ids[note.deck]
            for ord_ in ords:
                did, odid = (ids[note.filtered], home) if note.filtered else (home, 0)
                kind, due = (2, 10) if note.position is None else (0, note.position)
                conn.execute(
                    "INSERT INTO cards VALUES (?, ?, ?, ?, ?, -1, ?, ?, ?, 3, 2500, 1, 0, 0, "
                    "0, ?, 0, '')",
                    (nid * 10 + ord_, nid, did, ord_, BASE_TIME, kind, kind, due, odid),
                )
            if with_revlog:
                for review in note.reviews:
                    conn.execute(
                        "INSERT INTO revlog VALUES (?, ?, -1, ?, 1, 0, 2500, ?, ?)",
                        (review.ms, nid * 10 + review.ord, review.ease, review.time,
                         review.type),
                    )
        conn.commit()
    finally:
        conn.close()
    return ids


def _modern_tables(conn: sqlite3.Connection, models: dict[str, Any],
                   decks: dict[str, Any]) -> None:
    conn.executescript(MODERN_TABLES)
    for model in models.values():
        config = proto(*([(1, 1)] if model["type"] == 1 else []), (3, model["css"]))
        conn.execute("INSERT INTO notetypes VALUES (?, ?, 0, -1, ?)",
                     (model["id"], model["name"], config))
        for fld in model["flds"]:
            conn.execute("INSERT INTO fields VALUES (?, ?, ?, ?)",
                         (model["id"], fld["ord"], fld["name"], proto((3, "Arial"), (4, 20))))
        for tmpl in model["tmpls"]:
            conn.execute("INSERT INTO templates VALUES (?, ?, ?, 0, -1, ?)",
                         (model["id"], tmpl["ord"], tmpl["name"],
                          proto((1, tmpl["qfmt"]), (2, tmpl["afmt"]))))
    for deck in decks.values():
        kind = proto((2, proto((1, 1)))) if deck["dyn"] else \
            proto((1, proto((1, 1), (4, deck["desc"]))))
        conn.execute("INSERT INTO decks VALUES (?, ?, 0, -1, ?, ?)",
                     (deck["id"], deck["name"].replace("::", "\x1f"), proto((1, 1)), kind))


def dummy_collection(db: Path) -> None:
    """What current Anki puts in `collection.anki2` for old versions: one "please update" note."""
    write_legacy_collection(db, [Note([UPDATE_TEXT, ""], guid="update-note")])


def zip_members(path: Path, members: dict[str, bytes],
                compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip made in memory (for tests that feed many packages)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def mark_encrypted(path: Path) -> Path:
    """Set the "encrypted" flag on every member (zipfile itself cannot write one)."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 0x1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


def zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


META_LEGACY1, META_LEGACY2, META_LATEST = b"\x08\x01", b"\x08\x02", b"\x08\x03"


def legacy_apkg(
    path: Path, notes: Sequence[Note], *, with_revlog: bool = True,
    member: str = "collection.anki2", meta: bytes | None = None, with_dummy: bool = False,
    extra: dict[str, bytes] | None = None, descriptions: dict[str, str] | None = None,
    compression: int = zipfile.ZIP_DEFLATED, schema: int = 11,
) -> Path:
    """A package whose collection is written by hand. `member` "collection.anki21b" stores the
    database zstd-compressed, as current packages do (with `schema=18` for the current layout);
    `with_dummy` adds the "please update" collection.anki2 current Anki writes beside it."""
    work = path.with_name(path.name + ".build")
    work.mkdir()
    db = work / "collection.db"
    write_legacy_collection(db, notes, with_revlog=with_revlog, descriptions=descriptions,
                            schema=schema)
    data = db.read_bytes()
    members: dict[str, bytes] = {}
    if meta is not None:
        members["meta"] = meta
    members[member] = zstd(data) if member.endswith("b") else data
    if with_dummy:
        dummy_collection(work / "dummy.db")
        members["collection.anki2"] = (work / "dummy.db").read_bytes()
    members["media"] = zstd(b"") if member.endswith("b") else b"{}"
    members.update(extra or {})
    return zip_members(path, members, compression)


def latest_apkg(path: Path, notes: Sequence[Note], **options: Any) -> Path:
    """A current package, written by hand: schema 18, zstd, meta, and the dummy anki2."""
    return legacy_apkg(path, notes, member="collection.anki21b", meta=META_LATEST,
                       with_dummy=True, schema=18, compression=zipfile.ZIP_STORED, **options)


def genanki_apkg(path: Path) -> Path:
    """A package as genanki writes it: Basic, Basic-and-reversed and Cloze notes in two decks."""
    import genanki

    verbs = genanki.Deck(2_059_400_110, "Verbs::Irregular")
    nouns = genanki.Deck(2_059_400_111, "Nouns", description="<i>Common</i> nouns")
    verbs.add_note(genanki.Note(model=genanki.BASIC_MODEL, fields=["ir", "to go"],
                                guid="verb-ir", tags=["verb", "irregular"]))
    verbs.add_note(genanki.Note(model=genanki.BASIC_AND_REVERSED_CARD_MODEL,
                                fields=["ser", "to be"], guid="verb-ser"))
    nouns.add_note(genanki.Note(
        model=genanki.CLOZE_MODEL, guid="noun-cloze",
        fields=["El {{c1::perro}} y el {{c2::gato::animal}}", "pets"]))
    nouns.add_note(genanki.Note(model=genanki.BASIC_MODEL,
                                fields=['<img src="house.png">', "house"], guid="noun-img"))
    genanki.Package([verbs, nouns]).write_to_file(str(path), timestamp=BASE_TIME)
    return path


def negodrill_json(deck: dict[str, Any], card: dict[str, Any],
                   techniques: list[dict[str, Any]] | None = None) -> str:
    """The `negodrill` field of negodrill's own exports."""
    doc: dict[str, Any] = {"deck": deck, "card": card}
    if techniques is not None:
        doc["techniques"] = techniques
    return json.dumps(doc)


NATIVE_DECK = {"id": "3f1c8d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", "title": "Negotiation basics",
               "revision": 3, "description": "Labels and no-oriented questions"}
NATIVE_TECHNIQUES = [{"id": "label", "name": "Label"}]
NATIVE_CARD = {"id": "label-rent", "type": "drill", "situation": "The landlord raises the rent.",
               "prompt": "Say it as a label.", "technique": "label",
               "rewrites": ["It seems like the costs have gone up for you."], "rev": 2}


@dataclass(frozen=True)
class AnkiPackages:
    latest: Path  # .apkg, schema 18, zstd (Anki 2.1.50+)
    legacy: Path  # .apkg, schema 11 collection.anki21 ("support older Anki versions")
    colpkg: Path  # the whole collection


def anki_packages(folder: Path) -> AnkiPackages:
    """Build a collection with Anki's library and export it three ways.

    Decks and notes: "Lang::Spanish" (Basic hola/hello tagged es greet, answered Good in 4.2 s,
    then Again; an image-only note; a cloze with two deletions, one hinted), "Lang::French"
    (Basic-and-reversed chat/cat, moved into the filtered deck "Filtered Deck 1"),
    "Sprachen::Deutsch" (a copy of the reversed type renamed into German: Hund/dog),
    "Negotiation" (a note of a type with a `negodrill` field holding NATIVE_CARD).
    """
    from anki.collection import Collection, ExportAnkiPackageOptions

    # Typed loosely: Anki's stubs want DeckId/NoteId wrappers where plain ints work.
    col: Any = Collection(str(folder / "collection.anki2"))
    try:
        spanish = col.decks.id("Lang::Spanish")
        french = col.decks.id("Lang::French")
        german = col.decks.id("Sprachen::Deutsch")
        negotiation = col.decks.id("Negotiation")
        deck = col.decks.get(spanish)
        assert deck is not None
        deck["desc"] = "<b>Spanish</b> words"
        col.decks.save(deck)

        def add(model_name: str, fields: list[str], deck_id: int, tags: str = "") -> Any:
            model = col.models.by_name(model_name)
            assert model is not None
            note = col.new_note(model)
            for i, value in enumerate(fields):
                note.fields[i] = value
            note.tags = tags.split()
            col.add_note(note, deck_id)
            return note

        hola = add("Basic", ["hola", "hello"], spanish, "es greet")
        add("Basic", ['<img src="dog.png">', "dog"], spanish)
        add("Cloze", ["{{c1::Madrid}} is the capital of {{c2::Spain::country}}", "geo"], spanish)
        add("Basic (and reversed card)", ["chat", "cat"], french, "fr")

        reversed_type = col.models.by_name("Basic (and reversed card)")
        assert reversed_type is not None
        renamed = col.models.copy(reversed_type, add=False)
        renamed["name"] = "Einfach (mit umgekehrter Karte)"
        renamed["flds"][0]["name"], renamed["flds"][1]["name"] = "Vorderseite", "Rückseite"
        for template, (front, back) in zip(
            renamed["tmpls"], (("Vorderseite", "Rückseite"), ("Rückseite", "Vorderseite")),
            strict=True,
        ):
            template["name"] = "Karte 1" if front == "Vorderseite" else "Karte 2"
            template["qfmt"] = f"{{{{{front}}}}}"
            template["afmt"] = f"{{{{FrontSide}}}}<hr id=answer>{{{{{back}}}}}"
        col.models.add_dict(renamed)
        add("Einfach (mit umgekehrter Karte)", ["Hund", "dog"], german)

        own = col.models.new("negodrill card")
        for name in ("Front", "Back", "negodrill"):
            col.models.add_field(own, col.models.new_field(name))
        template = col.models.new_template("Card 1")
        template["qfmt"], template["afmt"] = "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"
        col.models.add_template(own, template)
        col.models.add_dict(own)
        add("negodrill card", ["The landlord raises the rent.", "It seems like...",
                               negodrill_json(NATIVE_DECK, NATIVE_CARD, NATIVE_TECHNIQUES)],
            negotiation)

        for rating in (2, 0):  # Good, then Again (v3 ratings start at 0 for Again)
            card = hola.cards()[0]
            card.start_timer()
            states = col._backend.get_scheduling_states(card.id)
            col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
        col.db.execute("UPDATE revlog SET time = 4200")

        filtered = col.sched.get_or_create_filtered_deck(deck_id=0)
        filtered.name = "Filtered Deck 1"
        del filtered.config.search_terms[:]
        filtered.config.search_terms.add(search='"deck:Lang::French"', limit=100, order=0)
        col.sched.add_or_update_filtered_deck(filtered)

        out = AnkiPackages(folder / "latest.apkg", folder / "legacy.apkg", folder / "all.colpkg")
        for target, legacy in ((out.latest, False), (out.legacy, True)):
            col.export_anki_package(
                out_path=str(target),
                options=ExportAnkiPackageOptions(with_scheduling=True, with_media=True,
                                                 legacy=legacy, with_deck_configs=False),
                limit=None,
            )
        col.export_collection_package(out_path=str(out.colpkg), include_media=True,
                                      legacy=False)
    finally:
        if col.db is not None:
            col.close(downgrade=False)
    return out


def assert_valid(package: Package) -> None:
    """Every deck read, with its cards, passes the native schema as the importer will check."""
    for deck in package.decks:
        doc: dict[str, Any] = {
            "format": "negodrill-deck", "format_version": 1,
            "deck": {"id": deck.uuid, "title": deck.title, "revision": deck.revision or 1,
                     "description": deck.description},
            "cards": deck.cards,
        }
        if deck.techniques:
            doc["techniques"] = deck.techniques
        assert schema_problems(doc) == [], deck.title
