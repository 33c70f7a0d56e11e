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
