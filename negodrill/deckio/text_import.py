"""Reading Anki text files and plain CSV/TSV (Excel exports included) into a Package.

Anki's text format is a CSV file with optional `#key:value` header lines on top. What the
headers mean, and what Anki assumes when they are missing, follows Anki's own importer
(rslib/src/import_export/text/csv/metadata.rs and import.rs): the separator is guessed from
the bytes after the header, HTML is assumed when a field of the first five rows holds a tag,
and a line starting with `#` is a comment wherever a row could start. A file without Anki
headers is read as a spreadsheet export: the separator is sniffed from the first lines and an
obvious heading row is left out.

Every failure is one DeckError naming the file; fields, rows and the file are bounded.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from negodrill.core.errors import DeckError
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.deckio.cardmaking import (
    MAX_FRONT,
    anki_card_id,
    basic_card,
    clip,
    html_to_text,
    text_card_id,
    text_deck_uuid,
)
from negodrill.deckio.package import IncomingDeck, Package

MAX_FILE_BYTES = 256 * 2**20
MAX_ROW_CHARS = 1_000_000  # one row (so any field or line) of the file
MAX_ROWS = 200_000
MAX_COLUMNS = 100
MAX_DECK_CARDS = 100_000  # the deck schema's maxItems for cards
MAX_TITLE = 300
HEAD_CHARS = 8192
PROGRESS_EVERY = 2000

# Anki's names, in the order of its Delimiter enum (proto/anki/import_export.proto): the order
# in which it guesses, "ascending expected frequency in note text".
SEPARATOR_NAMES = {"tab": "\t", "pipe": "|", "semicolon": ";", "colon": ":", "comma": ",",
                   "space": " "}
_PLAIN_SEPARATORS = "\t,;|"
_COLUMN_KEYS = ("guid column", "notetype column", "deck column", "tags column")
_KNOWN_KEYS = frozenset({"separator", "html", "tags", "columns", "notetype", "deck",
                         "negodrill deck", "match scope", "if matches", *_COLUMN_KEYS})
# Control characters a text file does not hold (tab, CR and LF are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NUMBER = re.compile(r"[0-9]{1,6}")
_TEXT_SUFFIXES = (".txt", ".csv", ".tsv", ".tab", ".text")
# Cells of a first row that name columns rather than make a card.
_HEADINGS = frozenset({
    "front", "back", "question", "questions", "answer", "answers", "term", "terms",
    "definition", "definitions", "word", "words", "meaning", "meanings", "translation",
    "prompt", "response", "reply", "q", "a", "side 1", "side 2", "side a", "side b",
    "front side", "back side", "card front", "card back", "tags", "tag", "notes", "note",
    "example", "examples", "extra", "hint", "context", "source", "comment", "comments",
    "category", "deck",
})


# --- bytes to text --------------------------------------------------------------------------


def _decode_head(head: bytes) -> str | None:
    """The start of a file as text, tolerating a character cut at the end; None if not text."""
    try:
        if head.startswith(codecs.BOM_UTF8):
            return codecs.getincrementaldecoder("utf-8")().decode(head[3:])
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return codecs.getincrementaldecoder("utf-16")().decode(head)
        if b"\x00" in head:
            return None
        try:
            return codecs.getincrementaldecoder("utf-8")().decode(head)
        except UnicodeDecodeError:
            return head.decode("cp1252")
    except UnicodeDecodeError:
        return None


def looks_like_text(head: bytes) -> bool:
    """Whether the first few KB of a file are plausibly a text or CSV deck.

    No NUL bytes, and decodable as UTF-8 or UTF-16 (with a byte-order mark) or Windows-1252,
    without control characters other than tab, CR and LF. An empty head is not a deck.
    """
    text = _decode_head(head)
    return text is not None and text != "" and _CONTROL.search(text) is None


def _decode(data: bytes, name: str) -> tuple[str, str | None]:
    """The whole file as text, and a note when its encoding had to be assumed."""
    note = None
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8", name)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16", name)
    elif b"\x00" in data:
        raise DeckError(f"{name}: this is not a text file")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Excel's plain "CSV" is in the Windows code page; Western Europe's is cp1252.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise DeckError(f"{name}: the file is neither UTF-8 nor Windows-1252 text; "
                                "save it as UTF-8 and import it again") from None
            note = ("The file is not UTF-8, so it was read as Windows-1252 (Western European); "
                    "if letters look wrong, save it as UTF-8 and import it again.")
    if "\x00" in text or _CONTROL.search(text, 0, HEAD_CHARS):
        raise DeckError(f"{name}: this is not a text file")
    if _CONTROL.search(text):  # a stray control character further down: drop it, not the file
        text = _CONTROL.sub("", text)
    return text, note


def _strict(data: bytes, encoding: str, name: str) -> str:
    """Text whose byte-order mark names its encoding: any error is the file's."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DeckError(f"{name}: the file is marked as {encoding.upper()} but is not valid "
                        f"{encoding.upper()} text (byte {exc.start})") from None


# --- the header -----------------------------------------------------------------------------


@dataclass
class _Header:
    anki: bool = False  # a header line Anki understands was present
    separator: str | None = None
    html: bool | None = None
    tags: list[str] = field(default_factory=list)
    columns: str | None = None  # the raw `#columns:` value, split once the separator is known
    deck: str = ""
    # "deck column" etc. -> (0-based column, line number, the header line)
    meta: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    from_negodrill: bool = False  # written by negodrill's own text export
    lines: int = 0
    length: int = 0  # characters, so the body is text[length:]


def _trimmed(value: str) -> str:
    """Anki's trim of a non-freeform value: cut at the first non-alphanumeric after the first
    character, so `#separator:tab,,,` or `#html:true|||` from a spreadsheet still work."""
    for index in range(1, len(value)):
        char = value[index]
        if not (char.isascii() and char.isalnum()):
            return value[:index]
    return value


def _separator(value: str) -> str | None:
    trimmed = _trimmed(value)
    named = SEPARATOR_NAMES.get(trimmed.strip().lower())
    if named:
        return named
    # Anki takes only its six characters literally; any other plain punctuation is as clear.
    if len(trimmed) == 1 and not trimmed.isalnum() and trimmed not in "\"#\r\n":
        return trimmed
    return None


def _shown(line: str) -> str:
    return f'"{clip(line, 60)}"'


def _parse_header(text: str, name: str) -> _Header:
    """Anki's header block: `#key:value` lines at the top (the first may be an old `tags:`)."""
    header = _Header()
    for number, raw in enumerate(io.StringIO(text, newline=""), 1):
        line = raw.rstrip("\r\n")
        if number == 1 and line.startswith("tags:"):
            header.tags, header.anki = line[5:].split(), True
        elif not line.startswith("#"):
            break
        elif len(line) > MAX_ROW_CHARS:
            raise DeckError(f"{name}: line {number} is longer than {MAX_ROW_CHARS:,} characters")
        else:
            key, colon, value = line[1:].partition(":")
            key = key.strip().lower()
            if colon and key in _KNOWN_KEYS:
                header.anki = True
                _header_value(header, key, value, number, line, name)
        header.lines, header.length = number, header.length + len(raw)
    return header


def _header_value(header: _Header, key: str, value: str, number: int, line: str,
                  name: str) -> None:
    where = f"{name}: line {number} {_shown(line)}"
    if key == "separator":
        separator = _separator(value)
        if separator is None:
            raise DeckError(f"{where} names no separator: use one character or one of Comma, "
                            "Semicolon, Tab, Space, Pipe, Colon")
        header.separator = separator
    elif key == "html":
        flag = _trimmed(value).strip().lower()
        if flag not in ("true", "false"):
            raise DeckError(f"{where} must say true or false")
        header.html = flag == "true"
    elif key == "tags":
        header.tags = value.split()
    elif key == "columns":
        header.columns = value
    elif key == "deck":
        header.deck = value
    elif key == "negodrill deck":
        header.from_negodrill = True
    elif key in _COLUMN_KEYS:
        digits = _trimmed(value).strip()
        if not _NUMBER.fullmatch(digits):
            raise DeckError(f"{where} needs a column number such as 3")
        column = int(digits)
        if not 1 <= column <= MAX_COLUMNS:
            raise DeckError(f"{where} names column {column}, but columns are numbered from 1 "
                            f"to at most {MAX_COLUMNS}")
        header.meta[key] = (column - 1, number, line)
    # `#notetype:`, `#match scope:` and `#if matches:` steer Anki's import; cards here are basic.


# --- separators -----------------------------------------------------------------------------


def _anki_guess(body: str) -> str:
    """Anki's fallback (metadata.rs, delimiter_from_reader): the first of tab, pipe, semicolon,
    colon, comma that occurs in the first 8 KB after the header, else space."""
    chunk = body[:8192].encode("utf-8", "replace")[:8192].decode("utf-8", "ignore")
    return next((sep for sep in SEPARATOR_NAMES.values() if sep in chunk), " ")


def _sniff(body: str, hint: str) -> str:
    """A spreadsheet's separator: the one giving the same number (two or more) of columns in
    most of the first rows. On a tie, one that is rarely followed by a space wins (in "Ja,
    bitte;Yes, please" the comma is punctuation), then the file's suffix, then the order tab,
    comma, semicolon, pipe."""
    sample = body[:65536]
    if len(body) > len(sample):
        sample = sample[: max(sample.rfind("\n"), 0)]
    order = sorted(_PLAIN_SEPARATORS, key=lambda sep: sep != hint)
    best, best_score = hint, (0.0, 0.0)
    for sep in order:
        widths: dict[int, int] = {}
        try:
            for row in csv.reader(io.StringIO(sample, newline=""), delimiter=sep):
                if row and not row[0].startswith("#"):
                    widths[len(row)] = widths.get(len(row), 0) + 1
                    if sum(widths.values()) >= 50:
                        break
        except csv.Error:
            continue
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        spaced = sample.count(sep + " ") / max(sample.count(sep), 1)
        score = (count / sum(widths.values()), -spaced)
        if width >= 2 and score > best_score:
            best, best_score = sep, score
    return best


# --- rows -----------------------------------------------------------------------------------

_limit_lock = threading.Lock()
_limit_users = 0
_limit_saved = 0


@contextmanager
def _field_limit() -> Iterator[None]:
    """csv's field limit is process-wide (128 KB by default, below a long HTML field): raise
    it while any reader of this module runs and restore it when the last one ends."""
    global _limit_users, _limit_saved
    with _limit_lock:
        if _limit_users == 0:
            _limit_saved = csv.field_size_limit()
            csv.field_size_limit(max(_limit_saved, MAX_ROW_CHARS + 1))
        _limit_users += 1
    try:
        yield
    finally:
        with _limit_lock:
            _limit_users -= 1
            if _limit_users == 0:
                csv.field_size_limit(_limit_saved)


class _Lines:
    """Physical lines for csv.reader, which pulls one at a time: a line that starts a row and
    begins with `#` is a comment, as Anki's reader (csv crate, comment b'#') has it."""

    def __init__(self, body: str, first_line: int, name: str) -> None:
        self.source = io.StringIO(body, newline="")
        self.line = first_line - 1
        self.name = name
        self.fresh = True  # the next line starts a row
        self.start = first_line  # where the current row started
        self.size = 0
        self.comments = 0
        self.row_lines: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        while True:
            line = next(self.source)
            self.line += 1
            if not self.fresh:
                break
            if line.startswith("#"):
                self.comments += 1
                continue
            self.fresh, self.start, self.size = False, self.line, 0
            self.row_lines.clear()
            break
        self.size += len(line)
        if self.size > MAX_ROW_CHARS:
            raise DeckError(f"{self.name}: the row at line {self.start} is longer than "
                            f"{MAX_ROW_CHARS:,} characters")
        self.row_lines.append(line)
        return line


def _read_rows(body: str, sep: str, first_line: int, name: str,
               cancel: CancelToken | None) -> tuple[list[list[str]], int]:
    """The cells of every row, and how many comment lines were passed over."""
    lines = _Lines(body, first_line, name)
    reader = csv.reader(lines, delimiter=sep)
    rows: list[list[str]] = []
    with _field_limit():
        while True:
            lines.fresh = True
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise DeckError(f"{name}: line {lines.start} is not valid CSV ({exc})") from None
            if not row:
                continue  # a blank line
            if len(row) > MAX_COLUMNS:
                while row and not row[-1]:
                    row.pop()  # spreadsheets pad rows with empty cells
                if len(row) > MAX_COLUMNS:
                    raise DeckError(f"{name}: the row at line {lines.start} has more than "
                                    f"{MAX_COLUMNS} columns")
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise DeckError(f"{name}: the file has more than {MAX_ROWS:,} rows")
            if cancel is not None and len(rows) % PROGRESS_EVERY == 0:
                cancel.check()
        if len(lines.row_lines) > 1 and _unclosed(lines.row_lines, sep):
            raise DeckError(f"{name}: the quote opened in the row at line {lines.start} is "
                            "never closed")
    return rows, lines.comments


def _unclosed(row_lines: list[str], sep: str) -> bool:
    """csv.reader silently ends a quote left open at the end of the file; strict mode tells."""
    try:
        list(csv.reader(row_lines, delimiter=sep, strict=True))
    except csv.Error as exc:
        return "end of data" in str(exc)
    return False


def _looks_html(rows: list[list[str]]) -> bool:
    """Anki's default for `#html:` (maybe_set_fallback_is_html, text.rs is_html): HTML if any
    field of the first five rows holds `<...>`."""
    for row in rows[:5]:
        for cell in row:
            start = cell.find("<")
            if start >= 0 and cell.find(">", start) >= 0:
                return True
    return False


def _is_heading(row: list[str]) -> bool:
    cells = [cell.strip().lower() for cell in row]
    return (len(cells) >= 2 and cells[0] in _HEADINGS and cells[1] in _HEADINGS
            and all(not cell or cell in _HEADINGS for cell in cells[2:]))


# --- rows to cards --------------------------------------------------------------------------


def _plain(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def _title(value: str) -> str:
    """A deck title the schema admits: one line, at most 300 characters."""
    for char in "\r\n\x00":
        if char in value:
            value = value.replace(char, " ")
    return clip(value.strip(), MAX_TITLE)


def _default_title(path: Path) -> str:
    """The file's name without its text suffixes: `Spanish verbs.csv` -> `Spanish verbs`."""
    stem = path.name
    while stem.lower().endswith(_TEXT_SUFFIXES):
        stem = stem[: stem.rfind(".")]
    if stem == path.name:
        stem = path.stem
    return _title(stem) or _title(path.name) or "Imported cards"


@dataclass
class _Layout:
    """How the columns of a row become a card."""

    html: bool
    default_title: str
    tags: list[str]
    guid: int | None
    deck: int | None
    tags_column: int | None
    meta: frozenset[int]


def _cards(rows: list[list[str]], layout: _Layout, name: str,
           progress: Progress, cancel: CancelToken | None) -> tuple[list[IncomingDeck], int, int]:
    """The decks made from the rows; also rows skipped for an empty front, and repeats."""
    convert = html_to_text if layout.html else _plain
    meta, file_tags, default_title = layout.meta, layout.tags, layout.default_title
    shapes: dict[int, tuple[list[int], int | None, int | None, int | None]] = {}
    decks: dict[str, IncomingDeck] = {}
    titles: dict[str, tuple[str, str]] = {}  # deck cell -> (uuid, title)
    seen: dict[str, set[str]] = {}
    skipped = repeated = 0
    total = len(rows)
    for done, row in enumerate(rows, 1):
        if done % PROGRESS_EVERY == 0:
            if cancel is not None:
                cancel.check()
            progress(done, total, "rows")
        shape = shapes.get(len(row))
        if shape is None:  # by row width: its field columns, and the meta columns it has
            width = len(row)
            guid_at, deck_at, tags_at = (c if c is not None and c < width else None
                                         for c in (layout.guid, layout.deck, layout.tags_column))
            fields = [i for i in range(width) if i not in meta]
            shape = shapes[width] = (fields, guid_at, deck_at, tags_at)
        indexes, guid_at, deck_at, tags_at = shape
        cells = [row[i] for i in indexes]
        if not "".join(cells).strip():
            continue  # an empty row (spreadsheets leave them), not a card without a front
        front = clip(convert(cells[0]), MAX_FRONT)
        if not front:
            skipped += 1
            continue
        back = "\n\n".join([text for text in map(convert, cells[1:]) if text])
        raw_deck = row[deck_at] if deck_at is not None else ""
        found = titles.get(raw_deck)
        if found is None:
            title = _title(raw_deck) or default_title
            found = titles[raw_deck] = (text_deck_uuid(title), title)
        deck_uuid, title = found
        guid = row[guid_at] if guid_at is not None else ""
        card_id = anki_card_id(guid, 0) if guid.strip() else text_card_id(front)
        ids = seen.get(deck_uuid)
        if ids is None:
            ids = seen[deck_uuid] = set()
        elif card_id in ids:
            repeated += 1
            continue
        ids.add(card_id)
        tags = row[tags_at].split() + file_tags if tags_at is not None else file_tags
        card = basic_card(card_id, front, back, tags=tags)
        if card is None:  # not reached: the front is not empty
            skipped += 1
            continue
        deck = decks.get(deck_uuid)
        if deck is None:
            deck = decks[deck_uuid] = IncomingDeck(uuid=deck_uuid, title=title, cards=[])
        if len(deck.cards) >= MAX_DECK_CARDS:
            raise DeckError(f'{name}: the deck "{clip(title, 60)}" would have more than '
                            f"{MAX_DECK_CARDS:,} cards; split the file")
        deck.cards.append(card)
    progress(total, total, "rows")
    return list(decks.values()), skipped, repeated


def _check_columns(header: _Header, rows: list[list[str]], labels: int,
                   name: str) -> None:
    """A column header must name a column some row has (Anki would silently use nothing)."""
    widest = max([labels, *map(len, rows)])
    for column, number, line in header.meta.values():
        if column >= widest:
            raise DeckError(f"{name}: line {number} {_shown(line)} names column {column + 1}, "
                            f"but no row has more than {widest} columns")


# --- the whole file -------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    name = path.name
    try:
        if path.is_dir():
            raise DeckError(f"{name}: is a folder, not a deck file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise DeckError(f"{name}: the file is larger than {MAX_FILE_BYTES // 2**20} MB")
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise DeckError(f"{name}: no such file") from None
    except PermissionError:
        raise DeckError(f"{name}: permission denied") from None
    except OSError as exc:
        raise DeckError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise DeckError(f"{name}: the file is larger than {MAX_FILE_BYTES // 2**20} MB")
    return data


def read_text_file(path: Path, *, progress: Progress = no_progress,
                   cancel: CancelToken | None = None) -> Package:
    """Read an Anki text file or a CSV/TSV file into decks of basic cards.

    Raises DeckError (one sentence starting with the file's name) or Cancelled.
    """
    path = Path(path)
    name = path.name
    if cancel is not None:
        cancel.check()
    data = _read_bytes(path)
    if not data.strip():
        raise DeckError(f"{name}: no cards found: the file is empty")
    text, encoding_note = _decode(data, name)
    del data
    notes = [encoding_note] if encoding_note else []

    header = _parse_header(text, name)
    body = text[header.length:]
    if header.from_negodrill:
        notes.append("negodrill wrote this file for Anki: it comes in as a deck of basic cards "
                     "of its own; to update the original deck, import its .negodeck or .apkg")
    hint = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    if header.separator is not None:
        sep = header.separator
    elif header.anki:
        sep = _anki_guess(body)
    else:
        sep = _sniff(body, hint)
    labels = 0
    if header.columns is not None:
        try:
            with _field_limit():
                labels = len(next(csv.reader([header.columns], delimiter=sep), []))
        except csv.Error:
            raise DeckError(f"{name}: the #columns: line is not valid CSV") from None
        if labels > MAX_COLUMNS:
            raise DeckError(f"{name}: the #columns: line names more than {MAX_COLUMNS} columns")

    rows, comments = _read_rows(body, sep, header.lines + 1, name, cancel)
    if not rows:
        what = "it has only header lines" if header.lines else "it holds no rows"
        raise DeckError(f"{name}: no cards found: {what}")
    if header.anki:
        _check_columns(header, rows, labels, name)
    elif _is_heading(rows[0]):
        shown = ", ".join(f'"{clip(cell.strip(), 30)}"' for cell in rows[0][:2])
        notes.append(f"The first row ({shown}) names the columns, so it is not a card.")
        rows = rows[1:]
        if not rows:
            raise DeckError(f"{name}: no cards found: it holds only a heading row")
    if comments and rows:
        notes.append(f"{comments} line(s) starting with # were read as comments, as Anki does.")

    meta = {key: column for key, (column, _, _) in header.meta.items()}
    layout = _Layout(
        html=header.html if header.html is not None else _looks_html(rows),
        # Free values may end in a spreadsheet's padding (`#deck:Verbs,,,`); Anki keeps it.
        default_title=_title(header.deck.strip().rstrip(sep)) or _default_title(path),
        tags=[tag.rstrip(sep) for tag in header.tags if tag.rstrip(sep)],
        guid=meta.get("guid column"),
        deck=meta.get("deck column"),
        tags_column=meta.get("tags column"),
        meta=frozenset(meta.values()),
    )
    decks, skipped, repeated = _cards(rows, layout, name, progress, cancel)
    if repeated:
        notes.append(f"{repeated} row(s) repeated the front or GUID of an earlier row in the "
                     "same deck and were left out.")
    if not decks:
        if skipped:
            raise DeckError(f"{name}: no cards found: the first field is empty in every row "
                            "(images and sounds are left out)")
        raise DeckError(f"{name}: no cards found: every row is empty")
    kind = "Anki text file" if header.anki else "TSV file" if sep == "\t" else "CSV file"
    return Package(name=name, format=kind, decks=decks, skipped=skipped, notes=notes)

