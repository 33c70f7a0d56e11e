"""Whatever bytes arrive, the door gives a package or one DeckError, and the merge takes it."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negodrill.core.errors import DeckError
from negodrill.deckio.importing import read_file
from negodrill.deckio.merge import import_package
from negodrill.storage.store import Store

DECK = json.dumps({
    "format": "negodrill-deck", "format_version": 1,
    "deck": {"id": "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901", "title": "Fuzz", "revision": 1},
    "cards": [{"id": "a", "type": "basic", "front": "Front", "back": "Back"},
              {"id": "b", "type": "drill", "situation": "S", "prompt": "Can we talk?",
               "technique": "no-question", "rewrites": ["Is now a bad time to talk?"]}],
    "extensions": {"x-negodrill-reviews": [{"card": "a", "time": 1_770_000_000_000,
                                            "grade": 3}]},
}).encode()
FUZZ = settings(max_examples=60, deadline=5000,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def _zipped(data: bytes) -> bytes:
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("deck.json", data)
    return buffer.getvalue()


def _try(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    store = Store.memory()
    try:
        package = read_file(path)
    except DeckError as exc:
        message = str(exc)
    else:
        import_package(store, package)
        message = "read"
    assert message.startswith((path.name, str(path), "read"))
    assert store.integrity_problems() == []


@FUZZ
@given(st.data())
def test_mutated_native_files_give_a_deck_or_one_deck_error(tmp_path: Path,
                                                            data: st.DataObject) -> None:
    raw = bytearray(data.draw(st.sampled_from([DECK, _zipped(DECK)])))
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    _try(tmp_path / "mutated.negodeck", bytes(raw))


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_under_any_name_give_one_deck_error(tmp_path: Path, raw: bytes) -> None:
    for name in ("x.apkg", "x.csv"):
        _try(tmp_path / name, raw)
