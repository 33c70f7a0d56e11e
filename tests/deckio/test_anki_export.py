"""Writing a deck as an Anki package: a real schema 11 collection that Anki itself imports,
updates in place on a second export, and schedules like negodrill when history comes along."""

from __future__ import annotations

import copy
import html
import json
import os
import sqlite3
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from negodrill.core.errors import Cancelled, DeckError
from negodrill.core.progress import CancelToken
from negodrill.deckio import anki_export
from negodrill.deckio.anki_export import guid_for, html_text, note_fields, write_apkg
from negodrill.deckio.package import CardProgress, IncomingDeck, IncomingReview

UUID = "0f0e0d0c-0b0a-4908-8706-050403020100"
TITLE = "Negotiation::Shared drills"
MINUTE, HOUR, DAY = 60_000, 3_600_000, 86_400_000


def cards() -> list[dict[str, Any]]:
    return [
        {
            "id": "rent", "type": "drill", "rev": 2, "technique": "no-question",
            "situation": "The landlord wants +8% & you <really> like the flat.\nSecond line.",
            "prompt": 'Can we keep the rent at "$1,450"?',
            "rewrites": ["Would it be ridiculous to keep the rent at $1,450?",
                         "It seems like keeping the rent is off the table."],
            "pitfalls": [{"text": "Is $1,450 okay?", "why": "Still asks for a yes."}],
            "notes": "A no\tfeels safe.", "tags": ["housing", "money"],
            "extensions": {"x-demo": {"kept": True}},
        },
        {"id": "label", "type": "basic", "front": "What is a label?", "back": "A named feeling.",
         "tags": ["theory"]},
        {
            "id": "quiz", "type": "choice", "question": "Which one is no-oriented?",
            "options": [
                {"id": "a", "text": "Is now a bad time?", "correct": True,
                 "why": "\"No\" lets them feel safe."},
                {"id": "b", "text": "Do you have a minute?", "why": "Fishes for a yes."},
            ],
        },
        {"id": "from-anki", "type": "basic", "front": "Mirror", "back": "Repeat the last words.",
         "extensions": {"x-anki": {"guid": "Anki:guid{1}"}}},
        # The reverse card of the same Anki note: its GUID cannot be reused.
        {"id": "from-anki-reverse", "type": "basic", "front": "Repeat the last words.",
         "back": "Mirror", "extensions": {"x-anki": {"guid": "Anki:guid{1}"}}},
    ]


def make_deck(card_list: list[dict[str, Any]] | None = None, **kw: Any) -> IncomingDeck:
    return IncomingDeck(
        uuid=UUID, title=TITLE, cards=cards() if card_list is None else card_list, revision=3,
        description="Practice deck.", meta={"license": "CC-BY-4.0", "language": "en"},
        techniques=[{"id": "no-question", "name": "No-oriented question"}], **kw,
    )


def open_package(path: Path, tmp_path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["collection.anki2", "media"]
        assert json.loads(archive.read("media")) == {}
        archive.extract("collection.anki2", tmp_path / "unzipped")
    return sqlite3.connect(tmp_path / "unzipped" / "collection.anki2")


def hidden(flds: str) -> dict[str, Any]:
    return json.loads(html.unescape(flds.split("\x1f")[2]))


# -- the file itself, without Anki ------------------------------------------------------------

def test_package_is_a_schema_11_collection_with_anki_columns(tmp_path: Path) -> None:
    from genanki.apkg_schema import APKG_SCHEMA

    path = tmp_path / "deck.apkg"
    assert write_apkg(make_deck(), path) == 5
    db = open_package(path, tmp_path)
    reference = sqlite3.connect(":memory:")
    reference.executescript(APKG_SCHEMA)

    def layout(conn: sqlite3.Connection) -> dict[str, Any]:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        indexes = {r[0]: r[1] for r in conn.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY name")}
        columns = {t: [(c[1], c[2].lower(), c[3], c[5]) for c in
                       conn.execute(f"PRAGMA table_info({t})")] for t in tables}
        return {"tables": tables, "indexes": indexes, "columns": columns}

    assert layout(db) == layout(reference)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ver, crt, conf, models, decks, dconf = db.execute(
        "SELECT ver, crt, conf, models, decks, dconf FROM col").fetchone()
    assert ver == 11
    assert json.loads(conf)["schedVer"] == 2
    (model,) = json.loads(models).values()
    assert model["name"] == "negodrill"
    assert [f["name"] for f in model["flds"]] == ["Front", "Back", "negodrill"]
    assert model["tmpls"][0]["qfmt"] == "{{Front}}"
    assert model["tmpls"][0]["afmt"] == "{{FrontSide}}<hr id=answer>{{Back}}"
    assert "negodrill" not in model["tmpls"][0]["qfmt"] + model["tmpls"][0]["afmt"]
    names = {d["name"] for d in json.loads(decks).values()}
    assert names == {"Default", TITLE}
    assert "1" in json.loads(dconf)
    assert db.execute("SELECT count(*) FROM notes").fetchone() == (5,)
    assert db.execute("SELECT count(*) FROM cards WHERE queue = 0 AND type = 0").fetchone() \
        == (5,)
    assert db.execute("SELECT count(*) FROM revlog").fetchone() == (0,)
    ids = db.execute("SELECT id FROM notes UNION ALL SELECT id FROM cards").fetchall()
    assert all(0 < i < int(time.time() * 1000) for (i,) in ids)  # Anki keeps past-like ids


def test_hidden_field_holds_the_deck_and_card_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "deck.apkg"
    write_apkg(make_deck(), path)
    db = open_package(path, tmp_path)
    rows = db.execute("SELECT flds, tags FROM notes ORDER BY id").fetchall()
    by_id = {hidden(flds)["card"]["id"]: (hidden(flds), tags) for flds, tags in rows}
    assert [by_id[c["id"]][0]["card"] for c in cards()] == cards()
    data, tags = by_id["rent"]
    assert data["deck"] == {"license": "CC-BY-4.0", "language": "en", "id": UUID,
                            "title": TITLE, "revision": 3, "description": "Practice deck."}
    assert data["techniques"] == [{"id": "no-question", "name": "No-oriented question"}]
    assert tags == " housing money "


def test_fields_show_each_card_type_as_escaped_html() -> None:
    drill, basic, choice = cards()[:3]
    front, back = note_fields(drill)
    assert "The landlord wants +8% &amp; you &lt;really&gt; like the flat.<br>Second line." \
        in front
    assert "Rewrite as a no-oriented question or a mislabel:" in front
    assert "Can we keep the rent at &quot;$1,450&quot;?" in front
    assert "<li>Would it be ridiculous to keep the rent at $1,450?</li>" in back
    assert "Is $1,450 okay?<br><span class=nd-why>Still asks for a yes.</span>" in back
    assert "A no feels safe." in back  # a tab becomes a space
    assert note_fields(basic) == ("What is a label?", "A named feeling.")
    front, back = note_fields(choice)
    assert front == ("Which one is no-oriented?<ol><li>Is now a bad time?</li>"
                     "<li>Do you have a minute?</li></ol>")
    assert "1. Is now a bad time?" in back
    assert "&quot;No&quot; lets them feel safe." in back
    assert "Fishes for a yes." in back
    for text in (*note_fields(drill), *note_fields(choice)):
        assert not set(text) & {"\t", "\n", '"'}
    with pytest.raises(DeckError, match="unknown card type"):
        note_fields({"id": "x", "type": "cloze"})


def test_a_version_2_drill_shows_its_moves_and_every_reply() -> None:
    drill = {"id": "lab", "type": "drill", "situation": "A neighbour is furious.",
             "prompt": "Calm down.", "prompt_reply": "Don't tell me to calm down.",
             "technique": "label", "accepts": ["label"],
             "rewrites": [{"text": "You seem exhausted.", "reply": "I am."}, "Sounds rough."],
             "pitfalls": [{"text": "Why so upset?", "why": "Defensive.", "reply": "Because!"}]}
    front, back = note_fields(drill)
    assert "Rewrite as a label:" in front
    assert "They: “Don&#x27;t tell me to calm down.”" in back or \
        "They: “Don't tell me to calm down.”" in back
    assert "<li>You seem exhausted.<br><span class=nd-reply>They: “I am.”</span></li>" in back
    assert "<li>Sounds rough.</li>" in back
    assert "<span class=nd-reply>They: “Because!”</span>" in back


@given(st.text())
def test_html_text_reads_back_as_the_text(text: str) -> None:
    shown = html_text(text)
    assert not set(shown) & {"\t", "\n", "\r", '"'}
    expected = (text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
                .replace("\x1f", " ").replace("\x00", ""))
    assert html.unescape(shown.replace("<br>", "\n")) == expected


def test_ids_and_guids_are_stable_and_genanki_compatible(tmp_path: Path) -> None:
    import genanki

    assert guid_for(UUID, "label") == genanki.guid_for(UUID, "label")
    first, second = tmp_path / "a.apkg", tmp_path / "b.apkg"
    write_apkg(make_deck(), first)
    write_apkg(make_deck(), second)
    query = ("SELECT n.guid, n.id, c.id FROM notes n JOIN cards c ON c.nid = n.id "
             "ORDER BY c.due")
    (tmp_path / "1").mkdir()
    (tmp_path / "2").mkdir()
    rows = open_package(first, tmp_path / "1").execute(query).fetchall()
    assert rows == open_package(second, tmp_path / "2").execute(query).fetchall()
    guids = [r[0] for r in rows]
    assert guids[0] == guid_for(UUID, "rent")
    assert guids[3] == "Anki:guid{1}"  # came from Anki: the learner's note is the one updated
    assert guids[4] == guid_for(UUID, "from-anki-reverse")
    assert len(set(guids)) == len({r[1] for r in rows}) == len({r[2] for r in rows}) == 5


# -- errors, progress, cancelling -------------------------------------------------------------

def test_a_deck_without_cards_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DeckError, match="no cards"):
        write_apkg(make_deck([]), tmp_path / "deck.apkg")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_target_is_a_deck_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DeckError, match="no such folder"):
        write_apkg(make_deck(), blocker / "deck.apkg")
    with pytest.raises(DeckError, match="no such folder"):
        write_apkg(make_deck(), tmp_path / "missing" / "deck.apkg")
    assert not (tmp_path / "missing").exists()  # never made: a typo is reported, not created
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o500)
    try:
        if os.access(readonly, os.W_OK):
            pytest.skip("running as a user who can write anywhere")
        with pytest.raises(DeckError, match="cannot be written"):
            write_apkg(make_deck(), readonly / "deck.apkg")
    finally:
        readonly.chmod(0o700)


def test_cancel_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"old")
    token = CancelToken()
    many = [{"id": f"c{i}", "type": "basic", "front": f"Q{i}", "back": "A"} for i in range(600)]
    seen: list[tuple[int, int, str]] = []

    def progress(done: int, total: int, what: str) -> None:
        seen.append((done, total, what))
        if done >= 250:
            token.cancel()

    with pytest.raises(Cancelled):
        write_apkg(make_deck(many), target, progress=progress, cancel=token)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["deck.apkg"]
    assert (250, 600, "cards") in seen


def test_progress_reaches_the_end(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    write_apkg(make_deck(), tmp_path / "deck.apkg",
               progress=lambda d, t, w: seen.append((d, t, w)))
    assert seen == [(0, 5, "cards"), (5, 5, "cards"), (1, 1, "written")]


# -- history ----------------------------------------------------------------------------------

def history_deck(now: int) -> tuple[IncomingDeck, dict[str, CardProgress]]:
    deck = make_deck()
    collide = now - 5 * MINUTE  # two cards answered in the same millisecond
    deck.history = {
        "rent": [IncomingReview(now - 10 * DAY, 3, 8_000),
                 IncomingReview(now - 10 * DAY + 10 * MINUTE, 3, 90_000),
                 IncomingReview(now - 3 * DAY, 3, 4_000)],
        "label": [IncomingReview(collide, 1, 2_000)],
        "quiz": [IncomingReview(now - 20 * DAY, 4, 3_000), IncomingReview(collide, 1, 5_000)],
    }
    schedules = {
        # negodrill keeps the study day's start as the last review; the log has the moment.
        "rent": CardProgress(2, now + 5 * DAY, 8.2, 5.1, now - 3 * DAY - 5 * HOUR, 3, 0),
        # Learning steps already due: the same queue whatever the hour (see the day-learn test).
        "label": CardProgress(1, now - 4 * MINUTE, 0.4, 7.0, collide, 1, 0),
        "quiz": CardProgress(3, now - 1 * MINUTE, 2.0, 6.5, collide, 2, 1),
    }
    return deck, schedules


def test_history_becomes_revlog_rows_and_schedules(tmp_path: Path) -> None:
    now = int(time.time() * 1000)
    deck, schedules = history_deck(now)
    path = tmp_path / "deck.apkg"
    write_apkg(deck, path, progress_by_card=schedules)
    db = open_package(path, tmp_path)
    cid = {hidden(f)["card"]["id"]: c for f, c in db.execute(
        "SELECT n.flds, c.id FROM notes n JOIN cards c ON c.nid = n.id")}
    log = db.execute("SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog "
                     "ORDER BY cid, id").fetchall()
    rent = [r[2:] for r in log if r[1] == cid["rent"]]
    assert rent == [(3, -600, 0, 0, 8_000, 0), (3, 7, -600, 0, 60_000, 0),
                    (3, 8, 7, 2500, 4_000, 1)]
    quiz = [r[2:] for r in log if r[1] == cid["quiz"]]
    assert [(r[0], r[5]) for r in quiz] == [(4, 0), (1, 1)]  # learn, then a review lapse
    ids = [r[0] for r in log]
    assert len(set(ids)) == 6
    assert sorted(i for i in ids if i in (now - 5 * MINUTE, now - 5 * MINUTE + 1)) == [
        now - 5 * MINUTE, now - 5 * MINUTE + 1]
    sched = {k: db.execute("SELECT type, queue, ivl, reps, lapses, data FROM cards "
                           "WHERE id = ?", (v,)).fetchone() for k, v in cid.items()}
    assert sched["rent"][:5] == (2, 2, 8, 3, 0)
    assert json.loads(sched["rent"][5]) == {"pos": 1, "s": 8.2, "d": 5.1,
                                            "lrt": (now - 3 * DAY) // 1000}
    assert sched["label"][:2] == (1, 1)
    assert sched["quiz"][:5] == (3, 1, 2, 2, 1)
    assert sched["from-anki"][:2] == (0, 0)


def test_a_step_past_the_rollover_waits_in_the_day_learning_queue() -> None:
    clock = anki_export._Clock()
    later = (clock.crt + 2 * 86_400 + 3_600) * 1000  # two study days ahead
    soon = (clock.crt + 3_600) * 1000  # within today's study day
    learning = CardProgress(1, later, 1.5, 6.0, None, 2, 0)
    assert anki_export._schedule(learning, 7, clock)[:3] == (1, 3, 2)
    relearning = CardProgress(3, soon, 3.4, 6.0, None, 4, 1)
    assert anki_export._schedule(relearning, 7, clock)[:4] == (3, 1, soon // 1000, 3)
    assert anki_export._schedule(None, 7, clock) == (0, 0, 7, 0, 0, 0, 0, 0)


# -- Anki itself ------------------------------------------------------------------------------

@pytest.fixture
def anki_col(tmp_path: Path) -> Any:
    collection = pytest.importorskip("anki.collection")
    (tmp_path / "anki").mkdir()
    col = collection.Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_into(col: Any, path: Path) -> Any:
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    return col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(path),
        options=ImportAnkiPackageOptions(with_scheduling=True),  # else Anki's defaults
    ))


def anki_notes(col: Any) -> dict[str, Any]:
    notes = (col.get_note(nid) for nid in col.find_notes(""))
    return {json.loads(html.unescape(n["negodrill"]))["card"]["id"]: n for n in notes}


def test_anki_imports_the_package_and_updates_it_on_a_second_export(
    anki_col: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "deck.apkg"
    write_apkg(make_deck(), path)
    result = import_into(anki_col, path)
    assert len(result.log.new) == 5
    notes = anki_notes(anki_col)
    assert set(notes) == {c["id"] for c in cards()}
    rent = notes["rent"]
    assert rent.note_type()["name"] == "negodrill"
    assert (rent["Front"], rent["Back"]) == note_fields(cards()[0])
    assert sorted(rent.tags) == ["housing", "money"]
    assert json.loads(html.unescape(rent["negodrill"]))["card"] == cards()[0]
    assert notes["from-anki"].guid == "Anki:guid{1}"
    assert {anki_col.decks.name(c.did) for n in notes.values() for c in n.cards()} == {TITLE}
    assert anki_col.db.scalar("SELECT count() FROM revlog") == 0
    assert {c.queue for n in notes.values() for c in n.cards()} == {0}
    # Anki's own first-field checksum agrees with ours.
    db = open_package(path, tmp_path)
    ours = dict(db.execute("SELECT guid, csum FROM notes").fetchall())
    assert {n.guid: anki_col.db.scalar("SELECT csum FROM notes WHERE id = ?", n.id)
            for n in notes.values()} == ours

    # The author fixes one card; the learner imports the new export over the old one.
    changed = cards()
    changed[1]["back"] = "A feeling, named out loud."
    later = time.time() + 120  # Anki updates a note only from a newer one
    monkeypatch.setattr(anki_export, "_now", lambda: later)
    write_apkg(make_deck(changed), path)
    result = import_into(anki_col, path)
    assert (len(result.log.new), len(result.log.conflicting)) == (0, 0)
    again = anki_notes(anki_col)
    assert anki_col.note_count() == 5
    assert again["label"].id == notes["label"].id
    assert again["label"]["Back"] == "A feeling, named out loud."
    assert again["rent"]["Back"] == rent["Back"]


def test_anki_takes_the_schedule_and_review_log(anki_col: Any, tmp_path: Path) -> None:
    now = int(time.time() * 1000)
    deck, schedules = history_deck(now)
    path = tmp_path / "deck.apkg"
    write_apkg(deck, path, progress_by_card=schedules)
    import_into(anki_col, path)
    notes = anki_notes(anki_col)
    card = {key: note.cards()[0] for key, note in notes.items()}
    assert anki_col.db.scalar("SELECT count() FROM revlog") == 6
    types = anki_col.db.list("SELECT type FROM revlog WHERE cid = ? ORDER BY id",
                             card["rent"].id)
    assert types == [0, 0, 1]
    rent = card["rent"]
    assert (rent.type, rent.queue, rent.ivl, rent.reps, rent.lapses) == (2, 2, 8, 3, 0)
    assert rent.due - anki_col.sched.today == 5
    assert rent.memory_state is not None
    assert rent.memory_state.stability == pytest.approx(8.2, abs=1e-3)
    assert rent.memory_state.difficulty == pytest.approx(5.1, abs=1e-3)
    assert (card["label"].type, card["label"].queue) == (1, 1)
    assert card["label"].due == (now - 4 * MINUTE) // 1000
    quiz = card["quiz"]
    assert (quiz.type, quiz.queue, quiz.lapses) == (3, 1, 1)
    assert {(card[k].type, card[k].queue) for k in ("label", "from-anki")} == {(1, 1), (0, 0)}


def test_anki_opens_every_built_in_deck(anki_col: Any, tmp_path: Path) -> None:
    from negodrill.paths import builtin_decks_dir

    total = 0
    for n, file in enumerate(sorted(builtin_decks_dir().glob("*.negodeck.json"))):
        doc = json.loads(file.read_text(encoding="utf-8"))
        meta = doc["deck"]
        deck = IncomingDeck(uuid=meta["id"], title=meta["title"],
                            cards=copy.deepcopy(doc["cards"]), revision=meta["revision"],
                            description=meta.get("description", ""), meta=meta,
                            techniques=doc.get("techniques", []))
        total += write_apkg(deck, tmp_path / f"{n}.apkg")
        import_into(anki_col, tmp_path / f"{n}.apkg")
    assert anki_col.note_count() == total
