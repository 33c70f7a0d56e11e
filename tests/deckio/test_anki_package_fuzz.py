"""Damaged and hostile Anki packages: whatever the bytes, only a DeckError comes out, quickly.

Flipping bytes of a zip mostly trips its CRC, so the collection inside is damaged too (and the
package re-zipped) to reach the SQLite, JSON, zstd and protobuf readers behind the zip check.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from anki_builders import (
    CLOZE,
    META_LATEST,
    NATIVE_CARD,
    NATIVE_DECK,
    NEGODRILL_MODEL,
    REVERSED,
    THREE_WAY,
    Note,
    Review,
    assert_valid,
    legacy_apkg,
    negodrill_json,
    write_legacy_collection,
    zip_bytes,
    zstd,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negodrill.core.errors import DeckError
from negodrill.deckio.anki_notes import make_notetype, note_faces, parse_clozes, render_cloze
from negodrill.deckio.anki_package import read_anki_package
from negodrill.deckio.anki_protobuf import ProtoError, parse_message
from negodrill.deckio.package import Package

FUZZ = settings(max_examples=60, deadline=5_000, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
MAX_SECONDS = 5.0

NOTES = [
    Note(["hola", "hello"], deck="Lang::Spanish", tags="es",
         reviews=[Review(1_700_000_000_000, 3)]),
    Note(["chat", "cat"], REVERSED, deck="Lang::French"),
    Note(["{{c1::Madrid}} {{c2::Spain::country}}", "geo"], CLOZE, deck="Geo", ords=[0, 1]),
    Note(["Haus", "house", "Das Haus"], THREE_WAY, deck="Deutsch"),
    Note(["x", "y", negodrill_json(NATIVE_DECK, NATIVE_CARD)], NEGODRILL_MODEL, deck="Own"),
]


class Base:
    """Raw collections (schema 11 and 18), and packages: deflated anki2, stored zstd anki21b.

    Built once per module (not a fixture: hypothesis would print all its bytes on a failure)."""

    _cache: dict[str, bytes] = {}

    def __getitem__(self, key: str) -> bytes:
        if not self._cache:
            with tempfile.TemporaryDirectory() as name:
                folder = Path(name)
                write_legacy_collection(folder / "c.db", NOTES)
                write_legacy_collection(folder / "m.db", NOTES, schema=18)
                self._cache.update(
                    db=(folder / "c.db").read_bytes(),
                    modern=(folder / "m.db").read_bytes(),
                    deflated=legacy_apkg(folder / "a.apkg", NOTES).read_bytes(),
                    latest=legacy_apkg(folder / "b.apkg", NOTES, member="collection.anki21b",
                                       meta=META_LATEST,
                                       compression=zipfile.ZIP_STORED).read_bytes(),
                )
        return self._cache[key]

    def __repr__(self) -> str:
        return "Base()"


base = Base()


def read_bytes_as_package(data: bytes, name: str = "fuzz.apkg") -> Package | None:
    """Read `data` as a package file; a DeckError is fine, any other exception fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        started = time.monotonic()
        message = ""
        try:
            package = read_anki_package(path)
        except DeckError as exc:
            message, package = str(exc), None
        assert time.monotonic() - started < MAX_SECONDS
        assert package is not None or message.startswith(f"{name}: ")
        if package is not None:  # whatever was read is valid as it stands
            assert_valid(package)
        return package


def mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for position, value in edits:
        out[position % len(out)] = value
    return bytes(out)


edits = st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=12)


@FUZZ
@given(edits=edits, which=st.sampled_from(["deflated", "latest"]))
def test_mutated_package_bytes(edits: list[tuple[int, int]],
                               which: str) -> None:
    read_bytes_as_package(mutate(base[which], edits))


@FUZZ
@given(edits=edits, member=st.sampled_from(["collection.anki2", "collection.anki21b"]),
       cut=st.none() | st.integers(0, 2**20), schema=st.sampled_from(["db", "modern"]))
def test_mutated_collection_inside_a_valid_zip(
    edits: list[tuple[int, int]], member: str, cut: int | None, schema: str
) -> None:
    db = mutate(base[schema], edits)
    if cut is not None:
        db = db[: cut % (len(db) + 1)]
    members = {"collection.anki21b": zstd(db), "meta": META_LATEST} if member.endswith("b") \
        else {member: db}
    read_bytes_as_package(zip_bytes(members))


@FUZZ
@given(edits=edits)
def test_mutated_zstd_stream(edits: list[tuple[int, int]]) -> None:
    frame = mutate(zstd(base["db"]), edits)
    read_bytes_as_package(zip_bytes({"meta": META_LATEST, "collection.anki21b": frame}))


@FUZZ
@given(data=st.binary(max_size=4096), meta=st.binary(max_size=16),
       member=st.sampled_from(["collection.anki2", "collection.anki21", "collection.anki21b"]))
def test_random_bytes_as_file_member_and_meta(data: bytes, meta: bytes, member: str) -> None:
    read_bytes_as_package(data)
    read_bytes_as_package(b"PK\x03\x04" + data)
    read_bytes_as_package(zip_bytes({member: data}))
    read_bytes_as_package(zip_bytes({"meta": meta, member: data}))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.text(max_size=30)
    | st.sampled_from(["{{Front}}", "{{cloze:Text}}", "{{c1::x}}", "Front", "\x1f"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "name", "type", "flds", "tmpls", "ord", "qfmt", "afmt", "desc",
                         "1001", "1", "dyn"]), inner, max_size=6),
    max_leaves=40,
)


@FUZZ
@given(models=json_values, decks=json_values, flds=st.text(max_size=200),
       tags=st.text(max_size=50), guid=st.text(max_size=20))
def test_odd_json_and_columns_in_a_legacy_collection(
    models: Any, decks: Any, flds: str, tags: str, guid: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "c.db"
        db.write_bytes(base["db"])
        conn = sqlite3.connect(db)
        conn.execute("UPDATE col SET models = ?, decks = ?",
                     (json.dumps(models), json.dumps(decks)))
        conn.execute("UPDATE notes SET flds = ?, tags = ?, guid = ? WHERE id = "
                     "(SELECT min(id) FROM notes)", (flds, tags, guid))
        conn.commit()
        conn.close()
        collection = db.read_bytes()
    package = read_bytes_as_package(zip_bytes({"collection.anki2": collection}))
    if package is not None:
        assert all(card.get("front") or card["type"] != "basic"
                   for deck in package.decks for card in deck.cards)


@FUZZ
@given(blob=st.binary(max_size=64), table=st.sampled_from(
    ["notetypes SET config", "templates SET config", "decks SET kind", "fields SET name",
     "decks SET name"]))
def test_odd_protobuf_and_names_in_a_current_collection(blob: bytes, table: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "c.db"
        db.write_bytes(base["modern"])
        conn = sqlite3.connect(db)
        conn.execute(f"UPDATE {table} = ?", (blob,))
        conn.commit()
        conn.close()
        collection = zstd(db.read_bytes())
    read_bytes_as_package(zip_bytes({"meta": META_LATEST, "collection.anki21b": collection}))


@FUZZ
@given(data=st.binary(max_size=512))
def test_protobuf_decoder_raises_only_its_error(data: bytes) -> None:
    try:
        fields = parse_message(data)
    except ProtoError:
        return
    assert all(isinstance(v, int | bytes) for values in fields.values() for v in values)


cloze_text = st.lists(st.sampled_from(["{{c1::", "{{c2::", "{{c1,2::", "{{c::", "}}", "::",
                                       "a", "<b>", "</b>", "image-occlusion:", "{", "}", ":"]),
                      max_size=60).map("".join)


@FUZZ
@given(text=cloze_text, number=st.integers(0, 3))
def test_cloze_markup_never_crashes(text: str, number: int) -> None:
    parse_clozes(text)
    question, answer, _seen = render_cloze(text, number)
    assert isinstance(question, str)
    assert isinstance(answer, str)


@FUZZ
@given(qfmt=cloze_text | st.text(max_size=80), afmt=st.text(max_size=80),
       kind=st.integers(-1, 3), fields=st.lists(st.text(max_size=40), max_size=4),
       ords=st.lists(st.integers(0, 5), max_size=4, unique=True))
def test_note_mapping_never_crashes(qfmt: str, afmt: str, kind: int, fields: list[str],
                                    ords: list[int]) -> None:
    notetype = make_notetype("x", kind, ["Front", "Back", "Text"], [(qfmt, afmt)])
    for face in note_faces(notetype, fields, sorted(ords)):
        assert isinstance(face.front, str)


def test_deep_cloze_nesting_is_bounded() -> None:
    started = time.monotonic()
    text = "{{c1::" * 100_000 + "x" + "}}" * 100_000
    question, answer, _seen = render_cloze(text, 1)
    assert question.startswith("[...]")
    assert time.monotonic() - started < MAX_SECONDS


def call_bounded(function: Callable[[], object]) -> None:
    started = time.monotonic()
    function()
    assert time.monotonic() - started < MAX_SECONDS


def test_huge_fields_stay_fast(tmp_path: Path) -> None:
    notes = [Note(["<b>" * 300_000, "{{c1::" * 100_000], deck="Big"),
             Note(["{{c1::" * 300_000 + "x", "y"], CLOZE, deck="Big")]
    path = legacy_apkg(tmp_path / "huge.apkg", notes)
    call_bounded(lambda: read_bytes_as_package(path.read_bytes()))
