"""Anki text files and plain CSV/TSV: headers as Anki reads them, Excel's quirks, clear errors."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path
from typing import Any

import pytest

from negodrill.core.errors import Cancelled, DeckError
from negodrill.core.progress import CancelToken
from negodrill.deckio import text_import
from negodrill.deckio.cardmaking import anki_card_id, text_card_id, text_deck_uuid
from negodrill.deckio.package import Package
from negodrill.deckio.text_import import looks_like_text, read_text_file
from negodrill.deckio.validate import schema_problems

ANKI_HEAD = ("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n"
             "#deck column:3\n#tags column:6\n")


def assert_valid(package: Package) -> None:
    """Every deck a reader returns must pass the deck schema as it stands."""
    assert package.decks
    for deck in package.decks:
        assert deck.uuid == text_deck_uuid(deck.title)
        assert deck.revision is None
        assert not deck.newer_only
        doc = {"format": "negodrill-deck", "format_version": 1,
               "deck": {"id": deck.uuid, "title": deck.title, "revision": 1},
               "cards": deck.cards}
        assert schema_problems(doc) == []


def read(tmp_path: Path, content: str | bytes, name: str = "deck.txt") -> Package:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8"))
    else:
        path.write_bytes(content)
    package = read_text_file(path)
    assert package.name == name
    assert_valid(package)
    return package


def fails(tmp_path: Path, content: str | bytes, match: str, name: str = "deck.txt") -> str:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    with pytest.raises(DeckError, match=match) as info:
        read_text_file(path)
    message = str(info.value)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def cards(package: Package) -> list[dict[str, Any]]:
    return [card for deck in package.decks for card in deck.cards]


def pairs(package: Package) -> list[tuple[str, str]]:
    return [(card["front"], card["back"]) for card in cards(package)]


# --- a file made by Anki itself -------------------------------------------------------------


def test_a_note_export_made_by_anki_reads_with_the_guid_ids(tmp_path: Path) -> None:
    pytest.importorskip("anki")
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        basic = col.models.by_name("Basic")
        cloze = col.models.by_name("Cloze")
        assert basic is not None
        assert cloze is not None
        labels = col.decks.id("Negotiation::Labels")
        assert labels is not None
        notes = []
        for front, back, tags in [
            ("It seems <b>you</b> are upset", "A label&nbsp;works", ["label", "nego::basics"]),
            ('Is now a "bad" time?\tReally', "No-oriented<br>question", []),
            ('<img src="face.png">', "image only", ["pic"]),
        ]:
            note = col.new_note(basic)
            note["Front"], note["Back"], note.tags = front, back, tags
            col.add_note(note, labels)
            notes.append(note)
        text_note = col.new_note(cloze)
        text_note["Text"] = "{{c1::No}} feels safe"
        default = col.decks.id("Default")
        assert default is not None
        col.add_note(text_note, default)
        out = tmp_path / "Exported notes.txt"
        count = col.export_note_csv(out_path=str(out), limit=None, with_html=True,
                                    with_tags=True, with_deck=True, with_notetype=True,
                                    with_guid=True)
        assert count == 4
    finally:
        col.close()

    assert out.read_text(encoding="utf-8").startswith(ANKI_HEAD)
    package = read_text_file(out)
    assert_valid(package)
    assert package.format == "Anki text file"
    assert [deck.title for deck in package.decks] == ["Negotiation::Labels", "Default"]
    labels_deck, default_deck = package.decks
    first, second = labels_deck.cards
    assert first == {"id": anki_card_id(notes[0].guid, 0), "type": "basic",
                     "front": "It seems you are upset", "back": "A label works",
                     "tags": ["label", "nego::basics"]}
    assert second["id"] == anki_card_id(notes[1].guid, 0)
    assert second["front"] == 'Is now a "bad" time? Really'
    assert second["back"] == "No-oriented\nquestion"
    assert default_deck.cards[0]["front"] == "{{c1::No}} feels safe"
    assert package.skipped == 1  # the image-only note
    # The same file read again gives the same ids, so a second import updates.
    again = read_text_file(out)
    assert [c["id"] for c in cards(again)] == [c["id"] for c in cards(package)]


# --- Anki's header lines --------------------------------------------------------------------


def test_hand_written_anki_layout(tmp_path: Path) -> None:
    package = read(tmp_path, ANKI_HEAD
                   + "g1\tBasic\tTalks::Price\tWhat <i>is</i> a label?\tA named feeling.\tt1 t2\n"
                   + "g2\tBasic\ttalks::price\tWhat is a mirror?\tLast words.\t\n"
                   + "g3\tBasic\tTalks\tWhy no?\tSafety\n")
    assert package.format == "Anki text file"
    assert [(d.title, len(d.cards)) for d in package.decks] == [("Talks::Price", 2), ("Talks", 1)]
    assert [c["id"] for c in cards(package)] == [anki_card_id(g, 0) for g in ("g1", "g2", "g3")]
    assert cards(package)[0]["tags"] == ["t1", "t2"]
    assert pairs(package)[0] == ("What is a label?", "A named feeling.")
    assert "tags" not in cards(package)[2]


@pytest.mark.parametrize(("line", "sep"), [
    ("#separator:Comma", ","), ("#separator:semicolon", ";"), ("#separator:TAB", "\t"),
    ("#separator:Space", " "), ("#separator:pipe", "|"), ("#separator:Colon", ":"),
    ("#separator:,", ","), ("#separator:;", ";"), ("#separator:|", "|"), ("#separator::", ":"),
    ("#separator:\t", "\t"), ("#separator: ", " "), ("#separator:~", "~"),
    ("#separator:Pipe,,,,", "|"), ("# Separator :tab\t\t", "\t"),
])
def test_every_separator_anki_names(tmp_path: Path, line: str, sep: str) -> None:
    # Each cell holds the other separators, which must stay text.
    cell = "".join(char for char in "a,b;c|d:e f~g\th" if char != sep)
    package = read(tmp_path, f"{line}\n{cell}1{sep}{cell}2{sep}{cell}3\n")
    assert pairs(package) == [(f"{cell}1", f"{cell}2\n\n{cell}3")]
    assert package.format == "Anki text file"


def test_html_true_and_false(tmp_path: Path) -> None:
    row = "<b>Bold</b> &amp; clear\tline<br>break\n"
    assert pairs(read(tmp_path, "#html:true\n#separator:tab\n" + row)) == [
        ("Bold & clear", "line\nbreak")]
    assert pairs(read(tmp_path, "#html:FALSE\n#separator:tab\n" + row)) == [
        ("<b>Bold</b> &amp; clear", "line<br>break")]
    plain = read(tmp_path, '#html:false\n#separator:,\n"  two\r\nlines  ",b\n')
    assert pairs(plain) == [("two\nlines", "b")]


def test_html_is_guessed_from_the_first_five_rows_as_anki_does(tmp_path: Path) -> None:
    head = "#separator:tab\n"
    guessed = read(tmp_path, head + "a &amp; b\tx\nc\td<br>e\n")
    assert pairs(guessed) == [("a & b", "x"), ("c", "d\ne")]
    # A tag only in row six, or a lone "<", leaves the file plain text.
    rows = "".join(f"q{i} &amp;\ta\n" for i in range(5)) + "q5\t<b>x</b>\n"
    assert pairs(read(tmp_path, head + rows))[0] == ("q0 &amp;", "a")
    assert pairs(read(tmp_path, head + "1 < 2\t&amp;\n")) == [("1 < 2", "&amp;")]


def test_file_tags_old_style_tags_and_tag_column(tmp_path: Path) -> None:
    package = read(tmp_path, "#separator:tab\n#tags:shared  price\n#tags column:3\n"
                   "q1\ta1\tmine other\nq2\ta2\t\n")
    assert [c.get("tags") for c in cards(package)] == [
        ["mine", "other", "shared", "price"], ["shared", "price"]]
    old = read(tmp_path, "tags:old style\nq\ta\n")
    assert cards(old)[0]["tags"] == ["old", "style"]
    assert old.format == "Anki text file"


def test_columns_header_is_split_by_the_separator(tmp_path: Path) -> None:
    package = read(tmp_path, "#separator:|\n#columns:Front|Back|Extra|Tags\n#tags column:4\n"
                   "q|a\n")
    assert pairs(package) == [("q", "a")]  # column 4 is named, so it is in range


def test_deck_header_and_deck_titles(tmp_path: Path) -> None:
    named = read(tmp_path, "#separator:tab\n#deck:Sales::Calls\nq\ta\n")
    assert [d.title for d in named.decks] == ["Sales::Calls"]
    by_file = read(tmp_path, "#separator:tab\nq\ta\n", name="Spanish verbs.anki.csv.txt")
    assert [d.title for d in by_file.decks] == ["Spanish verbs.anki"]
    mixed = read(tmp_path, "#separator:,\n#deck:Main\n#deck column:1\n"
                 "A::B,q1,a1\n,q2,a2\na::b,q3,a3\n")
    assert [(d.title, len(d.cards)) for d in mixed.decks] == [("A::B", 2), ("Main", 1)]


def test_notetype_column_is_not_a_field_and_rows_are_padded(tmp_path: Path) -> None:
    package = read(tmp_path, "#separator:,\n#notetype column:1\n#notetype:Basic\n"
                   "Basic,q1\nBasic,q2,a2,extra one,,extra two\n")
    assert pairs(package) == [("q1", "(empty)"), ("q2", "a2\n\nextra one\n\nextra two")]


def test_separator_is_guessed_as_anki_does_without_the_header(tmp_path: Path) -> None:
    # Anki takes the first of tab, pipe, semicolon, colon, comma, space found in the file.
    assert pairs(read(tmp_path, "#html:false\nq, really|a; b\n")) == [("q, really", "a; b")]
    assert pairs(read(tmp_path, "#html:false\nnote: yes, sure\n")) == [("note", "yes, sure")]
    assert pairs(read(tmp_path, "#html:false\nonly words\n")) == [("only", "words")]


def test_guid_and_front_repeats_are_counted(tmp_path: Path) -> None:
    package = read(tmp_path, "#separator:tab\n#guid column:1\n#deck column:2\n"
                   "g1\tA\tq1\ta\ng1\tA\tq1 again\ta\ng1\tB\tq1\ta\n\tA\tsame\ta\n\tA\tsame\tb\n")
    assert [len(d.cards) for d in package.decks] == [2, 1]
    assert cards(package)[1]["id"] == text_card_id("same")
    assert any("2 row(s) repeated" in note for note in package.notes)


def test_image_only_rows_are_skipped_and_counted(tmp_path: Path) -> None:
    package = read(tmp_path, '#html:true\n#separator:tab\n<img src="a.png">\tx\n'
                   "[sound:b.mp3]\ty\nq\ta\n\t\n")
    assert pairs(package) == [("q", "a")]
    assert package.skipped == 2


def test_comment_lines_and_quoted_hashes(tmp_path: Path) -> None:
    package = read(tmp_path, '#separator:,\n#just a comment\nq1,a1\n# later comment\n'
                   '"#1 rule",a2\n"multi\n#line",a3\n')
    assert pairs(package) == [("q1", "a1"), ("#1 rule", "a2"), ("multi\n#line", "a3")]
    assert any("1 line(s) starting with #" in note for note in package.notes)


# --- spreadsheets without a header ----------------------------------------------------------


def test_excel_csv_with_bom_crlf_quotes_and_a_heading_row(tmp_path: Path) -> None:
    data = ("\ufeffFront,Back\r\n"
            '"Hello, ""you""","first line\r\nsecond line"\r\n'
            "plain,row\r\n"
            ",,\r\n")
    package = read(tmp_path, data, name="Excel export.csv")
    assert package.format == "CSV file"
    assert [d.title for d in package.decks] == ["Excel export"]
    assert pairs(package) == [('Hello, "you"', "first line\nsecond line"), ("plain", "row")]
    assert any('"Front", "Back"' in note for note in package.notes)


@pytest.mark.parametrize("heading", ["Term,Definition", "QUESTION,answer,tags", "word,meaning"])
def test_heading_rows_are_left_out(tmp_path: Path, heading: str) -> None:
    assert pairs(read(tmp_path, f"{heading}\nq,a\n", name="h.csv")) == [("q", "a")]


def test_a_first_row_that_is_a_card_stays(tmp_path: Path) -> None:
    package = read(tmp_path, "Front matter,Back to work\nq,a\n", name="h.csv")
    assert pairs(package) == [("Front matter", "Back to work"), ("q", "a")]
    assert package.notes == []


def test_semicolon_csv_with_commas_in_the_text(tmp_path: Path) -> None:
    package = read(tmp_path, "Ja, bitte;Yes, please\nNein, danke;No, thanks\n", name="de.csv")
    assert pairs(package) == [("Ja, bitte", "Yes, please"), ("Nein, danke", "No, thanks")]
    assert package.format == "CSV file"


def test_tsv_with_commas_and_pipes(tmp_path: Path) -> None:
    package = read(tmp_path, "a, b|c\td, e\tf\nx\ty\n", name="list.tsv")
    assert pairs(package) == [("a, b|c", "d, e\n\nf"), ("x", "y")]
    assert package.format == "TSV file"
    piped = read(tmp_path, "q1|a1\nq2|a2\n", name="p.csv")
    assert pairs(piped) == [("q1", "a1"), ("q2", "a2")]


def test_single_column_file(tmp_path: Path) -> None:
    package = read(tmp_path, "Is now a bad time?\nWould it be crazy?\n", name="one.csv")
    assert pairs(package) == [("Is now a bad time?", "(empty)"), ("Would it be crazy?", "(empty)")]
    assert [c["id"] for c in cards(package)] == [text_card_id("Is now a bad time?"),
                                                  text_card_id("Would it be crazy?")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_unicode_text_from_excel(tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text = "Frage\tAntwort\r\nGrüß dich\t„Hallo“ 😀\r\n"
    package = read(tmp_path, bom + text.encode(codec), name="unicode.txt")
    assert pairs(package) == [("Frage", "Antwort"), ("Grüß dich", "„Hallo“ 😀")]
    assert package.notes == []


def test_cp1252_is_assumed_when_not_utf8(tmp_path: Path) -> None:
    package = read(tmp_path, "café;€ 5\r\nnaïve;“quoted”\r\n".encode("cp1252"), name="w.csv")
    assert pairs(package) == [("café", "€ 5"), ("naïve", "“quoted”")]
    assert any("Windows-1252" in note for note in package.notes)


def test_control_characters_after_the_start_are_dropped(tmp_path: Path) -> None:
    rows = "".join(f"q{i},a{i}\n" for i in range(2000)) + "bell\x07,x\x1b\n"
    package = read(tmp_path, rows, name="c.csv")
    assert pairs(package)[-1] == ("bell", "x")


def test_ids_are_stable_across_reads(tmp_path: Path) -> None:
    first = read(tmp_path, "q1,a1\nq2,a2\n", name="s.csv")
    second = read(tmp_path, "q2,changed\nq1,a1\n", name="s.csv")
    assert {c["front"]: c["id"] for c in cards(first)} == {
        c["front"]: c["id"] for c in cards(second)}
    assert first.decks[0].uuid == second.decks[0].uuid


# --- progress, cancel and the csv module's global limit -------------------------------------


def test_progress_and_cancel(tmp_path: Path) -> None:
    path = tmp_path / "many.tsv"
    path.write_text("".join(f"q{i}\ta{i}\n" for i in range(5000)), encoding="utf-8")
    calls: list[tuple[int, int, str]] = []
    package = read_text_file(path, progress=lambda d, t, w: calls.append((d, t, w)))
    assert package.card_count == 5000
    assert calls[-1] == (5000, 5000, "rows")
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        read_text_file(path, cancel=token)


def test_long_fields_read_and_the_field_limit_is_restored(tmp_path: Path) -> None:
    before = csv.field_size_limit()
    package = read(tmp_path, "q," + "x" * 300_000 + "\n", name="long.csv")
    assert len(cards(package)[0]["back"]) == 5000
    assert csv.field_size_limit() == before
    fails(tmp_path, "q," + "x" * 1_000_001 + "\n", "longer than 1,000,000", name="long.csv")
    assert csv.field_size_limit() == before


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
    b"SQLite format 3\x00" + b"\x00" * 100,
    b"front,back\x01\x02\x03\n",
    codecs.BOM_UTF16_LE + "a\x00b".encode("utf-16-le"),
])
def test_binary_files_are_refused(tmp_path: Path, content: bytes) -> None:
    message = fails(tmp_path, content, "this is not a text file", name="x.csv")
    assert message == "x.csv: this is not a text file"


@pytest.mark.parametrize(("content", "match"), [
    ("", "no cards found: the file is empty"),
    (" \r\n\n", "no cards found: the file is empty"),
    ("#separator:tab\n#html:true\n", "no cards found: it has only header lines"),
    ("Front,Back\n", "no cards found: it holds only a heading row"),
    ('#html:true\n#separator:,\n<img src="a.png">,x\n', "no cards found: the first field"),
    ("#separator:,\n,,,\n", "no cards found: every row is empty"),
])
def test_files_without_cards(tmp_path: Path, content: str, match: str) -> None:
    fails(tmp_path, content, match)


@pytest.mark.parametrize(("content", "match"), [
    ("#separator:ab\nq\ta\n", 'line 1 "#separator:ab" names no separator'),
    ("#separator:\nq\ta\n", "names no separator"),
    ("#html:maybe\nq\ta\n", 'line 1 "#html:maybe" must say true or false'),
    ("#separator:tab\n#deck column:3\nq\ta\n", 'line 2 "#deck column:3" names column 3, but'),
    ("#guid column:x\nq\ta\n", 'line 1 "#guid column:x" needs a column number'),
    ("#tags column:-1\nq\ta\n", "needs a column number"),
    ("#deck column:0\nq\ta\n", "numbered from 1"),
    ("#notetype column:101\nq\ta\n", "numbered from 1 to at most 100"),
])
def test_bad_header_values_name_the_line(tmp_path: Path, content: str, match: str) -> None:
    fails(tmp_path, content, match)


def test_other_bad_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fails(tmp_path, ",".join(["x"] * 101) + "\n", "line 1 has more than 100 columns")
    fails(tmp_path, 'q,a\n"never closed,b\nmore\n', 'quote opened in the row at line 2')
    fails(tmp_path, codecs.BOM_UTF8 + b"ok\xff\n", "marked as UTF-8 but is not valid")
    fails(tmp_path, codecs.BOM_UTF16_LE + b"a\x00b", "marked as UTF-16 but is not valid")
    fails(tmp_path, b"caf\xc3 \x81\n", "neither UTF-8 nor Windows-1252")
    fails(tmp_path, "#columns:" + ",".join("c" * 101) + "\n#separator:,\nq,a\n",
          "names more than 100 columns")
    monkeypatch.setattr(text_import, "MAX_ROWS", 10)
    fails(tmp_path, "".join(f"q{i},a\n" for i in range(11)), "more than 10 rows")
    monkeypatch.setattr(text_import, "MAX_FILE_BYTES", 100)
    fails(tmp_path, "q,a\n" * 30, "larger than")
    with pytest.raises(DeckError, match=r"^nothing\.csv: no such file"):
        read_text_file(tmp_path / "nothing.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(DeckError, match=r"^folder\.csv: is a folder"):
        read_text_file(tmp_path / "folder.csv")


# --- looks_like_text ------------------------------------------------------------------------


@pytest.mark.parametrize(("head", "expected"), [
    (b"front,back\r\nq,a\r\n", True),
    (codecs.BOM_UTF8 + "Grüß\tdich\n".encode(), True),
    ("Grüß dich, 😀".encode()[:-1], True),  # a character cut by the head's end
    (codecs.BOM_UTF16_LE + "q\ta\r\n".encode("utf-16-le"), True),
    (codecs.BOM_UTF16_BE + "q\ta\r\n".encode("utf-16-be")[:-1], True),
    ("café;€\r\n".encode("cp1252"), True),
    (b"", False),
    (b"q\x00a", False),
    (b"q\x07a\n", False),
    (b"PK\x03\x04\x14\x00\x00", False),
    (b"SQLite format 3\x00", False),
    (b"\x81\x8d\x8f", False),
])
def test_looks_like_text(head: bytes, expected: bool) -> None:
    assert looks_like_text(head) is expected


def test_a_huge_columns_line_is_refused(tmp_path: Path) -> None:
    long_name = read(tmp_path, "#separator:,\n#columns:" + "x" * 200_000 + ",y\nq,a\n")
    assert pairs(long_name) == [("q", "a")]
    fails(tmp_path, "#columns:" + "x" * 1_000_001 + "\nq,a\n", "line 1 is longer than")
    fails(tmp_path, "#separator:,\n#columns:" + "x," * 200 + "\nq,a\n", "more than 100 columns")
