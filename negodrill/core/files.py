"""Writing a file whole or not at all: beside the target first, then renamed over it.

Deck exports and progress reports both write this way, each raising its own error class.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from negodrill.core.errors import NegodrillError


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; put it straight back
    os.umask(mask)
    return mask


def write_atomically(
    path: Path, write: Callable[[BinaryIO], None], *,
    error: type[NegodrillError] = NegodrillError,
) -> int:
    """Call `write` with a file beside `path`, rename it into place; returns the file's size.

    Through a link the file it points at is written; a folder, pipe or device is refused. Any
    failure, a cancel included, removes the half-written file and leaves an existing target as
    it was; an OSError becomes `error` with a message a person can act on.
    """
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file():
        raise error(f"{path}: is not a regular file; choose a file name to write to")
    if not path.parent.is_dir():
        # A mistyped folder is a mistake to report, not a folder to make.
        raise error(f"{path.parent}: no such folder; choose an existing folder to write to")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".negodrill-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                write(out)
            os.chmod(tmp, 0o666 & ~_umask())  # a file to share, not mkstemp's private 0600
            size = os.path.getsize(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise error(f"{path}: cannot be written ({exc.strerror or exc})") from None
    return size
