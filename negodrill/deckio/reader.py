"""Reading untrusted deck JSON: bounded, strict, and every failure one readable DeckError.

A deck file comes from a colleague or the internet. Before anything touches the database the
whole document is parsed here with limits on size and depth, duplicate keys and NaN refused.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from negodrill.core.errors import DeckError
from negodrill.deckio.safezip import ZIP_ERRORS, ZipLimits, check_members

MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 32
MAX_MEMBERS = 10_050
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200
NATIVE_LIMITS = ZipLimits(
    max_members=MAX_MEMBERS, max_member_bytes=MAX_MEMBER_BYTES,
    max_total_bytes=MAX_TOTAL_BYTES, max_ratio=MAX_RATIO,
)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DeckError(f'the key "{key}" appears twice in one object')
        result[key] = value
    return result


def _bounded_int(text: str) -> int:
    # Python refuses to convert more than 4,300 digits and SQLite stores 64 bits at most.
    if len(text.lstrip("-")) > 18:
        raise DeckError(f"the number {text[:24]}… is too large for a deck file")
    return int(text)


def _no_lone_surrogates(text: str, doc: Any) -> None:
    """A `\\ud800` escape with no partner decodes to a string no file or database can hold."""
    if "\\ud" not in text.lower():
        return
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise DeckError("it holds a broken character escape (a lone UTF-16 surrogate)") from None


def _no_constants(name: str) -> Any:
    raise DeckError(f"{name} is not a valid number in a deck file")


def _depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse absurd nesting iteratively (a recursive walk could itself overflow).

    Only containers go on the stack: strings and numbers, most of a deck, cost nothing.
    """
    stack: list[tuple[Any, int]] = [(value, 1)] if isinstance(value, dict | list) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise DeckError(f"it is nested more than {limit} levels deep")
        children = item.values() if isinstance(item, dict) else item
        stack.extend((v, depth + 1) for v in children if isinstance(v, dict | list))


def parse_deck_json(data: bytes, *, name: str) -> dict[str, Any]:
    """Parse the bytes of a deck document; `name` prefixes every error message."""
    if len(data) > MAX_JSON_BYTES:
        raise DeckError(f"{name}: the deck is larger than {MAX_JSON_BYTES // 2**20} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DeckError(f"{name}: the file is not UTF-8 text, so it is not a deck file") from None
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants,
                         parse_int=_bounded_int)
        _depth(doc)
        _no_lone_surrogates(text, doc)
    except DeckError as exc:
        raise DeckError(f"{name}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DeckError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise DeckError(f"{name}: it is nested too deeply to be a deck file") from None
    if not isinstance(doc, dict):
        raise DeckError(f"{name}: a deck file must hold a JSON object at the top")
    return doc


def _read_zip(path: Path) -> dict[str, Any]:
    """A .negodeck is a zip with deck.json (and media/): every member checked, none extracted."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = check_members(archive, name=name, limits=NATIVE_LIMITS)
            if "deck.json" not in members:
                raise DeckError(f"{name}: the package has no deck.json inside")
            with archive.open("deck.json") as member_file:
                data = member_file.read(MAX_JSON_BYTES + 1)
    except zipfile.BadZipFile:
        raise DeckError(f"{name}: the file is damaged or is not a .negodeck package") from None
    except ZIP_ERRORS as exc:
        raise DeckError(f"{name}: the package cannot be read ({exc})") from None
    return parse_deck_json(data, name=name)


@contextmanager
def readable(path: Path) -> Iterator[None]:
    """A deck file that is missing, a folder or unreadable, said in one sentence."""
    if not path.exists():
        raise DeckError(f"{path}: no such file")
    if path.is_dir():
        raise DeckError(f"{path}: is a folder, not a deck file")
    if not path.is_file():  # a pipe or a device would block the import or never end
        raise DeckError(f"{path}: is not a regular file, so it cannot be a deck file")
    try:
        yield
    except PermissionError:
        raise DeckError(f"{path}: permission denied") from None
    except OSError as exc:
        raise DeckError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def read_deck_json(path: Path) -> dict[str, Any]:
    """Read a `.negodeck.json` or a zipped `.negodeck` into a dict (not yet schema-checked)."""
    path = Path(path)
    with readable(path):
        if zipfile.is_zipfile(path):
            return _read_zip(path)
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise DeckError(f"{path.name}: the deck is larger than {MAX_JSON_BYTES // 2**20} MB")
        data = path.read_bytes()
    return parse_deck_json(data, name=path.name)
