"""The Decks menu: new, rename and delete decks in the window, and one undo stack for the
Decks page (Ctrl+Z undoes the newest of a grade and a delete)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from negodrill.core.models import Grade


def _titles(window: Any) -> list[str]:
    tree = window.decks_page.deck_list
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


def _select(window: Any, title: str) -> None:
    window.decks_page.select_deck(window.store.find_deck(title))


def test_new_rename_and_delete_with_undo(window: Any, qtbot: Any, monkeypatch: Any) -> None:
    actions = window.deck_actions
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "De&cks")
    assert [a.text() for a in menu.actions() if a.text()] == [
        "&New deck…", "&Rename deck…", "&Delete deck…", "&Options…", "Study &more…",
        "&Undo"]
    # The deck list's right-click menu holds the same actions.
    assert window.decks_page.deck_list.actions() == actions.actions

    monkeypatch.setattr(actions, "ask_title", lambda *_a: "  Pay  talks ")
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert "Pay talks" in _titles(window)
    assert window.decks_page.selected_deck_title() == "Pay talks"

    # A title that is taken: one sentence, nothing changed.
    monkeypatch.setattr(actions, "ask_title", lambda *_a: "starter COURSE")
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_F2)
    assert window.message_box is not None
    assert window.message_box.text() == 'there is already a deck called "starter COURSE".'
    window.message_box.close()
    assert "Pay talks" in _titles(window)

    monkeypatch.setattr(actions, "ask_title", lambda *_a: "Salary talks")
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_F2)
    assert "Salary talks" in _titles(window)
    assert "Pay talks" not in _titles(window)

    # Delete asks, says how many cards go, and Cancel keeps the deck.
    _select(window, "Starter course")
    asked: list[str] = []
    monkeypatch.setattr(actions, "confirm", lambda q: asked.append(q) or False)
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Delete)
    assert asked[0].startswith('Delete "Starter course" and its 42 cards')
    assert "Starter course" in _titles(window)
    monkeypatch.setattr(actions, "confirm", lambda _q: True)
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Delete)
    assert "Starter course" not in _titles(window)
    assert "Ctrl+Z" in window.statusBar().currentMessage()

    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _titles(window)[0] == "Starter course"  # back, in its place
    assert window.decks_page.selected_deck_title() == "Starter course"
    assert window.store.integrity_problems(full=True) == []


def test_ctrl_z_on_decks_undoes_the_newest_of_a_grade_and_a_delete(
        window: Any, qtbot: Any, monkeypatch: Any) -> None:
    actions = window.deck_actions
    monkeypatch.setattr(actions, "confirm", lambda _q: True)
    _select(window, "Starter course")
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Return)
    page = window.review_page
    qtbot.keyClicks(page.rewrite_edit, "Is now a bad time to talk about your cleaning contract?")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    page.grade(Grade.GOOD)
    qtbot.keyClick(page, Qt.Key.Key_Escape)
    reviews = window.store._db.execute("SELECT count(*) FROM review").fetchone()[0]
    assert reviews == 1

    _select(window, "Mislabels")  # not the deck being studied
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Delete)
    assert "Mislabels" not in _titles(window)
    deck_list = window.decks_page.deck_list
    qtbot.keyClick(deck_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "Mislabels" in _titles(window)  # the delete was newer
    assert window.store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 1
    qtbot.keyClick(deck_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # Then the grade: the card comes back to study, with its answer.
    assert window.store._db.execute("SELECT count(*) FROM review").fetchone()[0] == 0
    assert window.stack.currentWidget() is page
    assert page.rewrite_edit.text().startswith("Is now a bad time")


def test_a_large_delete_shrinks_the_file_on_a_worker(window: Any, qtbot: Any,
                                                     monkeypatch: Any) -> None:
    from negodrill.deckio import deck_admin

    monkeypatch.setattr(deck_admin, "SHRINK_AFTER_CARDS", 40)
    actions = window.deck_actions
    monkeypatch.setattr(actions, "confirm", lambda _q: True)
    _select(window, "No-oriented questions")
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Delete)
    task = actions.shrink_task
    assert task is not None
    with qtbot.waitSignal(task.signals.finished, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: "space back" in window.statusBar().currentMessage())
    assert window.store.integrity_problems(full=True) == []
    # Still undoable after the shrink.
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "No-oriented questions" in _titles(window)


def test_a_deck_with_its_own_preset_shows_and_studies_its_own_limits(
        window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from negodrill.core.session import ReviewSession
    from negodrill.storage import presets
    from negodrill.ui.deck_options import NEW_PRESET, DeckOptionsDialog

    store = window.store
    labels, mislabels = store.find_deck("Labels"), store.find_deck("Mislabels")
    dialog = DeckOptionsDialog(store, labels, window)
    assert dialog.preset_box.currentText().startswith("Default (used by 9 decks)")
    dialog.preset_box.setCurrentIndex(dialog.preset_box.findData(NEW_PRESET))
    dialog.name_edit.setText("Gentle")
    dialog.new_spin.setValue(5)
    dialog.retention_spin.setValue(0.85)
    dialog.save()
    mine = presets.deck_preset_id(store, labels)
    assert [name for _id, name, _s in presets.presets(store)] == ["Default", "Gentle"]
    # A second deck shares it by name; a change to it changes both.
    presets.use(store, mislabels, mine)
    window.refresh_decks()
    tree = window.decks_page.deck_list
    new_counts = {tree.topLevelItem(i).text(0): tree.topLevelItem(i).text(1)
                  for i in range(tree.topLevelItemCount())}
    assert new_counts["Labels"] == "5"
    assert new_counts["Mislabels"] == "5"
    assert new_counts["Starter course"] == "20"
    session = ReviewSession(store, deck_ids=[labels], fuzz=False)
    assert session.remaining == (5, 0, 0)
    assert session.preset.desired_retention == 0.85
    assert session.preset.rollover_hour == store.preset().rollover_hour  # the default's
    # Every deck at once: each deck gives at most its own room, the default caps the whole.
    everything = ReviewSession(store, fuzz=False)
    assert everything.remaining[0] == 20
    # The Decks menu opens the options of the selected deck.
    opened: list[int] = []
    monkeypatch.setattr(window.deck_actions, "open_options", lambda d: opened.append(d) or True)
    window.decks_page.select_deck(labels)
    window.deck_actions.options_action.trigger()
    assert opened == [labels]


def test_study_more_from_the_decks_menu(window: Any, qtbot: Any, monkeypatch: Any) -> None:
    from negodrill.core.session import StudyMore
    from negodrill.ui.study_more import StudyMoreDialog

    store = window.store
    starter = store.find_deck("Starter course")
    dialog = StudyMoreDialog(store, starter, window)
    assert dialog.choice() == StudyMore(extra_new=10)
    dialog.tag_choice.setChecked(True)
    dialog.tag_box.setCurrentText("phone")
    assert dialog.choice() == StudyMore(tag="phone")
    dialog.flaw_choice.setChecked(True)
    dialog.flaw_box.setCurrentIndex(dialog.flaw_box.findData("pushy"))
    dialog.reschedule.setChecked(True)
    assert dialog.choice() == StudyMore(flaw="pushy", reschedule=True)

    monkeypatch.setattr(window.deck_actions, "ask_more", lambda _d: StudyMore(tag="phone"))
    window.decks_page.select_deck(starter)
    qtbot.keyClick(window.decks_page.deck_list, Qt.Key.Key_S,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    page = window.review_page
    assert window.stack.currentWidget() is page
    assert page.deck_label.text() == "Starter course · practice: due dates unchanged"
    card = page.current_card
    assert " phone " in store._db.execute("SELECT tags FROM card WHERE id = ?",
                                         [card.id]).fetchone()[0]
    before = store.card(card.id)
    qtbot.keyClicks(page.rewrite_edit, "Is now a bad time to talk about it?")
    qtbot.keyClick(page.rewrite_edit, Qt.Key.Key_Return)
    assert "no change" in page.grade_buttons[Grade.GOOD].text()
    qtbot.keyClick(page, Qt.Key.Key_3)
    assert store.card(card.id) == before
    assert store._db.execute("SELECT unscheduled FROM review").fetchall() == [(1,)]
