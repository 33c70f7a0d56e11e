"""`negodrill backup` and `negodrill restore` in the terminal, as a learner runs them."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_backup_list_and_restore_round_trip(cli: Any, data_dir: Path, tmp_path: Path) -> None:
    assert cli("decks", data_dir=data_dir).code == 0
    made = cli("backup", data_dir=data_dir)
    assert made.code == 0, made
    assert made.out.startswith("backed up 424 cards and 0 reviews to ")
    listed = cli("backup", "--list", data_dir=data_dir)
    assert listed.code == 0
    assert "424 cards, 0 reviews" in listed.out
    backup = Path(made.out.split(" to ", 1)[1].strip())
    assert backup.parent == data_dir / "backups"

    studied = cli("study", "--limit", "1", data_dir=data_dir, stdin="Is now a bad time?\n3\n")
    assert studied.code == 0, studied
    elsewhere = tmp_path / "mine.negodrill-backup"
    assert cli("backup", str(elsewhere), data_dir=data_dir).code == 0
    again = cli("backup", str(elsewhere), data_dir=data_dir)
    assert again.code == 1
    assert "already exists" in again.err

    restored = cli("restore", str(backup), data_dir=data_dir)
    assert restored.code == 0, restored
    assert "restored the backup of" in restored.out
    assert "your collection as it was is kept in" in restored.out
    assert '"reviews": 0' in cli("stats", "--json", data_dir=data_dir).out
    assert cli("check", data_dir=data_dir).code == 0
    assert cli("restore", str(elsewhere), data_dir=data_dir).code == 0
    assert '"reviews": 1' in cli("stats", "--json", data_dir=data_dir).out


def test_restore_refuses_while_a_window_is_open(cli: Any, data_dir: Path) -> None:
    from negodrill.ui.instance import acquire_lock

    assert cli("backup", data_dir=data_dir).code == 1  # nothing to back up yet
    cli("decks", data_dir=data_dir)
    backup = Path(cli("backup", data_dir=data_dir).out.split(" to ", 1)[1].strip())
    database = data_dir / "negodrill.sqlite3"
    before = digest(database)
    lock = acquire_lock(data_dir)  # what a running window holds
    assert lock is not None
    try:
        refused = cli("restore", str(backup), data_dir=data_dir)
    finally:
        lock.unlock()
    assert refused.code == 1
    assert "close negodrill first" in refused.err
    assert digest(database) == before


def test_restore_refuses_a_file_that_is_not_a_backup(cli: Any, data_dir: Path,
                                                     tmp_path: Path) -> None:
    cli("decks", data_dir=data_dir)
    before = digest(data_dir / "negodrill.sqlite3")
    deck = tmp_path / "deck.negodeck.json"
    assert cli("export", "1", str(deck), data_dir=data_dir).code == 0
    refused = cli("restore", str(deck), data_dir=data_dir)
    assert refused.code == 1
    assert refused.err.strip().splitlines()[-1].endswith("is not a negodrill backup")
    assert cli("restore", str(tmp_path / "missing"), data_dir=data_dir).code == 1
    assert digest(data_dir / "negodrill.sqlite3") == before
