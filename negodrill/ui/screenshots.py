"""`python -m negodrill.ui.screenshots OUT_DIR [--scale 2]`: every screen as PNG, light and dark.

Renders the real window on sample data (a temporary data dir with the built-in decks and a few
reviews) with `QWidget.grab()`, so it works offscreen. `--scale 2` renders a few screens at
200 % (QT_SCALE_FACTOR) to check HiDPI. Look at every picture: a screen nobody looked at is not
done.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

DRILL_ANSWER = "Is now a bad time to talk about your cleaning contract?"


def _sample_store(folder: Path) -> Any:
    from dataclasses import replace

    from negodrill.core.models import Grade
    from negodrill.core.session import ReviewSession
    from negodrill.deckio.library import open_library

    store = open_library(folder)
    store.save_preset(replace(store.preset(), new_per_day=200))  # room for every card type
    starter = store.deck_ids()[0]
    session = ReviewSession(store, deck_ids=[starter], limit=3, fuzz=False)
    answers = ["Can we talk about your contract?", "Is it a bad time to ask?", ""]
    for answer in answers:
        if session.current() is None:
            break
        session.check(answer)
        session.grade(Grade.GOOD if answer.startswith("Is") else Grade.AGAIN, answer=answer)
    return store


GOOD_ANSWERS = ("Would it be a bad idea to talk about this now?", "Is now a bad time to talk?",
                "It seems like you are in no hurry.", "Have you given up on this?")
WEAK_ANSWERS = ("Can we talk about this now?", "I think you want to agree, right?",
                "I feel like we should talk, right?", "Can you send it by Friday?")


def sample_history(store: Any, *, days: int = 63, per_day: int = 30, seed: int = 7) -> int:
    """Study most days of the last `days` the way a learner improves: drill answers that the
    coach rejects at first (yes-seeking, leading) and accepts more often week after week.
    Returns the number of reviews written."""
    import random
    from dataclasses import replace
    from datetime import timedelta

    from negodrill.core.content import Basic, Choice
    from negodrill.core.models import Grade
    from negodrill.core.session import ReviewSession
    from negodrill.core.studyday import utc_now

    rng = random.Random(seed)
    preset = store.preset()
    store.save_preset(replace(preset, new_per_day=12))
    start = utc_now().replace(hour=17, minute=0, second=0, microsecond=0) - timedelta(days=days)
    written = 0
    for day in range(days):
        if rng.random() < 0.15:  # a day off now and then
            continue
        clock = [start + timedelta(days=day, minutes=rng.randint(0, 120))]

        def now(clock: list[Any] = clock) -> Any:
            return clock[0]

        session = ReviewSession(store, limit=per_day + rng.randint(-8, 8), clock=now, fuzz=False)
        skill = 0.2 + 0.75 * day / days  # the chance of a good first answer
        while (card := session.current()) is not None:
            content = card.content
            if isinstance(content, Choice):
                options = session.option_order(card)
                right = next(i for i, o in enumerate(options, 1) if o.correct)
                answer = str(right if rng.random() < 0.5 + skill / 2 else
                             rng.randint(1, len(options)))
            elif isinstance(content, Basic):
                answer = ""
            else:
                pool = GOOD_ANSWERS if rng.random() < skill else WEAK_ANSWERS
                answer = rng.choice(pool)
            verdict = session.check(answer)
            grade = verdict.suggested
            if isinstance(content, Basic) and rng.random() < 0.12:
                grade = Grade.AGAIN
            if grade is Grade.GOOD and rng.random() < 0.15:
                grade = Grade.HARD if rng.random() < 0.7 else Grade.EASY
            session.grade(grade, answer=answer)
            written += 1
            clock[0] += timedelta(seconds=rng.randint(15, 70))
    # The session times answers with the real clock; give them a learner's pace.
    from negodrill.storage.demo import spread_durations

    spread_durations(store)
    store.save_preset(preset)
    return written


def _study_until(window: Any, deck_title: str, kind: str) -> None:
    """Open `deck_title` and grade cards Easy until a card of `kind` shows."""
    from negodrill.core.models import Grade

    store = window.store
    deck_id = next(i for i in store.deck_ids() if store.deck(i)["title"] == deck_title)
    window.study_deck(deck_id)
    page = window.review_page
    while page.current_card is not None and page.current_card.type.value != kind:
        page.session.check("")
        page.session.grade(Grade.EASY)
        page.show_current()


def _study_until_multiple(window: Any, deck_title: str) -> None:
    """Open `deck_title` and grade cards Easy until a pick-all-that-apply card shows."""
    from negodrill.core.content import Choice
    from negodrill.core.models import Grade

    store = window.store
    deck_id = next(i for i in store.deck_ids() if store.deck(i)["title"] == deck_title)
    window.study_deck(deck_id)
    page = window.review_page
    while page.current_card is not None and not (
            isinstance(page.current_card.content, Choice) and page.current_card.content.multiple):
        page.session.check("")
        page.session.grade(Grade.EASY)
        page.show_current()


def _pick_some(window: Any) -> None:
    """Toggle the first right option and the first wrong one: a partly right answer."""
    page = window.review_page
    options = page.session.option_order(page.current_card)
    page.number_key(next(i for i, o in enumerate(options, 1) if o.correct))
    page.number_key(next(i for i, o in enumerate(options, 1) if not o.correct))


def render(out: Path, *, themes: tuple[str, ...], scale_suffix: str = "",
           only: set[str] | None = None) -> list[Path]:
    """Render every screen once per theme, each theme on fresh sample data."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in themes:
        with tempfile.TemporaryDirectory(prefix="negodrill-shots-") as tmp:
            store = _sample_store(Path(tmp))
            try:
                written += _render_theme(app, store, name, out, scale_suffix, only)
            finally:
                store.close()
    return written


def _render_theme(app: Any, store: Any, theme_name: str, out: Path, suffix: str,
                  only: set[str] | None) -> list[Path]:
    from negodrill.core.models import Grade
    from negodrill.core.session import ReviewSession
    from negodrill.ui import theme
    from negodrill.ui.main_window import MainWindow

    theme.apply_theme(app, theme_name)
    win = MainWindow(store)
    win.save_geometry_on_close = False
    win.resize(960, 680)
    win.show()
    written: list[Path] = []

    def shot(screen: str, prepare: Callable[[], object]) -> None:
        prepare()  # always: later screens build on earlier ones
        if only is not None and screen not in only:
            return
        for _ in range(3):
            app.processEvents()
        path = out / f"{screen}-{theme_name}{suffix}.png"
        win.grab().save(str(path))
        written.append(path)

    def drill_typing() -> None:
        win.show_page("decks")
        win.study_selected()
        win.review_page.rewrite_edit.setText(DRILL_ANSWER)
        win.review_page.update_live_verdict()

    def summary() -> None:
        session = ReviewSession(store, deck_ids=[store.deck_ids()[0]], limit=2)
        page = win.ensure_review_page()
        win.show_page("review")
        page.start(session, "Starter course")
        for answer in ("Do you have time to talk?", "Would it be crazy to ask?"):
            page.rewrite_edit.setText(answer)
            page.check_or_accept()
            page.grade(Grade.AGAIN if answer.startswith("Do") else Grade.EASY)
        while page.current_card is not None:
            page.check_or_accept()
            page.grade(Grade.EASY)

    theory = "Theory: why no works"
    backup_at(store, hours_ago=30 * 24, reason="before upgrade")  # the collection as first opened
    shot("decks", lambda: win.show_page("decks"))
    shot("review-drill", drill_typing)
    shot("review-drill-hint", lambda: win.review_page.show_drill_hint())
    shot("review-drill-checked", lambda: win.review_page.check_or_accept())
    shot("review-basic", lambda: _study_until(win, theory, "basic"))
    shot("review-basic-revealed", lambda: win.review_page.check_or_accept())
    shot("review-choice", lambda: _study_until(win, theory, "choice"))
    shot("review-choice-picked", lambda: win.review_page.number_key(1))
    shot("review-choice-multiple", lambda: (_study_until_multiple(win, theory), _pick_some(win)))
    shot("review-choice-multiple-checked", lambda: win.review_page.check_or_accept())
    shot("summary", summary)
    backup_at(store, hours_ago=9 * 24, reason="automatic")

    def conversation() -> None:
        deck = next(d for d in store.deck_ids() if store.deck(d)["title"] == "Conversations")
        win.show_page("decks")
        win.study_deck(deck)
        view = win.review_page.conversation_view
        turns = view.conversation.turns
        view.move_edit.setText(turns[0].model)
        view.send()
        view.move_edit.setText("Can you just give it a try for a month?")  # a yes-seeking slip
        view.send()
        view.move_edit.setText(turns[2].model)
        view.update_live_verdict()

    def conversation_summary() -> None:
        view = win.review_page.conversation_view
        view.send()
        while view.play is not None and not view.play.finished:
            view.move_edit.setText(view.conversation.turns[view.play.index].model)
            view.send()

    shot("conversation", conversation)
    shot("conversation-summary", conversation_summary)

    from negodrill.ui.practice import PracticePage

    def practice() -> None:
        win.show_page("practice")
        page = win.page("practice")
        assert isinstance(page, PracticePage)
        page.ask_edit.setText("Can you send the signed contract by Friday?")
        page.sentence_edit.setPlainText("I feel like you're ready to sign, but can you send it?")
        page.update_analysis()

    def progress() -> None:
        import time

        from negodrill.ui.progress_page import ProgressPage

        sample_history(store)  # nine weeks of study before today
        win.show_page("progress")
        page = win.page("progress")
        assert isinstance(page, ProgressPage)
        page.period_combo.setCurrentIndex(page.period_combo.findData("all"))
        page.refresh()
        deadline = time.monotonic() + 30
        while not page.charts_drawn and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)

    shot("practice", practice)
    shot("browse", lambda: win.show_page("browse"))
    shot("progress", progress)
    backup_at(store, hours_ago=29, reason="manual")
    backup_at(store, hours_ago=2, reason="automatic")
    shot("settings", lambda: win.show_page("settings"))
    if only is None or "disagree" in only:
        written.append(_disagree_shot(app, win, out / f"disagree-{theme_name}{suffix}.png"))
    if only is None or "import-preview" in only:
        written.append(_import_preview_shot(app, win, store, out / f"import-preview-"
                                            f"{theme_name}{suffix}.png"))
    if only is None or "restore" in only:
        written.append(_restore_shot(app, win, store, out / f"restore-{theme_name}{suffix}.png"))
    if only is None or "read-only" in only:
        written.append(_read_only_shot(app, store, out / f"read-only-{theme_name}{suffix}.png"))
    win.close()
    win.deleteLater()
    app.processEvents()
    return written


def _disagree_shot(app: Any, win: Any, path: Path) -> Path:
    """Ctrl+D on a drill whose rewrite uses a word the coach cannot read."""
    from negodrill.core.coach import analyse
    from negodrill.ui.disagree_dialog import DisagreeDialog

    text = "Would a Friday call be a bit bleurgh for your team?"
    ask = "Can we move the call to Friday?"
    dialog = DisagreeDialog(text, ask, analyse(text, ask), win)
    dialog.comment_edit.setText("'Bleurgh' means it would be a burden")
    return _grab_dialog(app, dialog, path)


def _grab_dialog(app: Any, dialog: Any, path: Path) -> Path:
    dialog.show()
    for _ in range(3):
        app.processEvents()
    dialog.grab().save(str(path))
    dialog.close()
    return path


# Backups are dated from a fixed moment, so the restore dialog reads the same on every run.
BACKUP_CLOCK = (2026, 12, 4, 18, 40)


def backup_at(store: Any, *, hours_ago: int, reason: str) -> Any:
    """A backup of the sample collection as it is now, dated `hours_ago` before BACKUP_CLOCK."""
    from datetime import UTC, datetime, timedelta

    from negodrill.storage.backups import create_backup

    now = datetime(*BACKUP_CLOCK, tzinfo=UTC) - timedelta(hours=hours_ago)
    return create_backup(Path(store.path), now=now, reason=reason)


def _restore_shot(app: Any, win: Any, store: Any, path: Path) -> Path:
    """File > Restore from backup…: the backups taken as the sample collection grew."""
    from negodrill.ui.restore_dialog import RestoreDialog

    return _grab_dialog(app, RestoreDialog(Path(store.path).parent, win), path)


def _read_only_shot(app: Any, store: Any, path: Path) -> Path:
    """The window on a collection opened for reading only, with its banner."""
    from negodrill.storage.store import open_store
    from negodrill.ui.main_window import MainWindow

    reader = open_store(Path(store.path), read_only=True)
    try:
        win = MainWindow(reader)
        win.save_geometry_on_close = False
        win.resize(960, 680)
        win.show_page("decks")
        win.show()
        for _ in range(3):
            app.processEvents()
        win.grab().save(str(path))
        win.close()
        win.deleteLater()
        app.processEvents()
    finally:
        reader.close()
    return path


def _import_preview_shot(app: Any, win: Any, store: Any, path: Path) -> Path:
    """The preview of a colleague's newer revision of a built-in deck, with one conflict."""
    from negodrill.core.studyday import utc_now
    from negodrill.deckio.editing import save_card
    from negodrill.deckio.merge import import_package
    from negodrill.deckio.native import deck_document, native_package
    from negodrill.ui.import_preview import ImportPreview

    deck_id = store.deck_ids()[2]
    doc = deck_document(store, deck_id)
    doc["deck"]["revision"] += 1
    cards = doc["cards"]
    edited = int(store.card_keys(deck_id)[cards[0]["id"]]["id"])
    save_card(store, store.card_json(edited) | {"notes": "My own note."}, now=utc_now(),
              card_id=edited)
    for card in cards[:4]:
        card["notes"] = card.get("notes", "") + " Revised by the author."
    del cards[10:12]
    cards.append({"id": "new-handout-card", "type": "basic",
                  "front": "What does a no-oriented question protect?",
                  "back": "The other side's sense of control."})
    report = import_package(store, native_package(doc, name="mislabels-rev2.negodeck"),
                            dry_run=True)
    return _grab_dialog(app, ImportPreview(report, win), path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m negodrill.ui.screenshots")
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="render at this scale (QT_SCALE_FACTOR), e.g. 2 for 200 %%")
    args = parser.parse_args(argv)
    if not any(os.environ.get(v) for v in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a tool, not the app: no display needed
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"
        paths = render(args.out, themes=("light",), scale_suffix=f"@{args.scale:g}x",
                       only={"decks", "review-drill-checked", "settings", "conversation"})
    else:
        paths = render(args.out, themes=("light", "dark"))
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
