"""negodrill: drills for asking no-oriented questions and deliberate mislabels."""

__version__ = "0.2.0"
