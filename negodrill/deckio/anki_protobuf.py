"""Just enough of the protobuf wire format to read Anki's small config messages.

Current Anki keeps note type, template and deck settings, and the package's version, as
protobuf blobs. We need a handful of fields from them, so instead of depending on protobuf and
Anki's generated classes this decodes one message level at a time: field number -> values.
Nested messages are decoded on demand from their bytes. Anything malformed is a ProtoError
(the caller turns it into a DeckError); input is bounded by its own length and `max_fields`.
"""

from __future__ import annotations

from collections.abc import Mapping

MAX_FIELDS = 100_000  # values in one message; Anki's configs hold a few dozen
_VARINT, _FIXED64, _LENGTH, _FIXED32 = 0, 1, 2, 5

Message = Mapping[int, list[int | bytes]]


class ProtoError(ValueError):
    """The bytes are not a protobuf message (truncated, bad wire type, absurd length)."""


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    result = 0
    for shift in range(0, 70, 7):
        if pos >= len(data):
            raise ProtoError("truncated varint")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result & 0xFFFF_FFFF_FFFF_FFFF, pos
    raise ProtoError("varint longer than 10 bytes")


def parse_message(data: bytes, *, max_fields: int = MAX_FIELDS) -> dict[int, list[int | bytes]]:
    """Decode one message level: each field number to its values in order of appearance.

    Varints and fixed-width values come back as unsigned ints, length-delimited ones as bytes
    (a string, a nested message or packed numbers: the caller knows which).
    """
    fields: dict[int, list[int | bytes]] = {}
    pos, count = 0, 0
    while pos < len(data):
        count += 1
        if count > max_fields:
            raise ProtoError("too many fields")
        key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if number == 0 or number > 0x1FFF_FFFF:
            raise ProtoError("invalid field number")
        value: int | bytes
        if wire == _VARINT:
            value, pos = _varint(data, pos)
        elif wire in (_FIXED64, _FIXED32):
            width = 8 if wire == _FIXED64 else 4
            if pos + width > len(data):
                raise ProtoError("truncated fixed-width value")
            value = int.from_bytes(data[pos : pos + width], "little")
            pos += width
        elif wire == _LENGTH:
            length, pos = _varint(data, pos)
            if length > len(data) - pos:
                raise ProtoError("length runs past the end")
            value = bytes(data[pos : pos + length])
            pos += length
        else:  # groups (3, 4) are long deprecated and Anki never writes them
            raise ProtoError(f"unsupported wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


def get_int(message: Message, number: int, default: int = 0) -> int:
    """A varint field (the last value wins, as protobuf says); a wrong wire type is an error."""
    values = message.get(number)
    if not values:
        return default
    value = values[-1]
    if not isinstance(value, int):
        raise ProtoError(f"field {number} is not a number")
    return value


def get_bytes(message: Message, number: int) -> bytes:
    """A length-delimited field, empty when absent."""
    values = message.get(number)
    if not values:
        return b""
    value = values[-1]
    if not isinstance(value, bytes):
        raise ProtoError(f"field {number} is not a string or message")
    return value


def get_str(message: Message, number: int) -> str:
    """A string field; invalid UTF-8 is replaced rather than refused (it is only shown)."""
    return get_bytes(message, number).decode("utf-8", "replace")


def get_message(message: Message, number: int) -> dict[int, list[int | bytes]]:
    """A nested message field, decoded (empty when absent)."""
    return parse_message(get_bytes(message, number))
