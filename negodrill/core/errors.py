"""Errors a learner can cause or meet. Each message is one sentence a person can act on."""

from __future__ import annotations


class NegodrillError(Exception):
    """Base class: the UI shows the message, the CLI prints `error: <message>` and exits 1."""


class DeckError(NegodrillError):
    """A deck file that cannot be read, is malformed, or cannot be imported."""


class DatabaseError(NegodrillError):
    """The database cannot be opened, is damaged, or was written by a newer negodrill."""


class NothingToUndo(NegodrillError):
    """Undo was asked for but no grade in this session can be taken back."""


class Cancelled(NegodrillError):
    """A long job was cancelled by the learner; whatever it wrote was rolled back."""


class CardChanged(NegodrillError):
    """A grade was given on a card read before another grade of it was saved (another window
    or terminal): nothing was written; read the card again and grade that."""


class ReadOnlyError(DatabaseError):
    """The data dir cannot be written (a read-only folder or disk): reading still works."""


class DiskFullError(DatabaseError):
    """The disk holding the data dir is full: nothing was written, nothing half-written."""


class DamagedDatabase(DatabaseError):
    """The database file is damaged: negodrill never opens it for writing.

    `backup` is the path of the newest good backup, when there is one to offer.
    """

    def __init__(self, message: str, backup: str | None = None) -> None:
        super().__init__(message)
        self.backup = backup
