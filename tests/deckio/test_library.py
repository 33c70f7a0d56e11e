"""First use of a data dir installs the built-in course, exactly once."""

from __future__ import annotations

from pathlib import Path

from negodrill.deckio.library import INSTALLED_KEY, builtin_deck_files, open_library


def test_first_open_installs_every_builtin_deck_in_file_order(tmp_path: Path) -> None:
    store = open_library(tmp_path)
    try:
        titles = [store.deck(i)["title"] for i in store.deck_ids()]
        assert len(titles) == len(builtin_deck_files())
        assert titles[0] == "Starter course"
        first = store.new_cards([store.deck_ids()[0]], limit=10)
        assert [c.type.value for c in first] == ["drill"] * 10
    finally:
        store.close()


def test_a_deck_the_learner_deleted_does_not_come_back(tmp_path: Path) -> None:
    store = open_library(tmp_path)
    store.delete_deck(store.deck_ids()[0])
    count = len(store.deck_ids())
    store.close()
    store = open_library(tmp_path)
    try:
        assert len(store.deck_ids()) == count
    finally:
        store.close()


def test_an_install_cut_short_is_finished_on_the_next_start(tmp_path: Path) -> None:
    store = open_library(tmp_path)
    with store.atomic():  # as if the process died before the install committed
        for deck_id in store.deck_ids():
            store._db.execute("DELETE FROM deck WHERE id = ?", [deck_id])
        store._db.execute("DELETE FROM setting WHERE key = ?", [INSTALLED_KEY])
    store.close()
    store = open_library(tmp_path)
    try:
        assert len(store.deck_ids()) == len(builtin_deck_files())
    finally:
        store.close()
