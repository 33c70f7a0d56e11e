"""SVG icons from resources/icons, loaded once; QIcon renders them sharp at any scale."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from negodrill.paths import resource_dir


@cache
def icon(name: str) -> QIcon:
    """The icon `resources/icons/<name>.svg`, or an empty icon when it is missing."""
    path = resource_dir() / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()
