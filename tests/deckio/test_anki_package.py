"""Reading Anki packages of every generation: decks, cards, history, and damaged files refused."""

from __future__ import annotations

import html
import json
import sqlite3
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from anki_builders import (
    BASIC,
    CLOZE,
    GERMAN_REVERSED,
    META_LATEST,
    META_LEGACY1,
    META_LEGACY2,
    NATIVE_CARD,
    NATIVE_DECK,
    NATIVE_TECHNIQUES,
    NEGODRILL_MODEL,
    REVERSED,
    THREE_WAY,
    TYPE_IN,
    UPDATE_TEXT,
    AnkiPackages,
    Note,
    Review,
    anki_packages,
    assert_valid,
    deck_ids,
    genanki_apkg,
    latest_apkg,
    legacy_apkg,
    mark_encrypted,
    negodrill_json,
    write_legacy_collection,
    zip_members,
    zstd,
)

from negodrill.core.errors import Cancelled, DeckError
from negodrill.core.progress import CancelToken
from negodrill.deckio import anki_package
from negodrill.deckio.anki_notes import parse_template, render_cloze
from negodrill.deckio.anki_package import is_anki_package, read_anki_package
from negodrill.deckio.cardmaking import anki_card_id, anki_deck_uuid
from negodrill.deckio.package import IncomingDeck, IncomingReview, Package

SPANISH = [
    Note(["hola", "hello"], deck="Lang::Spanish", tags="es greet", guid="g-hola", mod=1_700_000_500,
         reviews=[Review(1_700_000_001_000, 3, time=4_200, type=0),
                  Review(1_700_000_002_000, 1, time=9_999_999, type=1),
                  Review(1_700_000_003_000, 4, time=-5, type=2),
                  Review(1_700_000_004_000, 2, type=3),
                  Review(1_700_000_005_000, 0, type=4),  # manual reschedule: no grade
                  Review(1_700_000_006_000, 3, type=5)]),  # rescheduled: not an answer
    Note(["<b>adiós</b>", "bye<br>see you"], deck="Lang::Spanish", guid="g-adios"),
    Note(['<img src="dog.png">', "dog"], deck="Lang::Spanish", guid="g-img"),
]


def by_title(package: Package) -> dict[str, IncomingDeck]:
    return {deck.title: deck for deck in package.decks}


def faces(deck: IncomingDeck) -> list[tuple[str, str]]:
    return [(card["front"], card["back"]) for card in deck.cards]


def read(path: Path, **kwargs: Any) -> Package:
    package = read_anki_package(path, **kwargs)
    assert_valid(package)
    return package


def refused(path: Path, match: str) -> str:
    with pytest.raises(DeckError, match=match) as caught:
        read_anki_package(path)
    message = str(caught.value)
    assert message.startswith(f"{path.name}: ")
    assert "\n" not in message
    return message


Builder = Callable[..., Path]


@pytest.fixture(params=["schema 11", "schema 18"])
def make(request: pytest.FixtureRequest) -> Builder:
    """Hand-made packages of both layouts: schema 11 (JSON in `col`) and 18 (tables)."""
    return legacy_apkg if request.param == "schema 11" else latest_apkg


# --- hand-made packages, both schemas ------------------------------------------------------


def test_a_package_gives_its_decks_cards_and_tags(tmp_path: Path, make: Builder) -> None:
    path = make(tmp_path / "spanish.apkg", SPANISH,
                descriptions={"Lang::Spanish": "<p>Words &amp; phrases</p>"})
    package = read(path)
    assert package.name == "spanish.apkg"
    assert package.format == "Anki package"
    [deck] = package.decks  # "Default" and the parent "Lang" hold no cards
    spanish_id = deck_ids(SPANISH)["Lang::Spanish"]
    assert deck.uuid == anki_deck_uuid(spanish_id, "Lang::Spanish")
    assert deck.title == "Lang::Spanish"
    assert deck.description == "Words & phrases"
    assert (deck.revision, deck.newer_only, deck.meta, deck.techniques) == (None, True, {}, [])
    assert faces(deck) == [("hola", "hello"), ("adiós", "bye\nsee you")]
    hola = deck.cards[0]
    assert hola["id"] == anki_card_id("g-hola", 0)
    assert hola["type"] == "basic"
    assert hola["tags"] == ["es", "greet"]
    assert hola["rev"] == 1_700_000_500
    assert hola["extensions"] == {"x-anki": {"guid": "g-hola", "template": 0,
                                             "notetype": "Basic"}}
    assert package.skipped == 1
    assert package.notes == ["1 card was image or audio only and skipped"]


def test_history_keeps_graded_answers_in_time_order_with_bounded_durations(
    tmp_path: Path, make: Builder
) -> None:
    package = read(make(tmp_path / "h.apkg", SPANISH))
    [deck] = package.decks
    assert deck.history == {anki_card_id("g-hola", 0): [
        IncomingReview(time_ms=1_700_000_001_000, grade=3, duration_ms=4_200),
        IncomingReview(time_ms=1_700_000_002_000, grade=1, duration_ms=3_600_000),
        IncomingReview(time_ms=1_700_000_003_000, grade=4, duration_ms=0),
        IncomingReview(time_ms=1_700_000_004_000, grade=2, duration_ms=5_000),
    ]}
    assert read(make(tmp_path / "h2.apkg", SPANISH), with_history=False).decks[0].history \
        == {}


def test_anki21_is_preferred_and_the_update_note_is_never_shown(tmp_path: Path) -> None:
    # Without meta, as Anki 2.1 wrote them: the real anki21 beside a "please update" anki2.
    path = legacy_apkg(tmp_path / "two.apkg", SPANISH, member="collection.anki21",
                       with_dummy=True)
    package = read(path)
    assert [d.title for d in package.decks] == ["Lang::Spanish"]
    assert all(UPDATE_TEXT not in card.get("front", "") for d in package.decks for card in d.cards)


@pytest.mark.parametrize(("member", "meta", "schema"), [
    ("collection.anki2", None, 11), ("collection.anki21", None, 11),
    ("collection.anki21b", None, 11), ("collection.anki2", META_LEGACY1, 11),
    ("collection.anki21", META_LEGACY2, 11), ("collection.anki21b", META_LATEST, 11),
    ("collection.anki21b", META_LATEST, 18), ("collection.anki21b", None, 18),
])
def test_every_generation_gives_the_same_decks_and_ids(
    tmp_path: Path, member: str, meta: bytes | None, schema: int
) -> None:
    reference = read(legacy_apkg(tmp_path / "ref.apkg", SPANISH))
    path = legacy_apkg(tmp_path / "x.apkg", SPANISH, member=member, meta=meta, schema=schema,
                       with_dummy=member != "collection.anki2")
    package = read(path)
    assert package.decks == reference.decks
    assert read(path).decks == package.decks  # a second read: identical ids and text


def test_meta_decides_which_collection_is_read(tmp_path: Path) -> None:
    # meta says legacy 1: the anki2 is the real one even though an anki21 is there too.
    path = legacy_apkg(tmp_path / "m.apkg", SPANISH, member="collection.anki2", meta=META_LEGACY1,
                       extra={"collection.anki21": b"not read"})
    assert read(path).card_count == 2


def test_reversed_three_way_and_type_in_note_types(tmp_path: Path, make: Builder) -> None:
    notes = [
        Note(["chat", "cat"], REVERSED, deck="French", guid="g-chat"),
        Note(["chien", "dog"], REVERSED, deck="French", guid="g-chien", ords=[1]),
        Note(["Haus", "house", "Das Haus ist groß."], THREE_WAY, deck="German", guid="g-haus"),
        Note(["capital of France", "Paris"], TYPE_IN, deck="Geo", guid="g-paris"),
        # The reversed card's question field is blank: the note is read as a whole instead.
        Note(["uno", ""], REVERSED, deck="Blank", guid="g-uno"),
        # ...but an image-only question is skipped, not replaced.
        Note(["dos", '<img src="2.png">'], REVERSED, deck="Blank", guid="g-dos"),
    ]
    package = read(make(tmp_path / "t.apkg", notes))
    decks = by_title(package)
    assert package.skipped == 1
    assert faces(decks["French"]) == [("chat", "cat"), ("cat", "chat"), ("dog", "chien")]
    assert [c["id"] for c in decks["French"].cards] == [
        anki_card_id("g-chat", 0), anki_card_id("g-chat", 1), anki_card_id("g-chien", 1)]
    # Three templates: one card per note, first field in front.
    assert faces(decks["German"]) == [("Haus", "house\n\nDas Haus ist groß.")]
    assert decks["German"].cards[0]["id"] == anki_card_id("g-haus", 0)
    # {{type:Back}} on the question is an empty box, not the answer.
    assert faces(decks["Geo"]) == [("capital of France", "Paris")]
    assert faces(decks["Blank"]) == [("uno", "(empty)"), ("uno", "(empty)"), ("dos", "(empty)")]


def test_a_note_type_renamed_into_another_language_maps_by_its_templates(
    tmp_path: Path, make: Builder
) -> None:
    notes = [Note(["Hund", "dog"], GERMAN_REVERSED, deck="Deutsch", guid="g-hund")]
    [deck] = read(make(tmp_path / "de.apkg", notes)).decks
    assert faces(deck) == [("Hund", "dog"), ("dog", "Hund")]
    assert deck.cards[1]["extensions"]["x-anki"]["notetype"] == GERMAN_REVERSED.name


def test_cloze_cards_one_per_deletion_with_hints_nesting_and_broken_markup(
    tmp_path: Path, make: Builder
) -> None:
    notes = [
        Note(["{{c1::Madrid}} is the capital of {{c2::Spain::country}}", "<i>geo</i>"], CLOZE,
             deck="Cloze", guid="g-madrid", ords=[0, 1]),
        Note(["{{c1::outer {{c2::inner}} end}}", ""], CLOZE, deck="Cloze", guid="g-nest",
             ords=[0, 1]),
        Note(["{{c1::never closed and }} stray }} {{c::x}}", ""], CLOZE, deck="Cloze",
             guid="g-broken", ords=[0]),
        Note(["no deletion here", ""], CLOZE, deck="Cloze", guid="g-none", ords=[0]),
        Note(["{{c1::image-occlusion:rect:left=.1:top=.2}}", ""], CLOZE, deck="Cloze",
             guid="g-io", ords=[0]),
    ]
    package = read(make(tmp_path / "c.apkg", notes))
    [deck] = package.decks
    assert faces(deck) == [
        ("[...] is the capital of Spain", "Madrid is the capital of Spain\n\ngeo"),
        ("Madrid is the capital of [country]", "Madrid is the capital of Spain\n\ngeo"),
        ("[...]", "outer inner end"),
        ("outer [...] end", "outer inner end"),
        ("[...] stray }} {{c::x}}", "never closed and stray }} {{c::x}}"),
    ]
    assert deck.cards[1]["id"] == anki_card_id("g-madrid", 1)
    assert package.skipped == 2
    assert package.notes == [
        "1 card was image or audio only and skipped",
        "1 cloze card was skipped: its note has no deletion with its number",
    ]


def test_cards_in_a_filtered_deck_count_in_their_home_deck(tmp_path: Path, make: Builder) -> None:
    notes = [Note(["uno", "one"], deck="Spanish", filtered="Filtered Deck 1", guid="g-uno"),
             Note(["dos", "two"], deck="Spanish", guid="g-dos")]
    package = read(make(tmp_path / "f.apkg", notes))
    assert [d.title for d in package.decks] == ["Spanish"]
    assert faces(package.decks[0]) == [("uno", "one"), ("dos", "two")]


def test_decks_come_in_name_order_and_titles_are_one_line(tmp_path: Path, make: Builder) -> None:
    notes = [Note(["b", "x"], deck="b::z"), Note(["a", "x"], deck="B::a"),
             Note(["c", "x"], deck="a"), Note(["d", "x"], deck="line\nbreak")]
    package = read(make(tmp_path / "o.apkg", notes))
    assert [d.title for d in package.decks] == ["a", "B::a", "b::z", "line break"]


def test_cards_keep_the_authors_order(tmp_path: Path, make: Builder) -> None:
    # New cards by their new-card position, studied ones after them by creation.
    notes = [Note(["studied", "x"], deck="D"), Note(["third", "x"], deck="D", position=3),
             Note(["first", "x"], deck="D", position=1), Note(["second", "x"], deck="D",
                                                              position=2)]
    [deck] = read(make(tmp_path / "order.apkg", notes)).decks
    assert [card["front"] for card in deck.cards] == ["first", "second", "third", "studied"]


def test_negodrill_own_notes_give_back_the_native_deck_and_cards(
    tmp_path: Path, make: Builder
) -> None:
    field = html.escape(negodrill_json(NATIVE_DECK, NATIVE_CARD, NATIVE_TECHNIQUES), quote=False)
    notes = [
        Note(["The landlord raises the rent.", "…", field], NEGODRILL_MODEL, deck="Negotiation",
             reviews=[Review(1_700_000_009_000, 3)]),
        Note(["plain", "note"], BASIC, deck="Negotiation", guid="g-plain"),
        Note(["broken", "json", "{not json"], NEGODRILL_MODEL, deck="Other", guid="g-broken"),
    ]
    package = read(make(tmp_path / "own.apkg", notes))
    decks = by_title(package)
    own = decks["Negotiation basics"]
    assert own.uuid == NATIVE_DECK["id"]
    assert (own.revision, own.newer_only) == (3, False)
    assert own.description == NATIVE_DECK["description"]
    assert own.meta == NATIVE_DECK
    assert own.techniques == NATIVE_TECHNIQUES
    assert own.cards[0] == NATIVE_CARD
    assert own.cards[1]["id"] == anki_card_id("g-plain", 0)
    assert own.history == {"label-rent": [IncomingReview(1_700_000_009_000, 3, 5_000)]}
    # Damaged negodrill data: read as a plain note (its own field never shown).
    assert faces(decks["Other"]) == [("broken", "json")]
    assert package.notes == ["1 note was read as plain Anki notes: their negodrill data is "
                             "damaged"]


def test_negodrill_own_export_reads_back_exactly(tmp_path: Path) -> None:
    """The contract with `anki_export`: every built-in deck comes back card for card."""
    anki_export = pytest.importorskip("negodrill.deckio.anki_export")
    decks_dir = Path(__file__).resolve().parents[2] / "decks"
    for source in sorted(decks_dir.glob("*.negodeck.json")):
        doc = json.loads(source.read_text(encoding="utf-8"))
        meta = dict(doc["deck"])
        deck = IncomingDeck(uuid=meta["id"], title=meta["title"], cards=doc["cards"],
                            revision=meta["revision"], meta=meta,
                            techniques=doc.get("techniques", []),
                            history={doc["cards"][0]["id"]: [IncomingReview(1_700_000_000_000, 3)]})
        path = tmp_path / f"{source.stem}.apkg"
        anki_export.write_apkg(deck, path)
        [back] = read_anki_package(path).decks
        assert (back.uuid, back.title, back.revision) == (deck.uuid, deck.title, deck.revision)
        assert back.cards == deck.cards
        assert back.meta == meta
        assert back.techniques == deck.techniques
        assert list(back.history) == list(deck.history)


def test_a_negodrill_card_that_breaks_the_schema_is_refused_by_name(tmp_path: Path) -> None:
    bad = {**NATIVE_CARD, "id": "bad-card", "rewrites": []}
    notes = [Note(["x", "y", negodrill_json(NATIVE_DECK, bad, NATIVE_TECHNIQUES)],
                  NEGODRILL_MODEL, deck="N")]
    message = refused(legacy_apkg(tmp_path / "bad.apkg", notes), "bad-card")
    assert "not valid" in message


def test_progress_is_reported_and_cancel_stops_the_read(tmp_path: Path) -> None:
    notes = [Note([f"word {i}", f"meaning {i}"], deck="Many", guid=f"g{i}") for i in range(1200)]
    path = legacy_apkg(tmp_path / "many.apkg", notes)
    calls: list[tuple[int, int, str]] = []
    package = read_anki_package(path, progress=lambda d, t, w: calls.append((d, t, w)))
    assert package.card_count == 1200
    assert calls[0] == (0, 1200, "cards")
    assert calls[-1] == (1200, 1200, "cards")
    assert len(calls) >= 4
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_anki_package(path, cancel=token)


def test_is_anki_package_looks_at_the_members_not_the_name() -> None:
    assert is_anki_package(["collection.anki21b", "meta", "media"])
    assert is_anki_package(["collection.anki2", "media", "0"])
    assert not is_anki_package(["deck.json", "media/x.png"])


def test_a_colpkg_is_called_a_collection_package(tmp_path: Path) -> None:
    path = legacy_apkg(tmp_path / "backup.colpkg", SPANISH, member="collection.anki21b",
                       meta=META_LATEST)
    assert read(path).format == "Anki collection package"


def test_templates_name_their_fields_whatever_the_syntax() -> None:
    names = ["Word", "Meaning", "Extra", "Tags", "Audio"]
    template = parse_template(
        "{{#Extra}}{{hint:Extra}}{{/Extra}} {{ text:Word }} {{Tags}} {{type:Meaning}} "
        "{{^Audio}}none{{/Audio}} {{tts en_US voices=x:Word}} {{Unknown}}",
        "{{FrontSide}}<hr id=answer>{{Meaning}} {{Word}} {{furigana:Audio}}", names,
    )
    # Conditionals, special names ({{Tags}} is Anki's, not the field) and unknown names are
    # not shown; {{type:Meaning}} is an answer box, so Meaning belongs to the back.
    assert template.front == (2, 0)
    assert template.back == (1, 4)
    assert parse_template("{{cloze:Text}}", "{{cloze:Text}}{{Back Extra}}",
                          ["Text", "Back Extra"]).cloze == frozenset({0})


@pytest.mark.parametrize(("text", "number", "question", "answer"), [
    ("{{c1,2::both}} and {{c3::three}}", 2, "[...] and three", "both and three"),
    ("{{c1::a::hint <b>b</b>}}", 1, "[hint <b>b</b>]", "a"),
    ("{{c2::x {{c1::y::why}} z}}", 1, "x [why] z", "x y z"),
    ("}} {{c1::", 1, "}} ", "}} "),
])
def test_cloze_rendering(text: str, number: int, question: str, answer: str) -> None:
    shown, revealed, _seen = render_cloze(text, number)
    assert (shown, revealed) == (question, answer)


def test_a_negodrill_deck_spread_over_two_anki_decks_comes_back_as_one(tmp_path: Path) -> None:
    second = {**NATIVE_CARD, "id": "label-fee"}
    notes = [Note(["a", "b", negodrill_json(NATIVE_DECK, NATIVE_CARD, NATIVE_TECHNIQUES)],
                  NEGODRILL_MODEL, deck="Negotiation::Part 1"),
             Note(["c", "d", negodrill_json(NATIVE_DECK, second, NATIVE_TECHNIQUES)],
                  NEGODRILL_MODEL, deck="Negotiation::Part 2"),
             Note(["c", "d", negodrill_json(NATIVE_DECK, second, NATIVE_TECHNIQUES)],
                  NEGODRILL_MODEL, deck="Negotiation::Part 2")]
    package = read(legacy_apkg(tmp_path / "split.apkg", notes))
    [deck] = package.decks
    assert [card["id"] for card in deck.cards] == ["label-rent", "label-fee"]
    assert package.notes == ["1 card was left out: they repeat another card's id"]


def test_a_negodrill_deck_object_that_breaks_the_schema_is_refused(tmp_path: Path) -> None:
    deck = {**NATIVE_DECK, "revision": 0}
    notes = [Note(["x", "y", negodrill_json(deck, NATIVE_CARD, NATIVE_TECHNIQUES)],
                  NEGODRILL_MODEL, deck="Negotiation")]
    refused(legacy_apkg(tmp_path / "deck.apkg", notes),
            'the negodrill deck in Anki deck "Negotiation" is not valid')


def test_small_members_may_compress_very_well(tmp_path: Path) -> None:
    # Collections are mostly empty pages: under a few MB any ratio is fine (and harmless).
    write_legacy_collection(tmp_path / "c.db", SPANISH)
    # SQLite ignores what lies past the size in its header.
    padded = (tmp_path / "c.db").read_bytes() + bytes(3 * 2**20)
    path = tmp_path / "padded.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("collection.anki2", padded)
        info = archive.getinfo("collection.anki2")
    assert info.file_size / info.compress_size > 200
    assert read(path).card_count == 2


def test_a_collection_saved_in_wal_mode_opens(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    write_legacy_collection(db, SPANISH)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.close()
    path = zip_members(tmp_path / "wal.apkg", {"collection.anki21": db.read_bytes()})
    assert read(path).card_count == 2


# --- genanki -------------------------------------------------------------------------------


def test_a_genanki_package(tmp_path: Path) -> None:
    pytest.importorskip("genanki")
    package = read(genanki_apkg(tmp_path / "genanki.apkg"))
    decks = by_title(package)
    assert list(decks) == ["Nouns", "Verbs::Irregular"]
    assert decks["Nouns"].description == "Common nouns"
    assert faces(decks["Nouns"]) == [("El [...] y el gato", "El perro y el gato\n\npets"),
                                     ("El perro y el [animal]", "El perro y el gato\n\npets")]
    assert faces(decks["Verbs::Irregular"]) == [("ir", "to go"), ("ser", "to be"),
                                                ("to be", "ser")]
    assert decks["Verbs::Irregular"].cards[0]["tags"] == ["verb", "irregular"]
    assert decks["Verbs::Irregular"].cards[0]["id"] == anki_card_id("verb-ir", 0)
    assert package.skipped == 1


# --- Anki's own packages ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def made_by_anki(tmp_path_factory: pytest.TempPathFactory) -> AnkiPackages:
    pytest.importorskip("anki")
    return anki_packages(tmp_path_factory.mktemp("anki"))


@pytest.mark.parametrize("which", ["latest", "legacy", "colpkg"])
def test_packages_exported_by_anki(made_by_anki: AnkiPackages, which: str) -> None:
    path: Path = getattr(made_by_anki, which)
    package = read(path)
    expected_format = "Anki collection package" if which == "colpkg" else "Anki package"
    assert package.format == expected_format
    decks = by_title(package)
    # The filtered deck's cards count in Lang::French; the "please update" anki2 never shows.
    assert list(decks) == ["Lang::French", "Lang::Spanish", "Negotiation basics",
                           "Sprachen::Deutsch"]
    spanish = decks["Lang::Spanish"]
    assert spanish.description == "Spanish words"
    assert faces(spanish) == [
        ("hola", "hello"),
        ("[...] is the capital of Spain", "Madrid is the capital of Spain\n\ngeo"),
        ("Madrid is the capital of [country]", "Madrid is the capital of Spain\n\ngeo"),
    ]
    assert spanish.cards[0]["tags"] == ["es", "greet"]
    [hola_history] = spanish.history.values()
    assert [(r.grade, r.duration_ms) for r in hola_history] == [(3, 4_200), (1, 4_200)]
    assert hola_history[0].time_ms < hola_history[1].time_ms
    assert list(spanish.history) == [spanish.cards[0]["id"]]
    assert faces(decks["Lang::French"]) == [("chat", "cat"), ("cat", "chat")]
    assert faces(decks["Sprachen::Deutsch"]) == [("Hund", "dog"), ("dog", "Hund")]
    own = decks["Negotiation basics"]
    assert own.cards == [NATIVE_CARD]
    assert (own.uuid, own.revision, own.newer_only) == (NATIVE_DECK["id"], 3, False)
    assert package.skipped == 1
    assert all(UPDATE_TEXT not in c.get("front", "") for d in package.decks for c in d.cards)
    assert read_anki_package(path, with_history=False).decks[1].history == {}


def test_anki_generations_give_identical_ids(made_by_anki: AnkiPackages) -> None:
    latest, legacy, colpkg = (read_anki_package(p) for p in
                              (made_by_anki.latest, made_by_anki.legacy, made_by_anki.colpkg))
    assert latest.decks == legacy.decks == colpkg.decks
    assert read_anki_package(made_by_anki.latest).decks == latest.decks


def test_the_anki_fixture_really_has_a_filtered_deck(made_by_anki: AnkiPackages,
                                                     tmp_path: Path) -> None:
    with zipfile.ZipFile(made_by_anki.legacy) as archive:
        (tmp_path / "c.db").write_bytes(archive.read("collection.anki21"))
    conn = sqlite3.connect(tmp_path / "c.db")
    try:
        assert conn.execute("SELECT count(*) FROM cards WHERE odid != 0").fetchone()[0] == 2
    finally:
        conn.close()


# --- damaged and hostile files -------------------------------------------------------------


def test_missing_file_and_folder(tmp_path: Path) -> None:
    refused(tmp_path / "gone.apkg", "no such file")
    (tmp_path / "dir.apkg").mkdir()
    refused(tmp_path / "dir.apkg", "folder")


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "text.apkg"
    path.write_text("front\tback\n")
    refused(path, "not an Anki package")


def test_a_truncated_zip(tmp_path: Path) -> None:
    whole = legacy_apkg(tmp_path / "whole.apkg", SPANISH).read_bytes()
    for cut in (len(whole) // 2, len(whole) - 30):
        path = tmp_path / f"cut{cut}.apkg"
        path.write_bytes(whole[:cut])
        refused(path, "damaged|not an Anki package|cannot be read")


def test_a_corrupt_collection(tmp_path: Path) -> None:
    path = zip_members(tmp_path / "junk.apkg", {"collection.anki2": b"\x00garbage" * 1000})
    refused(path, r"damaged \(its collection is not a readable database\)")


def test_a_collection_missing_its_tables(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (id integer, guid text, mid integer, mod integer, "
                 "tags text, flds text)")
    conn.execute("CREATE VIEW cards AS SELECT 1 AS id, 1 AS nid, 1 AS did, 0 AS ord, 0 AS odid")
    conn.commit()
    conn.close()
    path = zip_members(tmp_path / "notables.apkg", {"collection.anki21": db.read_bytes()})
    refused(path, "damaged or not an Anki collection")


def test_a_legacy_collection_with_damaged_json(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    write_legacy_collection(db, SPANISH)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE col SET models = '{\"1\": [[[' ")
    conn.commit()
    conn.close()
    refused(zip_members(tmp_path / "json.apkg", {"collection.anki2": db.read_bytes()}),
            "models cannot be read")


@pytest.mark.parametrize("member", ["../../evil.txt", "/etc/evil", "..\\..\\evil", "c:evil"])
def test_unsafe_paths(tmp_path: Path, member: str) -> None:
    path = legacy_apkg(tmp_path / "evil.apkg", SPANISH, extra={member: b"x"})
    refused(path, "unsafe path")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_duplicate_members(tmp_path: Path) -> None:
    path = tmp_path / "dup.apkg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we make on purpose
        zip_members(path, {"collection.anki2": b"a"})
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("collection.anki2", b"b")
    refused(path, "twice")


def test_an_encrypted_member(tmp_path: Path) -> None:
    path = mark_encrypted(legacy_apkg(tmp_path / "locked.apkg", SPANISH))
    refused(path, "encrypted")


def test_a_link_member(tmp_path: Path) -> None:
    path = tmp_path / "link.apkg"
    info = zipfile.ZipInfo("collection.anki2")
    info.external_attr = 0o120777 << 16
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(info, b"/etc/passwd")
    refused(path, "link")


def test_an_unreadable_compression_method(tmp_path: Path) -> None:
    path = zip_members(tmp_path / "lzma.apkg", {"collection.anki2": b"x" * 100},
                       compression=zipfile.ZIP_LZMA)
    refused(path, "compression method")


def test_a_deflate_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.apkg"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("collection.anki21", bytes(20 * 2**20))
    refused(path, "compressed suspiciously well")


def test_a_zstd_bomb_stops_at_the_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anki_package, "MAX_COLLECTION_BYTES", 2**20)
    path = zip_members(tmp_path / "zbomb.apkg", {
        "meta": META_LATEST, "collection.anki21b": zstd(bytes(16 * 2**20))},
        compression=zipfile.ZIP_STORED)
    refused(path, "unpacks to more than 1 MB")


def test_damaged_zstd(tmp_path: Path) -> None:
    path = zip_members(tmp_path / "z.apkg", {"meta": META_LATEST,
                                              "collection.anki21b": b"(\xb5/\xfd" + b"\xff" * 64})
    refused(path, "cannot be decompressed")


def test_no_collection(tmp_path: Path) -> None:
    refused(zip_members(tmp_path / "media.apkg", {"media": b"{}", "0": b"png"}),
            "no Anki collection")


@pytest.mark.parametrize(("meta", "match"), [
    (b"\x0a\xff", "version information cannot be read"),  # a length past the end
    (b"\x08", "version information cannot be read"),  # a truncated varint
    (b"\x0f\x01", "version information cannot be read"),  # wire type 7
    (b"\x08\x09", "newer Anki"),
    (b"", "newer Anki"),  # no version at all: Anki says "too new" as well
    (b"\x08\x03" * 600, "version information cannot be read"),  # far too long
])
def test_wrong_protobuf_in_meta(tmp_path: Path, meta: bytes, match: str) -> None:
    path = legacy_apkg(tmp_path / "meta.apkg", SPANISH, member="collection.anki21b", meta=meta)
    refused(path, match)


def test_meta_naming_a_missing_collection(tmp_path: Path) -> None:
    path = legacy_apkg(tmp_path / "m.apkg", SPANISH, member="collection.anki21", meta=META_LATEST)
    refused(path, "collection.anki21b is missing")


def test_too_many_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anki_package, "MAX_CARDS", 2)
    notes = [Note([f"w{i}", "m"], deck="D") for i in range(3)]
    refused(legacy_apkg(tmp_path / "big.apkg", notes), "more than 2 cards")


def test_garbage_in_columns_does_not_crash(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    write_legacy_collection(db, SPANISH)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE notes SET flds = X'C3281F80', tags = 12, mid = 'abc' "
                 "WHERE guid = 'g-adios'")
    conn.execute("UPDATE cards SET ord = -4 "
                 "WHERE nid = (SELECT id FROM notes WHERE guid = 'g-hola')")
    conn.execute("UPDATE col SET decks = ?", (json.dumps({"1": "nonsense", "x": {"id": "q"}}),))
    conn.commit()
    conn.close()
    package = read(zip_members(tmp_path / "garbage.apkg", {"collection.anki2": db.read_bytes()}))
    # Lost decks fall back to Default, as Anki does; the garbled note still becomes a card.
    assert [d.title for d in package.decks] == ["Default"]
    assert package.card_count == 1
