"""The Browse page and the card editor, driven as a learner would (offscreen)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from negodrill import paths
from negodrill.core.models import CardType
from negodrill.deckio.library import open_library
from negodrill.storage.store import Store
from negodrill.ui.browse import BrowsePage
from negodrill.ui.card_editor import CardEditor

NOW = datetime(2025, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    store = open_library(data_dir)
    yield store
    store.close()


@pytest.fixture
def page(qtbot: Any, store: Store) -> BrowsePage:
    page = BrowsePage(store, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    return page


def _headlines(page: BrowsePage, rows: int | None = None) -> list[str]:
    model = page.model
    count = model.rowCount() if rows is None else rows
    return [model.data(model.index(r, 2)) for r in range(count)]


def _select(page: BrowsePage, *rows: int) -> list[int]:
    chosen = page.table.selectionModel()
    flag = chosen.SelectionFlag
    chosen.setCurrentIndex(page.model.index(rows[0], 2), flag.ClearAndSelect | flag.Rows)
    for row in rows[1:]:
        chosen.select(page.model.index(row, 2), flag.Select | flag.Rows)
    return page.selected_ids()


def _drive_editor(
    monkeypatch: pytest.MonkeyPatch, fill: Callable[[CardEditor], None]
) -> list[CardEditor]:
    """Replace the modal exec(): fill the form, press Save, return whether it was accepted."""
    opened: list[CardEditor] = []

    def fake_exec(editor: CardEditor) -> int:
        opened.append(editor)
        fill(editor)
        editor.save()
        return int(editor.result())

    monkeypatch.setattr(CardEditor, "exec", fake_exec)
    return opened


def test_lists_every_card_with_its_columns(page: BrowsePage, store: Store) -> None:
    total = store._db.execute("SELECT count(*) FROM card").fetchone()[0]
    assert page.model.rowCount() == total > 200
    assert page.count_label.text() == f"{total:,} cards"
    first = store.card(page.model.card_id(0) or 0)
    assert _headlines(page, 1) == [first.headline]
    model = page.model
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Deck", "Type", "Prompt / front / question", "Technique", "Due", "Lapses"]
    assert model.data(model.index(0, 4)) == "new"
    for widget in (page.search_edit, page.deck_filter, page.type_filter, page.state_filter,
                   page.table, page.new_button, page.edit_button, page.suspend_button,
                   page.delete_button):
        assert widget.accessibleName()


def test_search_matches_headline_and_body_any_case(qtbot: Any, page: BrowsePage) -> None:
    qtbot.keyClicks(page.search_edit, "CLEANING CONTRACT")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert "cleaning contract" in _headlines(page)[0]
    # "facilities manager" appears only in that drill's situation text.
    page.search_edit.setText("facilities manager")
    qtbot.waitUntil(lambda: _headlines(page) == [
        "Do you have a few minutes to talk about your cleaning contract?"])
    page.search_edit.setText("no such words anywhere")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.count_label.text() == "0 cards"


def test_ctrl_f_focuses_the_search(qtbot: Any, page: BrowsePage) -> None:
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(page.search_edit.hasFocus)


def test_filters(qtbot: Any, page: BrowsePage, store: Store) -> None:
    def count(sql: str) -> int:
        return int(store._db.execute(f"SELECT count(*) FROM card WHERE {sql}").fetchone()[0])

    page.type_filter.setCurrentIndex(page.type_filter.findData("choice"))
    assert page.model.rowCount() == count("type = 'choice'") > 0
    assert {page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())} == {
        "choice"}
    page.type_filter.setCurrentIndex(0)
    deck = page.deck_filter.itemData(2)
    page.deck_filter.setCurrentIndex(2)
    assert page.model.rowCount() == count(f"deck_id = {deck}")
    page.deck_filter.setCurrentIndex(0)
    page.state_filter.setCurrentIndex(page.state_filter.findData("new"))
    assert page.model.rowCount() == count("state = 0")
    page.state_filter.setCurrentIndex(page.state_filter.findData("due"))
    assert page.model.rowCount() == 0  # a fresh collection has nothing due


def test_sorting_by_clicking_headers(qtbot: Any, page: BrowsePage) -> None:
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + _section_center(page, 2))
    shown = _headlines(page)
    assert shown == sorted(shown, key=str.casefold)
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    shown = _headlines(page)
    assert shown == sorted(shown, key=str.casefold, reverse=True)
    page.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    types = [page.model.data(page.model.index(r, 1)) for r in range(page.model.rowCount())]
    assert types == sorted(types)


def _section_center(page: BrowsePage, column: int) -> Any:
    from PySide6.QtCore import QPoint

    header = page.table.horizontalHeader()
    return QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2,
                  header.height() // 2)


def test_edit_a_drill_persists(
    qtbot: Any, page: BrowsePage, store: Store, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [card_id] = _select(page, 0)
    before = store.card_json(card_id)

    def fill(editor: CardEditor) -> None:
        form = editor.forms[CardType.DRILL]
        assert form.prompt.text() == before["prompt"]
        form.prompt.setText("Can we talk about the cleaning contract?")
        form.rewrites.setPlainText("Is now a bad time?\n\n  Would it be a waste of time?  ")
        form.pitfalls.setPlainText("Is this a good time? | Still a yes.")
        form.tags.setText("sales, phone sales edited")

    opened = _drive_editor(monkeypatch, fill)
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened[0].saved_card_id == card_id
    page.hide()  # nothing may paint (and query) once the store is closed
    store.close()
    reopened = Store.open(paths.database_path(data_dir))
    try:
        data = reopened.card_json(card_id)
        assert data["prompt"] == "Can we talk about the cleaning contract?"
        assert data["rewrites"] == ["Is now a bad time?", "Would it be a waste of time?"]
        assert data["pitfalls"] == [{"text": "Is this a good time?", "why": "Still a yes."}]
        assert data["tags"] == ["sales", "phone", "edited"]
        assert (data["id"], data["type"], data["rev"]) == (before["id"], "drill", before["rev"])
        assert data["situation"] == before["situation"]
        # A local edit: the upstream hash no longer matches, so a re-import sees a conflict.
        row = reopened._db.execute(
            "SELECT content_hash != upstream_hash, headline, tags FROM card WHERE id = ?",
            [card_id]).fetchone()
        assert row == (1, data["prompt"], " sales phone edited ")
    finally:
        reopened.close()


def test_double_click_opens_the_editor(
    qtbot: Any, page: BrowsePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _drive_editor(monkeypatch, lambda editor: editor.reject())
    [card_id] = _select(page, 3)
    rect = page.table.visualRect(page.model.index(3, 2))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert [e._card_id for e in opened] == [card_id]


@pytest.mark.parametrize("kind", [k for k in CardType if k is not CardType.CONVERSATION])
def test_add_a_card_of_each_type(
    qtbot: Any, page: BrowsePage, store: Store, monkeypatch: pytest.MonkeyPatch, kind: CardType
) -> None:
    deck = page.deck_filter.itemData(2)
    page.deck_filter.setCurrentIndex(2)
    page.type_filter.setCurrentIndex(page.type_filter.findData(str(kind)))
    before = page.model.rowCount()
    position = store.next_position(deck)

    def fill(editor: CardEditor) -> None:
        assert editor.card_type is kind
        assert editor.deck_box.currentData() == deck
        form: Any = editor.form
        if kind is CardType.DRILL:
            form.situation.setPlainText("A landlord call.")
            form.prompt.setText("Can you fix the boiler?")
            form.technique.setCurrentIndex(1)
            form.rewrites.setPlainText("Would it be unreasonable to fix the boiler this week?")
        elif kind is CardType.BASIC:
            form.front.setPlainText("What does a no give?")
            form.back.setPlainText("Control.")
        else:
            form.question.setPlainText("Which is no-oriented?")
            form.options.item(0, 1).setText("Can we?")
            form.options.item(1, 1).setText("Is it a bad idea?")
            form.options.item(1, 0).setCheckState(Qt.CheckState.Checked)
            form.options.item(1, 2).setText("No is the answer you want.")

    opened = _drive_editor(monkeypatch, fill)
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    card_id = opened[0].saved_card_id
    assert card_id is not None
    assert page.model.rowCount() == before + 1
    card = store.card(card_id)
    assert card.deck_id == deck
    assert card.type is kind
    assert card.key.startswith("local-")
    assert len(card.key) == len("local-") + 8
    data = store.card_json(card_id)
    if kind is CardType.DRILL:
        assert data["technique"] == "mislabel"
    if kind is CardType.CHOICE:
        assert data["options"] == [
            {"id": "a", "text": "Can we?"},
            {"id": "b", "text": "Is it a bad idea?", "correct": True,
             "why": "No is the answer you want."},
        ]
    row = store._db.execute("SELECT position, upstream_hash FROM card WHERE id = ?",
                           [card_id]).fetchone()
    assert row == (position, None)


def test_editor_refuses_incomplete_cards(qtbot: Any, store: Store) -> None:
    before = store._db.execute("SELECT count(*) FROM card").fetchone()[0]
    expected = {
        CardType.DRILL: ["Situation is required.", "Prompt is required.",
                         "Write at least one rewrite (one per line)."],
        CardType.BASIC: ["Front is required.", "Back is required."],
        CardType.CHOICE: ["Question is required.", "A choice card needs at least two options."],
    }
    for kind, problems in expected.items():
        editor = CardEditor(store, deck_id=1, card_type=kind)
        qtbot.addWidget(editor)
        editor.save()
        assert editor.error_label.text().splitlines() == problems
        assert editor.saved_card_id is None
    editor = CardEditor(store, deck_id=1, card_type=CardType.CHOICE)
    qtbot.addWidget(editor)
    form: Any = editor.form
    form.question.setPlainText("Q?")
    form.options.item(0, 1).setText("one")
    form.options.item(1, 1).setText("two")
    editor.save()
    assert editor.error_label.text() == "Tick at least one correct option."
    form = editor.forms[CardType.DRILL]
    editor.type_box.setCurrentIndex(editor.type_box.findData("drill"))
    form.situation.setPlainText("s")
    form.prompt.setText("p")
    form.rewrites.setPlainText("r")
    form.pitfalls.setPlainText("no bar here")
    editor.save()
    assert editor.error_label.text() == 'Pitfall 1 needs the form "wrong rewrite | why".'
    assert store._db.execute("SELECT count(*) FROM card").fetchone()[0] == before


def test_suspend_toggles_with_ctrl_j(qtbot: Any, page: BrowsePage, store: Store) -> None:
    ids = _select(page, 0, 1)
    assert len(ids) == 2
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(page.table, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    assert all(store.card(i).suspended for i in ids)
    assert page.model.data(page.model.index(0, 4)) == "suspended"
    _select(page, 0, 1)
    assert page.suspend_button.text() == "Un&suspend"
    page.state_filter.setCurrentIndex(page.state_filter.findData("suspended"))
    assert page.model.rowCount() == 2
    _select(page, 0, 1)
    page.suspend_button.click()
    assert not any(store.card(i).suspended for i in ids)


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_delete_asks_first(
    qtbot: Any, page: BrowsePage, store: Store, monkeypatch: pytest.MonkeyPatch,
    answer: QMessageBox.StandardButton,
) -> None:
    asked: list[tuple[Any, ...]] = []

    def question(*args: Any) -> QMessageBox.StandardButton:
        asked.append(args)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    before = page.model.rowCount()
    ids = _select(page, 2)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(asked) == 1
    assert asked[0][-1] == QMessageBox.StandardButton.No  # the default button is No
    deleted = answer == QMessageBox.StandardButton.Yes
    exists = store._db.execute("SELECT count(*) FROM card WHERE id = ?", ids).fetchone()[0]
    assert exists == (0 if deleted else 1)
    assert page.model.rowCount() == before - int(deleted)


def test_paging_on_two_thousand_cards(qtbot: Any) -> None:
    store = Store.memory()
    with store.atomic():
        deck = store.insert_deck(uuid="p", title="Paged", revision=1, source="local", now=NOW)
        for i in range(2000):
            data = {"id": f"k{i}", "type": "basic", "front": f"Front {i:04d}", "back": "b"}
            store.insert_card(deck, data, position=i, now=NOW)
    page = BrowsePage(store, clock=lambda: NOW)
    qtbot.addWidget(page)
    page.resize(900, 500)
    page.show()
    qtbot.waitExposed(page)
    model = page.model
    assert model.rowCount() == 2000
    page.table.scrollToBottom()
    QApplication.processEvents()
    assert model.data(model.index(1999, 2)) == "Front 1999"
    assert model.data(model.index(1800, 2)) == "Front 1800"
    assert model.pages_loaded <= 3  # the first and last pages, not the eight in between
    assert _headlines(page) == [f"Front {i:04d}" for i in range(2000)]
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert _headlines(page) == [f"Front {i:04d}" for i in reversed(range(2000))]
    # A bulk action reads the selected ranges in one query each, not page by page.
    page.table.selectAll()
    loaded = model.pages_loaded
    ids = page.selected_ids()
    assert model.pages_loaded == loaded
    assert [store.card(i).headline for i in ids[:2]] == ["Front 1999", "Front 1998"]
    assert len(set(ids)) == 2000
    page.toggle_suspended()
    assert store._db.execute("SELECT sum(suspended) FROM card").fetchone()[0] == 2000
    page.search_edit.setText("Front 1")
    qtbot.waitUntil(lambda: model.rowCount() == 1000)
    assert _headlines(page)[-1] == "Front 1000"
    page.hide()
    store.close()


def test_the_editor_shows_the_coach_and_asks_before_saving_a_rejected_rewrite(
        qtbot: Any, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    editor = CardEditor(store, deck_id=1, card_type=CardType.DRILL)
    qtbot.addWidget(editor)
    form: Any = editor.form
    form.situation.setPlainText("A neighbour's music after eleven.")
    form.prompt.setText("Could you keep the music down after eleven?")
    form.rewrites.setPlainText("Would turning it down after eleven be a big ask?\n"
                               "Can you be quieter after eleven, please?")
    form.pitfalls.setPlainText("Would it be a problem to turn it down? | too easy to say no to")
    qtbot.waitUntil(lambda: "Rewrite 2" in form.coach_view.text(), timeout=3000)
    shown = form.coach_view.text().splitlines()
    assert shown[0].startswith("Rewrite 1: ✓ No-oriented question")
    assert shown[1].startswith("Rewrite 2: ✗ Yes-seeking")
    assert shown[2].startswith("Pitfall 1: ✗ the coach accepts it")
    asked: list[str] = []

    def cancel(*args: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    before = store._db.execute("SELECT count(*) FROM card").fetchone()[0]
    editor.save()
    assert "rewrite 2" in asked[0]
    assert "pitfall 1" in asked[0]
    assert store._db.execute("SELECT count(*) FROM card").fetchone()[0] == before
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Save)
    editor.save()
    assert store._db.execute("SELECT count(*) FROM card").fetchone()[0] == before + 1


def test_move_cards_to_another_deck_with_their_history(
    qtbot: Any, page: BrowsePage, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from negodrill.core.session import ReviewSession

    starter, theory = store.find_deck("Starter course"), store.find_deck("Theory: why no works")
    session = ReviewSession(store, deck_ids=[starter], fuzz=False)
    studied = session.current()
    assert studied is not None
    session.grade(session.check("Is now a bad time to talk about it?").suggested)
    page.deck_filter.setCurrentIndex(page.deck_filter.findData(starter))
    rows = [r for r in range(page.model.rowCount())
            if page.model.row_at(r).id == studied.id] + [5]
    ids = _select(page, *rows)
    asked: list[str] = []
    monkeypatch.setattr(page, "ask_deck", lambda q: asked.append(q) or theory)
    notices: list[str] = []
    page.notice.connect(notices.append)
    qtbot.keyClick(page.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert asked == ["Move these 2 cards to:"]
    assert notices == ["Moved 2 cards to “Theory: why no works”."]
    for card_id in ids:
        assert store.card(card_id).deck_id == theory
    moved = store.card(studied.id)
    assert moved.reps == 1  # the history and schedule came along
    tally = dict(store._db.execute(
        "SELECT deck_id, sum(reviews) FROM review_tally GROUP BY deck_id").fetchall())
    assert tally == {theory: 1}
    assert store.integrity_problems(full=True) == []


def test_the_editor_moves_a_card_to_the_deck_chosen(
    page: BrowsePage, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    theory = store.find_deck("Theory: why no works")

    def choose(editor: CardEditor) -> None:
        assert editor.deck_box.isEnabled()
        editor.deck_box.setCurrentIndex(editor.deck_box.findData(theory))

    _drive_editor(monkeypatch, choose)
    [card_id] = _select(page, 0)
    page.edit_current()
    assert store.card(card_id).deck_id == theory
