"""Merging a read Package into the collection: one code path for the preview and the import.

Every reader hands over decks of checked native card objects; this module decides, card by
card, what an import does (add, update, keep unchanged, retire, keep the learner's own edit) and
does it in one transaction. With `dry_run` the very same walk runs without writing, so a preview
can never promise something the import then does differently.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from negodrill.core.cards import content_hash
from negodrill.core.errors import DatabaseError, DeckError
from negodrill.core.models import CardState, Grade, Review, Schedule
from negodrill.core.progress import CancelToken, Progress, no_progress
from negodrill.core.studyday import utc_now
from negodrill.deckio.package import CardProgress, IncomingDeck, IncomingReview, Package
from negodrill.storage.store import Store, from_ms


@dataclass
class DeckOutcome:
    """What an import does (or, in a preview, would do) to one deck."""

    title: str
    deck_id: int | None = None  # None in a preview of a deck not yet in the collection
    new_deck: bool = False
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    reviews: int = 0  # review-history rows brought in
    conflicts: list[str] = field(default_factory=list)  # card ids whose local edit was kept

    def describe(self) -> str:
        parts = [f"{self.added} added"]
        if not self.new_deck:
            parts += [f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.retired:
            parts.append(f"{self.retired} retired")
        if self.reviews:
            parts.append(f"{self.reviews} reviews")
        text = f'"{self.title}": ' + ", ".join(parts)
        if self.conflicts:
            text += (f"; {len(self.conflicts)} of your own edits kept over the author's "
                     f"({', '.join(self.conflicts[:5])})")
        return text


@dataclass
class ImportReport:
    """A whole file's import: its format, each deck's outcome, and what was left out."""

    name: str
    format: str
    decks: list[DeckOutcome]
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def total(self, what: str) -> int:
        return sum(int(getattr(deck, what)) for deck in self.decks)

    @property
    def conflicts(self) -> int:
        return sum(len(deck.conflicts) for deck in self.decks)

    def summary_line(self) -> str:
        """One line for the terminal: the file, its format and every count."""
        decks = len(self.decks)
        line = (
            f"{self.name}: {self.format}, {decks} deck{'s' if decks != 1 else ''}, "
            f"{self.total('added')} added, {self.total('updated')} updated, "
            f"{self.total('unchanged')} unchanged, {self.total('retired')} retired, "
            f"{self.skipped} skipped, {self.conflicts} conflicts"
        )
        if self.total("reviews"):
            line += f", {self.total('reviews')} reviews"
        return line + (" (dry run: nothing written)" if self.dry_run else "")

    def conflict_lines(self) -> list[str]:
        return [
            f'conflict: "{deck.title}" card {card_id}: your edit was kept; '
            "the file's newer text was not applied"
            for deck in self.decks
            for card_id in deck.conflicts
        ]

    def describe(self) -> str:
        """Several lines for a dialog: each deck, then what was skipped and noted."""
        lines = [deck.describe() for deck in self.decks]
        if self.skipped:
            lines.append(f"{self.skipped} cards skipped (nothing left to show once pictures "
                         "and sound were removed)")
        return "\n".join([*lines, *self.notes])


def import_package(
    store: Store,
    package: Package,
    *,
    dry_run: bool = False,
    with_history: bool = True,
    source: str = "import",
    now: datetime | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> ImportReport:
    """Merge every deck of `package` into the collection, all in one transaction.

    :param dry_run: walk the same way but write nothing (the preview and `import --dry-run`).
    :param with_history: bring in the file's review history and rebuild each card's schedule.
    A DeckError or a cancel rolls everything back.
    """
    merger = _Merger(store, write=not dry_run, with_history=with_history, source=source,
                     now=now or utc_now(), progress=progress, cancel=cancel,
                     total=package.card_count,
                     history_total=sum(len(r) for deck in package.decks
                                       for r in deck.history.values()) if with_history else 0)
    report = ImportReport(name=package.name, format=package.format, decks=[],
                          skipped=package.skipped, notes=list(package.notes), dry_run=dry_run)
    _check_identities(package)
    try:
        with store.atomic():
            for deck in package.decks:
                report.decks.append(merger.merge(deck))
    except sqlite3.Error as exc:
        raise DatabaseError(f"{package.name}: the collection could not take the import "
                            f"({exc}); nothing was changed") from None
    return report


def _check_identities(package: Package) -> None:
    """Two decks or two cards of one deck under one id would overwrite each other."""
    uuids: set[str] = set()
    for deck in package.decks:
        if deck.uuid in uuids:
            raise DeckError(f'{package.name}: two decks share the id {deck.uuid} '
                            f'("{deck.title}")')
        uuids.add(deck.uuid)
        seen: set[str] = set()
        for card in deck.cards:
            if card["id"] in seen:
                raise DeckError(f'{package.name}: the card id "{card["id"]}" appears twice in '
                                f'"{deck.title}"')
            seen.add(card["id"])


class _Merger:
    def __init__(
        self, store: Store, *, write: bool, with_history: bool, source: str, now: datetime,
        progress: Progress, cancel: CancelToken | None, total: int, history_total: int,
    ) -> None:
        self.store, self.write, self.with_history = store, write, with_history
        self.source, self.now = source, now
        self.progress, self.cancel, self.total = progress, cancel, total
        self.done = 0
        self._scheduler: Any = None
        self.replayed, self._next_report, self.history_total = 0, 5000, history_total

    def step(self) -> None:
        self.done += 1
        if self.done % 500 == 0 or self.done == self.total:
            if self.cancel is not None:
                self.cancel.check()
            self.progress(self.done, self.total, "cards")

    def merge(self, deck: IncomingDeck) -> DeckOutcome:
        existing = self.store.deck_by_uuid(deck.uuid)
        outcome = DeckOutcome(title=deck.title, new_deck=existing is None)
        if existing is None:
            if self.write:
                outcome.deck_id = self.store.insert_deck(
                    uuid=deck.uuid, title=deck.title, revision=deck.revision or 1,
                    source=self.source, description=deck.description, meta=deck.meta,
                    techniques=deck.techniques, now=self.now,
                )
            known: dict[str, dict[str, Any]] = {}
        else:
            outcome.deck_id = existing["id"]
            if deck.revision is not None and deck.revision < existing["revision"]:
                raise DeckError(
                    f'"{deck.title}" revision {deck.revision} is older than the one you have '
                    f"(revision {existing['revision']}); nothing was changed"
                )
            if self.write:
                self.store.update_deck(
                    existing["id"], title=deck.title,
                    revision=deck.revision or existing["revision"],
                    description=deck.description, meta=deck.meta or existing["meta"],
                    techniques=deck.techniques or existing["techniques"], now=self.now,
                )
            known = self.store.card_keys(existing["id"])
        seen: set[str] = set()
        added: list[tuple[int, dict[str, Any]]] = []  # written together: far fewer statements
        for position, card in enumerate(deck.cards):
            seen.add(card["id"])
            old = known.get(card["id"])
            if old is None:
                added.append((position, card))
                outcome.added += 1
            else:
                self._merge_card(deck, outcome, card, old, position)
            self.step()
        if self.write and outcome.deck_id is not None:
            self.store.insert_cards(outcome.deck_id, added, now=self.now)
            self.store.suspend_keys(outcome.deck_id,
                                    [c["id"] for _p, c in added if c["id"] in deck.suspended])
        gone = [v["id"] for k, v in known.items() if k not in seen and not v["retired"]]
        outcome.retired = len(gone)
        if self.write:
            self.store.retire_cards(gone)
        if self.with_history and deck.history:
            self._bring_history(deck, outcome)
        return outcome

    def _merge_card(
        self, deck: IncomingDeck, outcome: DeckOutcome, card: dict[str, Any],
        old: dict[str, Any], position: int,
    ) -> None:
        new_hash = content_hash(card)
        locally_edited = old["upstream_hash"] is not None and old["hash"] != old["upstream_hash"]
        # Anki has no revisions: a note changed upstream when its modification time is newer.
        stale = deck.newer_only and int(card.get("rev", 1)) <= int(old["upstream_rev"] or 0)
        if stale or new_hash == old["upstream_hash"]:
            if self.write and (old["retired"] or old["position"] != position):
                self.store.move_card(old["id"], position=position)
            outcome.unchanged += 1
        elif new_hash == old["hash"]:
            # The author now says what the learner wrote: that text becomes upstream.
            if self.write:
                self.store.update_card_content(old["id"], card, now=self.now, upstream=True,
                                               position=position)
            outcome.unchanged += 1
        elif locally_edited:
            outcome.conflicts.append(card["id"])
        else:
            if self.write:
                self.store.update_card_content(old["id"], card, now=self.now, upstream=True,
                                               position=position)
                if card.get("reset_progress") and card.get("rev", 1) != old["upstream_rev"]:
                    self.store.reset_card(old["id"])
            outcome.updated += 1

    def _bring_history(self, deck: IncomingDeck, outcome: DeckOutcome) -> None:
        """Append the file's reviews that the collection lacks and rebuild each card's schedule.

        A review is new when it is later than the card's latest stored review, so importing
        the same file twice never doubles the history.
        """
        if outcome.deck_id is None:  # a preview of a new deck: every review is new
            outcome.reviews = sum(len(reviews) for reviews in deck.history.values())
            return
        ids = {key: value["id"] for key, value in self.store.card_keys(outcome.deck_id).items()}
        latest = self.store.last_review_times(outcome.deck_id)
        for key, reviews in deck.history.items():
            card_id = ids.get(key)
            if card_id is None:
                continue
            fresh = [r for r in reviews if r.time_ms > latest.get(card_id, -1)]
            outcome.reviews += len(fresh)
            if fresh and self.write:
                self._replay(card_id, fresh, deck.schedules.get(key))
                self.replayed += len(fresh)
                if self.replayed >= self._next_report:  # long histories: report and listen
                    self._next_report += 5000
                    if self.cancel is not None:
                        self.cancel.check()
                    self.progress(self.replayed, self.history_total, "reviews")

    def _replay(self, card_id: int, reviews: list[IncomingReview],
                final: CardProgress | None) -> None:
        """Rebuild the schedule review by review; the file's own final schedule, when it has
        one for the same last review, wins (fuzz made the learner's due dates; keep them)."""
        if self._scheduler is None:
            from negodrill.core.scheduling import Scheduler

            # No fuzz: the same history always rebuilds the same schedule.
            self._scheduler = Scheduler(self.store.preset(), fuzz=False)
        card = self.store.card(card_id)
        schedule = card.schedule
        steps = []
        for incoming in reviews:
            moment = from_ms(incoming.time_ms)
            assert moment is not None
            grade = Grade(incoming.grade)
            schedule = self._scheduler.outcome(card_id, schedule, grade, moment).schedule
            steps.append((Review(
                card_id=card_id, time=moment, grade=grade, duration_ms=incoming.duration_ms,
                answer=incoming.answer, correct=incoming.correct,
                coach_label=incoming.coach_label, coach_flaws=incoming.coach_flaws,
            ), schedule))
        # The stored last review is the start of that study day: within a day before the
        # file's last review means the schedule was written after it.
        since = reviews[-1].time_ms - (final.last_review_ms or 0) if final else -1
        if final is not None and final.last_review_ms is not None and 0 <= since < 86_400_000:
            steps[-1] = (steps[-1][0], Schedule(
                state=CardState(final.state), step=final.step, stability=final.stability,
                difficulty=final.difficulty, due=from_ms(final.due_ms),
                last_review=from_ms(final.last_review_ms)))
        self.store.write_reviews(card, steps)
