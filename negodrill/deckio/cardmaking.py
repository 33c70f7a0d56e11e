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
from html.parser import HTMLParser
from typing import Any

# The deck schema's limits for a basic card (resources/negodeck.schema.json).
MAX_FRONT = 5000
MAX_BACK = 5000
MAX_TAGS = 50
MAX_TAG_LENGTH = 64
MAX_FIELD_INPUT = 1_000_000  # characters of HTML read from one field; more is a broken file

# uuid5 namespace for decks that come from other programs (fixed forever: ids depend on it).
FOREIGN_NAMESPACE = uuid.UUID("6f1d3a52-8c0e-5b7a-9d24-3e5f6a7b8c9d")

_BREAKS = frozenset({"br", "div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                     "ul", "ol", "table", "blockquote", "pre", "hr"})
_HIDDEN = frozenset({"script", "style", "head", "title", "object", "template"})
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an Anki field: what a person reads, without markup or media."""
    if "<" not in html and "&" not in html:
        text = html
    else:
        parser = _TextOnly()
        parser.feed(html[:MAX_FIELD_INPUT])
        parser.close()
        text = "".join(parser.parts)
    text = _SOUND.sub("", text).replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


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
