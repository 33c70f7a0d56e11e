"""Anki notes to question and answer text, by note-type kind and templates, never by name.

People name note types and fields in their own language, so what goes on the front is read from
the templates: the fields the question template shows are the front, the fields only the answer
template adds are the back. Cloze notes make one card per deletion number. Note types this
cannot make sense of (three or more templates, templates that show no field) become one card
per note: the first field on the front, the others on the back. Notes of negodrill's own export
carry the native card as JSON in a `negodrill` field, which is used as it is.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from negodrill.core.errors import DeckError
from negodrill.deckio.anki_protobuf import get_int, get_str, parse_message
from negodrill.deckio.cardmaking import MAX_FIELD_INPUT, html_to_text
from negodrill.deckio.reader import parse_deck_json

KIND_STANDARD, KIND_CLOZE = 0, 1
NEGODRILL_FIELD = "negodrill"  # negodrill's own exports keep the native card here, as JSON
MAX_TEMPLATE_CHARS = 200_000
MAX_CLOZE_NESTING = 10  # as Anki: deeper openers are ignored
MEDIA_ONLY, NO_DELETION = "media", "cloze"

# Names Anki fills in itself; they are never a note's field even if one is called so.
_SPECIAL = frozenset({"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag",
                      "CardID"})
_TAG = re.compile(r"\{\{([^{}]*)\}\}")
_CLOZE_TOKEN = re.compile(r"\{\{c([\d,]+)::|\}\}")
_IMAGE_OCCLUSION = "image-occlusion:"


@dataclass(frozen=True)
class Template:
    """What one card template shows, as field indices in the order the template shows them."""

    front: tuple[int, ...] = ()  # shown on the question side
    back: tuple[int, ...] = ()  # shown only once the answer is revealed
    cloze: frozenset[int] = frozenset()  # front fields shown through the cloze filter


@dataclass(frozen=True)
class NoteType:
    name: str
    kind: int
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    negodrill_field: int | None = None

    @property
    def per_card(self) -> bool:
        """True when each card row has its own template (or cloze number) to map."""
        if self.kind == KIND_CLOZE:
            return True
        return 1 <= len(self.templates) <= 2


@dataclass(frozen=True)
class Face:
    """One card to make from a note: its text, and the note's card rows it stands for."""

    ord: int  # template or cloze ordinal; the card id is made from it
    sources: tuple[int, ...]  # the card ords whose deck and history this card takes
    front: str  # empty when nothing is left to show
    back: str = ""
    reason: str = ""  # why the front is empty: MEDIA_ONLY or NO_DELETION


def _field_refs(fmt: str, index: dict[str, int]) -> list[tuple[int, tuple[str, ...]]]:
    """(field index, filters) for every field a template shows, in template order."""
    refs: list[tuple[int, tuple[str, ...]]] = []
    for match in _TAG.finditer(fmt[:MAX_TEMPLATE_CHARS]):
        inner = match.group(1).strip()
        if not inner or inner[0] in "#^/!=":  # conditionals, comments, delimiter changes
            continue
        *filters, name = (part.strip() for part in inner.split(":"))
        if name in _SPECIAL:
            continue
        found = index.get(name)
        if found is None:
            found = index.get(name.casefold())
        if found is not None:
            refs.append((found, tuple(f.split(" ", 1)[0].casefold() for f in filters)))
    return refs


def parse_template(qfmt: str, afmt: str, field_names: Sequence[str]) -> Template:
    """The fields a template pair shows on each side.

    `{{type:X}}` on the question side is an empty box to type the answer into, so X is not
    front text; on the answer side it shows X, so X belongs to the back.
    """
    index: dict[str, int] = {}
    for position, name in enumerate(field_names):
        index.setdefault(name, position)
        index.setdefault(name.casefold(), position)
    front: list[int] = []
    cloze: set[int] = set()
    for position, filters in _field_refs(qfmt, index):
        if "type" in filters:
            continue
        if "cloze" in filters:
            cloze.add(position)
        if position not in front:
            front.append(position)
    back: list[int] = []
    for position, _filters in _field_refs(afmt, index):
        if position not in front and position not in back:
            back.append(position)
    return Template(tuple(front), tuple(back), frozenset(cloze))


def make_notetype(
    name: str, kind: int, field_names: Sequence[str], formats: Sequence[tuple[str, str]]
) -> NoteType:
    """A note type from its fields (in order) and (question, answer) template pairs."""
    names = tuple(field_names)
    templates = tuple(parse_template(q, a, names) for q, a in formats)
    negodrill = names.index(NEGODRILL_FIELD) if NEGODRILL_FIELD in names else None
    return NoteType(name, KIND_CLOZE if kind == KIND_CLOZE else KIND_STANDARD, names, templates,
                    negodrill)


def as_int(value: Any, default: int = 0) -> int:
    """An id or number from a collection that may hold anything in any column or JSON value."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value)
    return default


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def notetypes_from_json(models: dict[str, Any], limit: int) -> dict[int, NoteType]:
    """Schema 11: `col.models`, note type id -> {name, type, flds, tmpls with qfmt/afmt}."""
    notetypes: dict[int, NoteType] = {}
    for key, model in list(models.items())[:limit]:
        if not isinstance(model, dict):
            continue
        fields = [f for f in as_list(model.get("flds")) if isinstance(f, dict)]
        tmpls = [t for t in as_list(model.get("tmpls")) if isinstance(t, dict)]
        fields.sort(key=lambda f: as_int(f.get("ord")))
        tmpls.sort(key=lambda t: as_int(t.get("ord")))
        notetypes[as_int(model.get("id"), as_int(key))] = make_notetype(
            as_text(model.get("name")), as_int(model.get("type")),
            [as_text(f.get("name")) for f in fields],
            [(as_text(t.get("qfmt")), as_text(t.get("afmt"))) for t in tmpls],
        )
    return notetypes


def notetypes_from_tables(
    notetype_rows: Sequence[tuple[Any, ...]], field_rows: Sequence[tuple[Any, ...]],
    template_rows: Sequence[tuple[Any, ...]],
) -> dict[int, NoteType]:
    """Schema 18: rows of (id, name, Notetype.Config), (ntid, name) and (ntid, Template.Config),
    the last two in ord order. Config.kind is field 1; a template's q/a formats fields 1, 2.
    Raises ProtoError for a damaged config."""
    fields: dict[int, list[str]] = {}
    for ntid, name in field_rows:
        fields.setdefault(as_int(ntid), []).append(as_text(name))
    formats: dict[int, list[tuple[str, str]]] = {}
    for ntid, config in template_rows:
        message = parse_message(config if isinstance(config, bytes) else b"")
        formats.setdefault(as_int(ntid), []).append((get_str(message, 1), get_str(message, 2)))
    notetypes: dict[int, NoteType] = {}
    for ntid, name, config in notetype_rows:
        kind = get_int(parse_message(config if isinstance(config, bytes) else b""), 1)
        key = as_int(ntid)
        notetypes[key] = make_notetype(as_text(name), kind, fields.get(key, []),
                                       formats.get(key, []))
    return notetypes


# --- cloze deletions -----------------------------------------------------------------------


@dataclass
class _Cloze:
    numbers: frozenset[int]
    parts: list[str | _Cloze] = field(default_factory=list)
    hint: str | None = None


def _add_text(text: str, stack: list[_Cloze], out: list[str | _Cloze]) -> None:
    if not text:
        return
    if stack:
        if not text.startswith(_IMAGE_OCCLUSION) and "::" in text:
            text, stack[-1].hint = text.split("::", 1)
        stack[-1].parts.append(text)
    else:
        out.append(text)


def parse_clozes(text: str) -> list[str | _Cloze]:
    """Text and (possibly nested) deletions; markup that does not close stays plain text."""
    out: list[str | _Cloze] = []
    stack: list[_Cloze] = []
    pos = 0
    for match in _CLOZE_TOKEN.finditer(text):
        _add_text(text[pos : match.start()], stack, out)
        pos = match.end()
        digits = match.group(1)
        if digits is None:  # "}}"
            if stack:
                done = stack.pop()
                (stack[-1].parts if stack else out).append(done)
            else:
                _add_text("}}", stack, out)
            continue
        numbers = frozenset(int(d) for d in digits.split(",") if d and len(d) <= 5)
        if not numbers:
            _add_text(match.group(0), stack, out)
        elif len(stack) < MAX_CLOZE_NESTING:
            stack.append(_Cloze(numbers))
    _add_text(text[pos:], stack, out)
    while stack:  # never closed: keep the words, drop the markup
        done = stack.pop()
        (stack[-1].parts if stack else out).extend(done.parts)
    return out


@dataclass
class _Seen:
    active: bool = False
    occlusion: bool = False


def _render(nodes: list[str | _Cloze], number: int, question: bool, seen: _Seen) -> str:
    """Deletions of `number` hidden (question) or shown; other numbers always shown."""
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
            continue
        if number in node.numbers:
            seen.active = True
            first = node.parts[0] if node.parts else ""
            if isinstance(first, str) and first.startswith(_IMAGE_OCCLUSION):
                seen.occlusion = True
            if question:
                out.append(f"[{node.hint}]" if node.hint else "[...]")
                continue
        out.append(_render(node.parts, number, question, seen))  # depth <= MAX_CLOZE_NESTING
    return "".join(out)


def render_cloze(text: str, number: int) -> tuple[str, str, _Seen]:
    """(question HTML, answer HTML, what was found) of one field for deletion `number`."""
    nodes = parse_clozes(text[:MAX_FIELD_INPUT])
    seen = _Seen()
    question = _render(nodes, number, True, seen)
    answer = _render(nodes, number, False, _Seen())
    return question, answer, seen


# --- notes to faces --------------------------------------------------------------------------


class _Fields:
    """A note's fields, turned into text once each and only when asked for."""

    def __init__(self, raw: Sequence[str], skip: int | None) -> None:
        self.raw = raw
        self.skip = skip
        self._text: dict[int, str] = {}

    def text(self, index: int) -> str:
        if index not in self._text:
            raw = self.raw[index] if 0 <= index < len(self.raw) else ""
            self._text[index] = html_to_text(raw)
        return self._text[index]

    def filled(self, index: int) -> bool:
        return 0 <= index < len(self.raw) and bool(self.raw[index].strip())

    def joined(self, indices: Sequence[int]) -> str:
        return "\n\n".join(t for t in (self.text(i) for i in indices if i != self.skip) if t)

    def others(self) -> list[int]:
        return [i for i in range(len(self.raw)) if i != self.skip]


def _first_and_rest(fields: _Fields, ord_: int, sources: tuple[int, ...]) -> Face:
    order = fields.others()
    front = fields.joined(order[:1])
    return Face(ord_, sources, front, fields.joined(order[1:]), "" if front else MEDIA_ONLY)


def _standard(notetype: NoteType, fields: _Fields, ord_: int) -> Face:
    if not 0 <= ord_ < len(notetype.templates):
        return _first_and_rest(fields, ord_, (ord_,))
    template = notetype.templates[ord_]
    shown = [i for i in template.front if i != fields.skip]
    front = fields.joined(shown)
    if not front and not any(fields.filled(i) for i in shown):
        # The template shows no field of ours, or only blank ones: read the note as a whole.
        # (A front of only images or sounds is not blank: that card is skipped.)
        return _first_and_rest(fields, ord_, (ord_,))
    return Face(ord_, (ord_,), front, fields.joined(template.back), "" if front else MEDIA_ONLY)


def _cloze(notetype: NoteType, fields: _Fields, ord_: int) -> Face:
    template = notetype.templates[0] if notetype.templates else Template()
    front_refs = [i for i in template.front if i != fields.skip]
    cloze_fields = set(template.cloze)
    if not cloze_fields:  # no cloze filter in the template: Anki's own layout puts it first
        first = fields.others()[:1]
        cloze_fields = set(first)
        front_refs = first + [i for i in front_refs if i not in first]
    questions: list[str] = []
    answers: list[str] = []
    found = _Seen()
    for index in front_refs:
        if index in cloze_fields:
            raw = fields.raw[index] if index < len(fields.raw) else ""
            question, answer, seen = render_cloze(raw, ord_ + 1)
            found.active |= seen.active
            found.occlusion |= seen.occlusion
            questions.append(html_to_text(question))
            answers.append(html_to_text(answer))
        else:
            questions.append(fields.text(index))
            answers.append(fields.text(index))
    extra = template.back
    if not template.front and not template.back:
        extra = tuple(i for i in fields.others() if i not in cloze_fields)
    back = "\n\n".join(t for t in [*answers, fields.joined(extra)] if t)
    front = "\n\n".join(t for t in questions if t)
    if found.occlusion:
        return Face(ord_, (ord_,), "", back, MEDIA_ONLY)
    if not found.active:
        return Face(ord_, (ord_,), "", back, NO_DELETION)
    return Face(ord_, (ord_,), front, back, "" if front else MEDIA_ONLY)


def note_faces(notetype: NoteType | None, raw_fields: Sequence[str],
               ords: Sequence[int]) -> list[Face]:
    """The cards one note makes, given the ords of its card rows (sorted, without repeats).

    An unknown note type (a damaged file) is read as a note of the generic kind.
    """
    fields = _Fields(raw_fields, notetype.negodrill_field if notetype else None)
    if notetype is None or not notetype.per_card:
        return [_first_and_rest(fields, 0, tuple(ords))]
    make = _cloze if notetype.kind == KIND_CLOZE else _standard
    return [make(notetype, fields, ord_) for ord_ in ords]


# --- negodrill's own notes -------------------------------------------------------------------


def native_note(raw: str) -> dict[str, Any] | None:
    """The `negodrill` field of negodrill's own export: {"deck", "techniques", "card"}, parsed
    strictly (no repeated keys, no NaN, bounded); None when it is not usable."""
    for text in (html.unescape(raw), raw):  # an Anki field is HTML: JSON in it is escaped
        try:
            doc = parse_deck_json(text.encode("utf-8", "replace"), name="negodrill field")
        except DeckError:
            continue
        if isinstance(doc.get("card"), dict) and isinstance(doc.get("deck"), dict):
            return doc
    return None


def native_problem(
    deck: dict[str, Any], techniques: Any, cards: list[dict[str, Any]]
) -> tuple[str | None, str] | None:
    """(card id or None for the deck, message) of the first schema problem, if any: native
    cards are used as they are, so they must pass the deck schema like a native file."""
    from negodrill.deckio.validate import schema_problems

    doc: dict[str, Any] = {"format": "negodrill-deck", "format_version": 2, "deck": deck,
                           "cards": cards}
    if techniques is not None:
        doc["techniques"] = techniques
    problems = schema_problems(doc)
    return (problems[0].card_id, problems[0].message) if problems else None
