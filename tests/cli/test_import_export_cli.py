"""`import` and `export` as a learner types them: summaries, conflicts, flags, bad files."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]
UUID = "5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a"


def _deck(path: Path, revision: int = 1, back: str = "B") -> Path:
    path.write_text(json.dumps({
        "format": "negodrill-deck", "format_version": 1,
        "deck": {"id": UUID, "title": "Class handout", "revision": revision},
        "cards": [{"id": "a", "type": "basic", "front": "F", "back": back},
                  {"id": "b", "type": "basic", "front": "G", "back": "C"}],
    }), encoding="utf-8")
    return path


def _digest(data_dir: Path) -> str:
    return hashlib.sha256((data_dir / "negodrill.sqlite3").read_bytes()).hexdigest()


def test_one_bad_file_fails_alone_and_the_others_are_imported(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    good = _deck(tmp_path / "good.negodeck.json")
    result = cli("import", str(bad), str(good), "/no/such.apkg", data_dir=data_dir)
    assert result.code == 1
    assert "Traceback" not in result.err
    errors = result.err.strip().splitlines()
    assert errors[0].startswith("error: bad.csv: ")
    assert errors[-1] == "error: /no/such.apkg: no such file"
    assert result.out.splitlines() == [
        "good.negodeck.json: negodrill deck, 1 deck, 2 added, 0 updated, 0 unchanged, "
        "0 retired, 0 skipped, 0 conflicts"
    ]


def test_dry_run_writes_nothing(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    cli("decks", data_dir=data_dir)
    before = _digest(data_dir)
    result = cli("import", "--dry-run", str(_deck(tmp_path / "d.json")), data_dir=data_dir)
    assert result.code == 0, result
    assert "2 added" in result.out
    assert "dry run" in result.out
    assert _digest(data_dir) == before


def test_each_conflict_gets_its_own_line(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    from negodrill.core.studyday import utc_now
    from negodrill.deckio.editing import save_card
    from negodrill.deckio.library import open_library

    assert cli("import", str(_deck(tmp_path / "v1.json")), data_dir=data_dir).code == 0
    store = open_library(data_dir)
    try:
        card_id = store._db.execute("SELECT id FROM card WHERE key = 'a'").fetchone()[0]
        save_card(store, store.card_json(card_id) | {"back": "Mine"}, now=utc_now(),
                  card_id=card_id)
    finally:
        store.close()
    result = cli("import", str(_deck(tmp_path / "v2.json", 2, "Theirs")), data_dir=data_dir)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0].endswith("1 conflicts")
    assert lines[1] == ('  conflict: "Class handout" card a: your edit was kept; '
                        "the file's newer text was not applied")
    older = cli("import", str(_deck(tmp_path / "v0.json", 1)), data_dir=data_dir)
    assert older.code == 1
    assert older.err.strip().endswith("nothing was changed")
    assert older.err.strip().startswith("error: v0.json: ")


def test_export_formats_by_suffix_or_flag(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "starter.bin"
    result = cli("export", "Starter course", str(out), "--format", "negodeck", data_dir=data_dir)
    assert result.code == 0, result
    assert zipfile.is_zipfile(out)
    assert "as negodrill deck package" in result.out
    unknown = cli("export", "Starter course", str(tmp_path / "x.docx"), data_dir=data_dir)
    assert unknown.code == 1
    assert unknown.err.strip().splitlines()[-1].startswith("error: ")
    assert "end it in .negodeck" in unknown.err
    assert not (tmp_path / "x.docx").exists()
    bad_flag = cli("export", "Starter course", str(out), "--format", "pdf", data_dir=data_dir)
    assert bad_flag.code == 2


def test_export_with_history_carries_reviews(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    studied = cli("study", "--deck", "Starter course", "--limit", "1", data_dir=data_dir,
                  stdin="Is it a bad time to talk?\n3\n")
    assert studied.code == 0, studied
    plain = tmp_path / "plain.negodeck.json"
    mine = tmp_path / "mine.negodeck.json"
    assert cli("export", "Starter course", str(plain), data_dir=data_dir).code == 0
    result = cli("export", "Starter course", str(mine), "--with-history", data_dir=data_dir)
    assert result.code == 0, result
    assert "1 review)" in result.out
    assert "extensions" not in json.loads(plain.read_text("utf-8"))
    reviews = json.loads(mine.read_text("utf-8"))["extensions"]["x-negodrill-reviews"]
    assert len(reviews) == 1
    assert reviews[0]["answer"] == "Is it a bad time to talk?"
    other = tmp_path / "laptop"
    moved = cli("import", str(mine), data_dir=other)
    assert moved.code == 0, moved
    assert moved.out.strip().endswith("1 reviews")
    stats = json.loads(cli("stats", "--json", data_dir=other).out)
    assert stats["reviews"] == 1


def test_export_never_writes_over_the_collection_or_a_device(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    import os

    cli("decks", data_dir=data_dir)
    before = _digest(data_dir)
    own = cli("export", "1", str(data_dir / "negodrill.sqlite3"), "--format", "apkg",
              data_dir=data_dir)
    assert own.code == 1
    assert "your collection's own database" in own.err
    assert _digest(data_dir) == before
    pipe = tmp_path / "pipe.tsv"
    os.mkfifo(pipe)
    for args in (["export", "1", str(pipe)], ["import", str(pipe)]):
        result = cli(*args, data_dir=data_dir, timeout=20)
        assert result.code == 1, args
        assert "is not a regular file" in result.err
    assert pipe.is_fifo()
    real = tmp_path / "real.tsv"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.tsv"
    link.symlink_to(real)
    assert cli("export", "1", str(link), data_dir=data_dir).code == 0
    assert link.is_symlink(), "the link stays a link"
    assert real.read_text("utf-8").startswith("#separator:tab")


@pytest.mark.parametrize(("content", "words"), [
    ('{"format": "negodrill-deck", "format_version": 1, "deck": {"id": "' + UUID
     + '", "title": "T", "revision": 1' + "0" * 5000 + "}, \"cards\": []}", "too large"),
    ('{"format": "negodrill-deck", "format_version": 1, "deck": {"id": "' + UUID
     + '", "title": "T", "revision": 99999999999999999999999}, "cards": []}', "too large"),
    ('{"format": "negodrill-deck", "format_version": 1, "deck": {"id": "' + UUID
     + '", "title": "T", "revision": 1}, "cards": [{"id": "a", "type": "basic", '
     '"front": "Listen \\ud800", "back": "B"}]}', "lone UTF-16 surrogate"),
    ("[1, 2, 3]", "JSON object at the top"),
    ("hello world", "not valid JSON"),
])
def test_broken_native_files_are_one_error_line(
    cli: Cli, data_dir: Path, tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "broken.negodeck.json"
    path.write_text(content, encoding="utf-8")
    result = cli("import", str(path), data_dir=data_dir)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.strip().splitlines() == [result.err.strip()]
    assert result.err.startswith("error: broken.negodeck.json: ")
    assert words in result.err


def test_a_file_name_cannot_break_the_line_or_drive_the_terminal(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "bad\nname\x1b[31m.apkg"
    path.write_bytes(b"PK\x03\x04 broken")
    result = cli("import", str(path), data_dir=data_dir)
    assert result.code == 1
    assert result.err.strip() == "error: bad?name?[31m.apkg: the file is a damaged zip archive"
