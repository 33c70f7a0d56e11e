"""Card content to and from the JSON objects of the native deck format.

The database keeps each card's content as the JSON object a deck file holds, so an export
writes back exactly what was imported (unknown `x-` extensions included).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from negodrill.core.models import (
    Basic,
    CardType,
    Choice,
    Content,
    Conversation,
    Drill,
    Option,
    Pitfall,
    Turn,
)

# Keys that describe the card's identity or bookkeeping rather than what the learner sees.
_NOT_CONTENT = ("id", "rev", "reset_progress")


def content_from_json(data: dict[str, Any]) -> Content:
    """Build the typed content of a card object (already schema-checked)."""
    kind = data.get("type")
    if kind == CardType.DRILL:
        return Drill(
            situation=str(data["situation"]),
            prompt=str(data["prompt"]),
            technique=str(data.get("technique", "no-question")),
            rewrites=tuple(str(r) for r in data.get("rewrites", ())),
            pitfalls=tuple(
                Pitfall(text=str(p["text"]), why=str(p["why"])) for p in data.get("pitfalls", ())
            ),
        )
    if kind == CardType.BASIC:
        return Basic(front=str(data["front"]), back=str(data["back"]))
    if kind == CardType.CHOICE:
        return Choice(
            question=str(data["question"]),
            options=tuple(
                Option(
                    id=str(o["id"]),
                    text=str(o["text"]),
                    correct=bool(o.get("correct", False)),
                    why=str(o.get("why", "")),
                )
                for o in data["options"]
            ),
        )
    if kind == CardType.CONVERSATION:
        return Conversation(
            title=str(data["title"]),
            situation=str(data["situation"]),
            counterpart=str(data.get("counterpart", "")),
            ask=str(data["ask"]),
            turns=tuple(
                Turn(
                    line=str(t.get("line", "")),
                    opening=str(t.get("opening", "")),
                    moves=tuple(str(m) for m in t["moves"]),
                    replies=tuple((str(k), str(v)) for k, v in t["replies"].items()),
                    model=str(t["model"]),
                    why=str(t.get("why", "")),
                )
                for t in data["turns"]
            ),
        )
    raise ValueError(f"unknown card type {kind!r}")


def content_to_json(content: Content) -> dict[str, Any]:
    """The card object of the deck format for edited or newly made content."""
    if isinstance(content, Drill):
        out: dict[str, Any] = {
            "type": "drill",
            "situation": content.situation,
            "prompt": content.prompt,
            "technique": content.technique,
            "rewrites": list(content.rewrites),
        }
        if content.pitfalls:
            out["pitfalls"] = [{"text": p.text, "why": p.why} for p in content.pitfalls]
        return out
    if isinstance(content, Basic):
        return {"type": "basic", "front": content.front, "back": content.back}
    if isinstance(content, Conversation):
        turns = []
        for t in content.turns:
            turn: dict[str, Any] = {"opening": t.opening} if t.opening else {"line": t.line}
            turn |= {"moves": list(t.moves), "replies": dict(t.replies), "model": t.model}
            if t.why:
                turn["why"] = t.why
            turns.append(turn)
        return {"type": "conversation", "title": content.title, "situation": content.situation,
                "counterpart": content.counterpart, "ask": content.ask, "turns": turns}
    options = []
    for o in content.options:
        option: dict[str, Any] = {"id": o.id, "text": o.text}
        if o.correct:
            option["correct"] = True
        if o.why:
            option["why"] = o.why
        options.append(option)
    return {"type": "choice", "question": content.question, "options": options}


def content_hash(data: dict[str, Any]) -> str:
    """A hash of what the learner sees, ignoring id and revision bookkeeping."""
    visible = {k: v for k, v in data.items() if k not in _NOT_CONTENT}
    canonical = json.dumps(visible, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def headline(data: dict[str, Any]) -> str:
    """The one line a list shows: a drill's prompt, a basic card's front, a choice's question,
    a conversation's title."""
    for key in ("prompt", "front", "question", "title"):
        if key in data:
            return str(data[key])
    return ""
