"""Checking a zip from somewhere else before reading any of it: every member, nothing extracted.

Deck packages (.negodeck, Anki's .apkg and .colpkg) are zips a learner downloaded. Before a
reader opens a member, `check_members` refuses what could hurt or mislead: repeated names,
paths that climb out of a folder, links, encryption, compression methods we do not read, and
sizes or compression ratios that only a zip bomb has. Every refusal is one DeckError.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath

from negodrill.core.errors import DeckError

# What reading a damaged zip can raise besides BadZipFile: zipfile lets these through.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, EOFError, OSError,
    ValueError, RuntimeError, NotImplementedError,
)

_READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


@dataclass(frozen=True)
class ZipLimits:
    """Bounds for one kind of package; sizes are the uncompressed sizes the zip declares."""

    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: float
    # Members smaller than this are not ratio-checked (tiny or sparse files compress absurdly).
    ratio_from_bytes: int = 0


def _megabytes(size: int) -> str:
    return f"{size // 2**20} MB"


def is_unsafe_path(member: str) -> bool:
    """True for names that would land outside a folder if anyone ever extracted them."""
    parts = PurePosixPath(member.replace("\\", "/")).parts  # zips from Windows use backslashes
    return member.startswith(("/", "\\")) or ".." in parts or ":" in member or "\x00" in member


def check_members(
    archive: zipfile.ZipFile, *, name: str, limits: ZipLimits
) -> dict[str, zipfile.ZipInfo]:
    """Check every member of an open archive; return them by name, or raise one DeckError.

    `name` (the file's name) starts every message.
    """
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise DeckError(f"{name}: the package holds too many files")
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        member = info.filename
        if member in members:
            raise DeckError(f'{name}: the package holds "{member}" twice')
        members[member] = info
        if is_unsafe_path(member):
            raise DeckError(f'{name}: the package holds an unsafe path "{member}"')
        if info.flag_bits & 0x1:
            raise DeckError(f"{name}: the package is encrypted")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise DeckError(f'{name}: the package holds a link "{member}"')
        if info.compress_type not in _READABLE_METHODS:
            raise DeckError(
                f'{name}: "{member}" in the package uses a compression method negodrill '
                "cannot read"
            )
        if info.file_size > limits.max_member_bytes:
            raise DeckError(f'{name}: "{member}" in the package is too large')
        if (
            info.compress_size
            and info.file_size >= limits.ratio_from_bytes
            and info.file_size / info.compress_size > limits.max_ratio
        ):
            raise DeckError(f'{name}: "{member}" is compressed suspiciously well')
        total += info.file_size
    if total > limits.max_total_bytes:
        raise DeckError(
            f"{name}: the package unpacks to more than {_megabytes(limits.max_total_bytes)}"
        )
    return members
