"""Turning foreign notes into native card objects: plain text, bounded lengths, stable ids.

Anki fields are HTML and negodrill shows every card as plain text, so markup is reduced here:
entities decoded, line-breaking tags to line breaks, scripts, styles, images and sound tags
dropped. Lengths and tags are cut to what the deck schema admits, so a reader's cards are
valid by construction.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from html import unescape
from typing import Any

# The deck schema's limits for a basic card (resources/negodeck.schema.json).
MAX_FRONT = 5000
MAX_BACK = 5000
MAX_TAGS = 50
MAX_TAG_LENGTH = 64
MAX_FIELD_INPUT = 1_000_000  # characters of HTML read from one field; more is a broken file

# uuid5 namespace for decks that come from other programs (fixed forever: ids depend on it).
FOREIGN_NAMESPACE = uuid.UUID("6f1d3a52-8c0e-5b7a-9d24-3e5f6a7b8c9d")

# Where a block starts or ends a line ends (Anki writes each line as a <div>).
_BLOCKS = frozenset({"div", "p", "li", "tr", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
                     "ol", "table", "blockquote", "pre"})
_CELLS = frozenset({"td", "th"})
_HIDDEN = frozenset({"script", "style", "head", "title", "object", "template"})
_TAG_NAME = re.compile(r"(/?)([A-Za-z][A-Za-z0-9]*)")
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def _tags_to_breaks(html: str) -> str:
    """One left-to-right pass: text kept, line-breaking tags made newlines, the rest dropped.

    A hand-written scanner rather than html.parser: it is several times faster on the short
    fields decks are made of, and every `find` moves forward, so hostile input stays linear.
    """
    out: list[str] = []
    hidden = 0
    at_line_start = True  # a block edge here adds no second line break
    i, n = 0, len(html)
    while i < n:
        j = html.find("<", i)
        if j < 0:
            j = n
        if j > i and not hidden:
            out.append(html[i:j])
            at_line_start = False
        if j == n:
            break
        if html.startswith("<!--", j):
            end = html.find("-->", j + 4)
            i = n if end < 0 else end + 3
            continue
        name = _TAG_NAME.match(html, j + 1)
        end = html.find(">", name.end()) if name is not None else -1
        if name is None or end < 0:  # "5 < 6", or a "<" no tag ever closes: text
            stop = j + 1 if name is None else n
            if not hidden:
                out.append(html[j:stop])
                at_line_start = False
            i = stop
            continue
        tag, closing = name.group(2).lower(), bool(name.group(1))
        if tag in _HIDDEN:
            hidden = max(0, hidden - 1) if closing else hidden + 1
        elif hidden:
            pass
        elif tag == "br" and not closing:
            out.append("\n")
            at_line_start = True
        elif tag in _CELLS and closing and not at_line_start:
            out.append(" ")  # table cells side by side, not glued together
        elif tag == "rt":
            out.append(")" if closing else " (")  # ruby: 漢字 (かんじ)
            at_line_start = False
        elif tag in _BLOCKS and not at_line_start:
            out.append("\n")  # one line break where blocks meet, however many tags
            at_line_start = True
        i = end + 1
    return "".join(out)


def html_to_text(html: str) -> str:
    """Plain text of an Anki field: what a person reads, without markup or media."""
    html = html[:MAX_FIELD_INPUT]
    if "<" in html:
        html = _tags_to_breaks(html)
    text = unescape(html) if "&" in html else html
    if "[sound:" in text:
        text = _SOUND.sub("", text)
    if "\r" in text or "\x00" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if "\n" not in text:
        return _tidy(text)
    return _BLANKS.sub("\n\n", "\n".join(_tidy(line) for line in text.split("\n"))).strip()


def _tidy(line: str) -> str:
    """Runs of spaces, tabs and no-break spaces as one space (the regex only when needed)."""
    if "  " in line or "\t" in line or "\xa0" in line or "\f" in line or "\v" in line:
        line = _SPACES.sub(" ", line)
    return line.strip()


def clip(text: str, limit: int) -> str:
    """At most `limit` characters; a cut text ends with an ellipsis so nobody mistakes it."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_tags(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Tags as the schema admits them: no spaces, at most 64 characters, 50 tags, no repeats."""
    out: list[str] = []
    for tag in tags:
        for word in str(tag).split():
            word = word.replace("\x00", "")[:MAX_TAG_LENGTH]
            if word and word not in out:
                out.append(word)
    return out[:MAX_TAGS]


def basic_card(
    card_id: str, front: str, back: str, *, tags: list[str] | tuple[str, ...] = (),
    rev: int | None = None, extensions: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """A native basic card from plain text, or None when there is no front to show.

    An empty back is shown as "(empty)": the schema wants text there, and a card with only a
    question is still worth studying.
    """
    front = clip(front.strip(), MAX_FRONT)
    if not front:
        return None
    card: dict[str, Any] = {
        "id": card_id,
        "type": "basic",
        "front": front,
        "back": clip(back.strip(), MAX_BACK) or "(empty)",
    }
    if rev is not None:
        card["rev"] = max(1, int(rev))
    kept = clean_tags(tags)
    if kept:
        card["tags"] = kept
    if extensions:
        card["extensions"] = extensions
    return card


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def anki_card_id(guid: str, template: int) -> str:
    """The stable id of the card made from an Anki note's template (or cloze) number."""
    return f"anki-{_short_hash(f'{guid}:{template}')}"


def text_card_id(front: str) -> str:
    """A text file without GUIDs: a card is known by its front within its deck."""
    return f"text-{_short_hash(front.strip())}"


def anki_deck_uuid(deck_id: int, name: str) -> str:
    """An Anki deck's id, made stable: the same package deck always lands in the same deck.

    Deck id 1 is every collection's "Default" deck, so there the name tells decks apart.
    """
    key = f"anki-deck:{deck_id}" if deck_id != 1 else f"anki-deck:1:{name}"
    return str(uuid.uuid5(FOREIGN_NAMESPACE, key))


def text_deck_uuid(title: str) -> str:
    """A text file's deck: known by its title, so re-importing the file updates it."""
    return str(uuid.uuid5(FOREIGN_NAMESPACE, f"text-deck:{title.strip().casefold()}"))
