"""Text import on hostile input: only DeckError escapes, and every card passes the deck schema."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negodrill.core.errors import DeckError
from negodrill.deckio.package import Package
from negodrill.deckio.text_import import looks_like_text, read_text_file
from negodrill.deckio.validate import schema_problems

FUZZ = settings(max_examples=60, deadline=5000,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

VALID = (
    b"#separator:tab\n#html:true\n#tags:file-tag\n#guid column:1\n#notetype column:2\n"
    b"#deck column:3\n#tags column:6\n"
    b"g1\tBasic\tTalks::Price\tIt <b>seems</b> hard\tA label&nbsp;works\tt1 t2\n"
    b'g2\tBasic\tTalks\t"Is now, ""maybe"", bad?"\t"two\nlines"\t\n'
    b"g3\tCloze\tTalks\t{{c1::No}} is safe\t<img src=x.png>\tc\n"
)
EXCEL = ('\ufeffFront;Back\r\n"Ja, bitte";"line\r\nbreak"\r\nNein;"""quoted"""\r\n'
         ).encode("utf-8")
# Pieces that steer the reader: header keys, separators, quotes, markup, line ends.
PIECES = ["#separator:", "#html:", "#tags:", "#columns:", "#deck:", "#deck column:",
          "#guid column:", "#tags column:", "#notetype column:", "tags:", "tab", "Pipe",
          "true", "false", "1", "3", "100", "\t", ",", ";", "|", ":", " ", '"', '""', "\n",
          "\r\n", "\r", "#", "<br>", "<img src=a>", "&amp;", "[sound:a.mp3]", "::", "é",
          "\u00a0", "\u2028", "\ufeff", "Front", "Back", "x" * 70]


@contextmanager
def file_with(data: bytes, name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def check(data: bytes, name: str = "fuzz.txt") -> None:
    """Read the bytes as a file: a Package of valid decks, or one DeckError naming the file."""
    with file_with(data, name) as path:
        try:
            package = read_text_file(path)
        except DeckError as exc:
            message = str(exc)
            assert message.startswith(f"{name}: ")
            assert "\n" not in message
            return
    assert_valid(package)


def assert_valid(package: Package) -> None:
    assert package.decks
    assert package.card_count > 0
    assert package.skipped >= 0
    uuids = [deck.uuid for deck in package.decks]
    assert len(uuids) == len(set(uuids))
    for deck in package.decks:
        doc = {"format": "negodrill-deck", "format_version": 1,
               "deck": {"id": deck.uuid, "title": deck.title, "revision": 1},
               "cards": deck.cards}
        assert schema_problems(doc) == [], deck


@FUZZ
@given(st.text(max_size=400), st.sampled_from(["fuzz.txt", "fuzz.csv", "fuzz.tsv"]))
def test_random_text(text: str, name: str) -> None:
    check(text.encode("utf-8", "surrogatepass"), name)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(data)
    looks_like_text(data)  # never raises either


@FUZZ
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=60))
def test_random_pieces_of_headers_and_rows(parts: list[str]) -> None:
    check("".join(parts).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.sampled_from([VALID, EXCEL]),
       st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 3),
                          st.binary(min_size=0, max_size=4)
                          | st.sampled_from([b"\t", b",", b";", b'"', b"\n", b"#", b"<",
                                             b"\r\n", b"\x00", b"\xff"])),
                max_size=8),
       st.sampled_from(["UTF-8", "UTF-16", "cp1252"]))
def test_mutated_valid_files(base: bytes, edits: list[tuple[int, int, bytes]],
                             encoding: str) -> None:
    data = bytearray(base)
    for position, cut, insert in edits:
        at = position % (len(data) + 1)
        data[at:at + cut] = insert
    raw = bytes(data)
    if encoding != "UTF-8":
        text = raw.decode("utf-8", "replace").replace("\ufffd", "?")
        raw = text.encode("utf-16") if encoding == "UTF-16" else text.encode("cp1252", "replace")
    check(raw, "mutated.txt")


def test_the_valid_seeds_read() -> None:
    with file_with(VALID, "seed.txt") as path:
        package = read_text_file(path)
    assert_valid(package)
    assert package.card_count == 3
    assert package.skipped == 0
    with file_with(EXCEL, "seed.csv") as path:
        excel = read_text_file(path)
    assert_valid(excel)
    assert [card["back"] for card in excel.decks[0].cards] == ["line\nbreak", '"quoted"']
