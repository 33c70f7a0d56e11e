"""Card content to and from the JSON objects of the native deck format.

The database keeps each card's content as the JSON object a deck file holds, so an export
writes back exactly what was imported (unknown `x-` extensions included).
"""

from __future__ import annotations

import json
from typing import Any

from negodrill.core.content import (
    Basic,
    Choice,
    Content,
    Conversation,
    Drill,
    Option,
    Pitfall,
    Reference,
    Turn,
)
from negodrill.core.models import DEFAULT_ACCEPTS, CardType, Technique

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
            references=tuple(_reference(r) for r in data.get("rewrites", ())),
            pitfalls=tuple(
                Pitfall(text=str(p["text"]), why=str(p["why"]), reply=str(p.get("reply", "")),
                        situational=bool(p.get("situational", False)))
                for p in data.get("pitfalls", ())
            ),
            prompt_reply=str(data.get("prompt_reply", "")),
            accepts=_accepts(data),
            hint=str(data.get("hint", "")),
            level=int(data.get("level", 0)),
        )
    if kind == CardType.BASIC:
        return Basic(front=str(data["front"]), back=str(data["back"]))
    if kind == CardType.CHOICE:
        return Choice(
            question=str(data["question"]),
            shuffle=bool(data.get("shuffle", True)),
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


def _reference(item: str | dict[str, Any]) -> Reference:
    """A reference rewrite: a bare string (format version 1) or an object with its reply."""
    if isinstance(item, str):
        return Reference(text=item)
    return Reference(text=str(item["text"]), reply=str(item.get("reply", "")),
                     reading=str(item.get("reading", "")))


def _accepts(data: dict[str, Any]) -> tuple[Technique, ...]:
    """The moves a drill accepts: its `accepts`, else what every version-1 drill accepted."""
    if "accepts" in data:
        return tuple(Technique(m) for m in data["accepts"])
    return DEFAULT_ACCEPTS


def _reference_json(reference: Reference) -> str | dict[str, Any]:
    if not reference.reply and not reference.reading:
        return reference.text
    out: dict[str, Any] = {"text": reference.text}
    if reference.reply:
        out["reply"] = reference.reply
    if reference.reading:
        out["reading"] = reference.reading
    return out


def content_to_json(content: Content) -> dict[str, Any]:
    """The card object of the deck format for edited or newly made content."""
    if isinstance(content, Drill):
        out: dict[str, Any] = {
            "type": "drill",
            "situation": content.situation,
            "prompt": content.prompt,
            "technique": content.technique,
            "rewrites": [_reference_json(r) for r in content.references],
        }
        if content.prompt_reply:
            out["prompt_reply"] = content.prompt_reply
        if content.accepts != DEFAULT_ACCEPTS:
            out["accepts"] = [str(m) for m in content.accepts]
        if content.hint:
            out["hint"] = content.hint
        if content.level:
            out["level"] = content.level
        if content.pitfalls:
            out["pitfalls"] = [
                {"text": p.text, "why": p.why} | ({"reply": p.reply} if p.reply else {})
                | ({"situational": True} if p.situational else {})
                for p in content.pitfalls
            ]
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
    choice: dict[str, Any] = {"type": "choice", "question": content.question}
    if not content.shuffle:
        choice["shuffle"] = False
    return {**choice, "options": options}


def content_hash(data: dict[str, Any]) -> str:
    """A hash of what the learner sees, ignoring id and revision bookkeeping."""
    visible = {k: v for k, v in data.items() if k not in _NOT_CONTENT}
    canonical = json.dumps(visible, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    import hashlib  # OpenSSL loads in a few ms: not for the deck list at start-up

    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def headline(data: dict[str, Any]) -> str:
    """The one line a list shows: a drill's prompt, a basic card's front, a choice's question,
    a conversation's title."""
    for key in ("prompt", "front", "question", "title"):
        if key in data:
            return str(data[key])
    return ""
