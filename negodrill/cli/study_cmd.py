"""`negodrill study`: study in the terminal, scriptable through a pipe.

Every card takes exactly two input lines: the answer (a rewrite, an option number, the numbers
of a pick-all-that-apply card like `1,3`, or any line to reveal a basic card) and the grade (1-4;
anything else takes the suggested grade); on a level-2 drill a line of just "?" shows the hint
and asks again. A conversation
takes one line per turn (the move; a line of just "?" shows the model answer, which counts the
turn as missed, and asks again), then the grade line. The grade is committed before the `graded`
line is printed, so a script that saw it knows the review is safe.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import TYPE_CHECKING, TextIO

from negodrill.core.coach.words import flaw_title, label_title, moves_in_words
from negodrill.core.content import Basic, Choice, Conversation, Drill
from negodrill.core.models import Grade

if TYPE_CHECKING:
    from negodrill.core.models import Card
    from negodrill.core.session import ReviewSession, Verdict

WIDTH = 78


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "study",
        help="study in the terminal",
        description="Study due and new cards. Each card reads two lines: your answer, then the "
        "grade (1 Again, 2 Hard, 3 Good, 4 Easy; Enter takes the suggested grade). "
        "End of input ends the session.",
    )
    p.add_argument("--deck", metavar="D", help="deck title, number (see `decks`) or UUID")
    p.add_argument("--limit", metavar="N", type=_positive, help="study at most N cards")
    p.set_defaults(func=run)


def _positive(text: str) -> int:
    """--limit N: a usage error (exit 2) unless N is a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def _wrap(text: str, indent: str = "  ") -> str:
    """Wrap to the terminal width; continuation lines align under the first line's text."""
    hang = " " * len(indent)
    return "\n".join(
        textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=hang)
        for line in text.splitlines() or [""]
    )


class TerminalStudy:
    """Drives a ReviewSession from lines of text."""

    def __init__(self, session: ReviewSession, *, out: TextIO, inp: TextIO) -> None:
        self.session, self.out, self.inp = session, out, inp

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def ask(self, prompt: str) -> str | None:
        self.out.write(prompt)
        self.out.flush()
        line = self.inp.readline()
        if not line:
            self.say()
            return None
        if not self.inp.isatty():
            self.say()
        return line.rstrip("\r\n")

    def show(self, card: Card) -> None:
        new, learning, review = self.session.remaining
        head = f"-- left: {new} new, {learning} learning, {review} review "
        self.say(head + "-" * max(0, WIDTH - len(head)))
        c = card.content
        if isinstance(c, Drill):
            self.say("Situation:")
            self.say(_wrap(c.situation))
            self.say("You were about to say:")
            self.say(_wrap(f'"{c.prompt}"'))
            self.say(_wrap(f"Rewrite it as {moves_in_words(c.coach_accepts)}." + (
                " (A line with just ? shows a hint.)" if c.level == 2 else ""), ""))
        elif isinstance(c, Basic):
            self.say(_wrap(c.front, ""))
        elif isinstance(c, Choice):
            self.say(_wrap(c.question, ""))
            for i, option in enumerate(self.session.option_order(card), start=1):
                self.say(_wrap(option.text, f"  {i}. "))
            if c.multiple:
                self.say("Pick all that apply: type their numbers, like 1,3.")
        elif isinstance(c, Conversation):
            self.say(f"Conversation: {c.title}")
            self.say(_wrap(c.situation))
            self.say(_wrap(f"You talk to {c.counterpart}"))
            self.say(_wrap(f'Your goal: "{c.ask}"'))
            self.say(_wrap("One move per turn: a no-oriented question, a mislabel, a label or "
                           "a calibrated question; a line with just ? shows the model answer.",
                           ""))

    def converse(self, card: Card) -> Verdict | None:
        """Play a conversation, one input line per turn; None when the input ends."""
        from negodrill.core.conversation import ConversationPlay

        c = card.content
        assert isinstance(c, Conversation)
        play = ConversationPlay(c)
        while not play.finished:
            turn = c.turns[play.index]
            self.say()
            if turn.opening:
                self.say(_wrap(f'You were about to ask: "{turn.opening}"'))
            else:
                self.say(_wrap(f"Them: {turn.line}", ""))
            line = self.ask(f"Turn {play.index + 1} of {len(c.turns)}> ")
            while line is not None and line.strip() in ("", "?"):
                if line.strip() == "?":  # an empty line just asks again
                    model, why = play.show_model()
                    self.say(_wrap(f'Model: "{model}" {why} (this turn now counts as missed)'))
                line = self.ask(f"Turn {play.index + 1} of {len(c.turns)}> ")
            if line is None:
                return None
            result = play.send(line)
            mark = ("model shown: counts as missed" if result.shown_model
                    else "fits" if result.fits else "missed")
            flaws = ", ".join(flaw_title(f) for f in result.flaws)
            self.say(_wrap(f"Coach: {label_title(result.label)} ({mark})" + (
                f"; flaws: {flaws}" if flaws else ""), ""))
            self.say(_wrap(f"Them: {result.reply}", ""))
        self.say()
        self.say("The conversation:")
        for result in play.results:
            turn = c.turns[result.turn]
            mark = "missed" if result.missed else "ok"
            if result.flaws:
                mark += ", " + ", ".join(flaw_title(f) for f in result.flaws)
            self.say(_wrap(f'{result.turn + 1}. you: "{result.text}" ({label_title(result.label)}, '
                           f'{mark}); model: "{turn.model}"', "  "))
        self.say(_wrap("Again when half the turns or more missed their move, Hard when any did "
                       "or a flaw remained, Good otherwise.", ""))
        return self.session.check_conversation(play)

    def reveal(self, card: Card, verdict: Verdict) -> None:
        c = card.content
        if isinstance(c, Drill) and verdict.assessment is not None:
            a = verdict.assessment
            mark = "accepted" if a.accepted else "not yet"
            self.say(f"Coach: {label_title(a.label)} ({mark})")
            if a.flaws:
                self.say("Flaws: " + ", ".join(flaw_title(code) for code in a.flaws))
            for sentence in a.feedback:
                self.say(_wrap(sentence))
            if c.prompt_reply:
                self.say(_wrap(f'"{c.prompt}" would likely get: "{c.prompt_reply}"'))
            self.say("Reference rewrites:")
            for r in c.references:
                self.say(_wrap(r.text, "  - "))
                if r.reply:
                    self.say(_wrap(f'They: "{r.reply}"', "      "))
            for p in c.pitfalls:
                self.say(_wrap(f'Pitfall: "{p.text}" {p.why}'))
                if p.reply:
                    self.say(_wrap(f'They: "{p.reply}"', "      "))
        elif isinstance(c, Basic):
            self.say("Answer:")
            self.say(_wrap(c.back))
        elif isinstance(c, Choice) and c.multiple:
            if not verdict.picks:
                self.say("No option picked: that counts as a wrong answer.")
            else:
                self.say("Right: every right option and no other." if verdict.correct else
                         "Not quite: the right options are marked *.")
            for i, option in enumerate(self.session.option_order(card), start=1):
                mark = "*" if option.correct else " "
                self.say(_wrap(f"{option.text} {option.why}".strip(), f" {mark}{i}. "))
        elif isinstance(c, Choice):
            picked = verdict.picked
            if picked is None:
                self.say("No option picked: that counts as a wrong pick.")
            else:
                self.say("Right." if picked.correct else "Not quite.")
            for i, option in enumerate(self.session.option_order(card), start=1):
                mark = "*" if option.correct else " "
                self.say(_wrap(f"{option.text} {option.why}".strip(), f" {mark}{i}. "))
        if card.notes:
            self.say(_wrap("Note: " + card.notes))

    def grade_line(self, verdict: Verdict) -> str:
        parts = []
        for grade, interval in self.session.intervals().items():
            mark = ">" if grade is verdict.suggested else " "
            parts.append(f"{mark}{int(grade)} {grade.title} {interval}")
        return "  ".join(parts)

    def run(self) -> int:
        session = self.session
        if session.finished:
            self.say("Nothing due right now: no new or due cards. Come back later.")
            return 0
        while (card := session.current()) is not None:
            self.show(card)
            answer = ""
            if isinstance(card.content, Conversation):
                found = self.converse(card)
                if found is None:
                    break  # an unfinished conversation is not graded
                verdict = found
            else:
                content = card.content
                prompt = "Your rewrite> " if isinstance(content, Drill) else (
                    ("Option numbers> " if content.multiple else "Option number> ")
                    if isinstance(content, Choice) else "Enter to reveal> ")
                line = self.ask(prompt)
                while (line is not None and line.strip() == "?" and isinstance(content, Drill)
                       and content.level == 2):
                    self.say(_wrap("Hint: " + content.hint_text()))
                    line = self.ask(prompt)
                if line is None:
                    break
                answer = line
                verdict = session.check(answer)
                self.reveal(card, verdict)
            self.say(self.grade_line(verdict))
            line = self.ask(f"Grade 1-4 (Enter = {verdict.suggested.title})> ")
            if line is None:
                break
            text = line.strip()
            grade = Grade(int(text)) if text in ("1", "2", "3", "4") else verdict.suggested
            saved = session.grade(grade, answer=answer)
            due = saved.schedule.due
            when = f", due again {due.astimezone():%Y-%m-%d %H:%M}" if due else ""
            self.say(f"graded {grade.title}{when}")
            self.say()
        self.summary()
        return 0

    def summary(self) -> None:
        s = self.session.summary
        self.say(f"Session over: {s.reviewed} card(s) reviewed.")
        if s.share_correct is not None:
            self.say(f"Correct: {s.correct} of {s.judged} ({s.share_correct:.0%}).")
        if s.mistakes:
            common = ", ".join(f"{k} x{v}" for k, v in s.mistakes.most_common(3))
            self.say(f"Most frequent mistakes: {common}")


def run(args: argparse.Namespace) -> int:
    from negodrill.cli.collection_cmds import opened
    from negodrill.core.session import ReviewSession

    with opened(args, writes=True) as store:
        if store.read_only and store.path is not None:
            from negodrill.core.errors import ReadOnlyError
            from negodrill.storage.datadir import cannot_save_message

            raise ReadOnlyError(cannot_save_message(store.path.parent, store.read_only_why))
        deck_ids = [store.find_deck(args.deck)] if args.deck else store.deck_ids()
        session = ReviewSession(store, deck_ids=deck_ids, limit=args.limit)
        return TerminalStudy(session, out=sys.stdout, inp=sys.stdin).run()
