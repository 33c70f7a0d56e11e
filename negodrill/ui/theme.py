"""Light and dark palettes: the system's colour scheme by default, the theme setting overrides.

Fusion everywhere, so a forced palette looks the same on every desktop. Colours that carry
meaning (the coach's label chips, highlighted cue words) come from `colors()`, in a light and a
dark variant with readable contrast.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from negodrill.paths import resource_dir

THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Colors:
    chip_fg: str
    chips: dict[str, str]
    highlight: str
    good: str
    bad: str
    muted: str


_LIGHT = Colors(
    chip_fg="#ffffff",
    chips={
        "no_oriented": "#1e7b3a",
        "mislabel": "#17756f",
        "yes_seeking": "#b3261e",
        "label": "#2f5fa0",
        "calibrated": "#7a4fa3",
        "other": "#5f6368",
    },
    highlight="#ffe08a",
    good="#1e7b3a",
    bad="#b3261e",
    muted="#5f6368",
)

_DARK = Colors(
    chip_fg="#0f1115",
    chips={
        "no_oriented": "#7fd49a",
        "mislabel": "#6fd1c7",
        "yes_seeking": "#f2a199",
        "label": "#9dbff0",
        "calibrated": "#cfb0ef",
        "other": "#c4c7cc",
    },
    highlight="#6b5a1e",
    good="#7fd49a",
    bad="#f2a199",
    muted="#a8adb4",
)

def is_dark() -> bool:
    """Whether the palette in use is a dark one (forced or from the system)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def colors() -> Colors:
    return _DARK if is_dark() else _LIGHT


def system_is_dark(app: QApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    # Inputs a shade lighter than the window: Fusion draws check-box and frame outlines darker
    # than the window colour, which would vanish on a base darker than the window.
    window, base, text = QColor("#222428"), QColor("#2d3035"), QColor("#e8e8e8")
    p.setColor(role.Window, window)
    p.setColor(role.WindowText, text)
    p.setColor(role.Base, base)
    p.setColor(role.AlternateBase, QColor("#33363c"))
    p.setColor(role.ToolTipBase, QColor("#33363b"))
    p.setColor(role.ToolTipText, text)
    p.setColor(role.PlaceholderText, QColor("#8d939a"))
    p.setColor(role.Text, text)
    p.setColor(role.Button, QColor("#33363b"))
    p.setColor(role.ButtonText, text)
    p.setColor(role.BrightText, QColor("#ff6b6b"))
    p.setColor(role.Light, QColor("#45494f"))
    p.setColor(role.Midlight, QColor("#3a3d42"))
    p.setColor(role.Mid, QColor("#2a2c30"))
    p.setColor(role.Dark, QColor("#141517"))
    p.setColor(role.Shadow, QColor("#000000"))
    p.setColor(role.Highlight, QColor("#3d7ab8"))
    p.setColor(role.HighlightedText, QColor("#ffffff"))
    p.setColor(role.Link, QColor("#7db8f0"))
    p.setColor(role.LinkVisited, QColor("#b49ae6"))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7a7f86"))
    return p


# Fusion's own light palette (its `standardPalette()`), written out: asking the style for it
# costs PySide's set-up of QStyle's Python type, 5 ms of every start. A test keeps it equal.
_LIGHT_ROLES = {
    "Window": "#efefef", "WindowText": "#000000", "Base": "#ffffff",
    "AlternateBase": "#f7f7f7", "ToolTipBase": "#ffffdc", "ToolTipText": "#000000",
    "Text": "#000000", "Button": "#efefef", "ButtonText": "#000000", "BrightText": "#ffffff",
    "Light": "#ffffff", "Midlight": "#cacaca", "Mid": "#b8b8b8", "Dark": "#9f9f9f",
    "Shadow": "#767676", "Highlight": "#308cc6", "HighlightedText": "#ffffff",
    "Link": "#0000ff", "LinkVisited": "#ff00ff", "Accent": "#308cc6",
}
_LIGHT_DISABLED = {
    "WindowText": "#bebebe", "Text": "#bebebe", "ButtonText": "#bebebe", "Dark": "#bebebe",
    "Base": "#efefef", "Shadow": "#b1b1b1", "Highlight": "#919191", "Accent": "#919191",
}


def light_palette() -> QPalette:
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    for name, color in _LIGHT_ROLES.items():
        p.setColor(getattr(role, name), QColor(color))  # every group
    p.setColor(role.PlaceholderText, QColor(0, 0, 0, 128))
    for name, color in _LIGHT_DISABLED.items():
        p.setColor(group.Disabled, getattr(role, name), QColor(color))
    return p


def apply_theme(app: QApplication, theme: str = "system", *, fusion: bool = False) -> bool:
    """Set the palette for `theme` (system, light or dark); returns whether it is dark.

    :param fusion: the app was started with Fusion (`-style Fusion`): no need to ask.
    """
    if not fusion and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    dark = theme == "dark" or (theme not in ("light", "dark") and system_is_dark(app))
    app.setPalette(dark_palette() if dark else light_palette())
    app.setStyleSheet(_style_sheet())
    return dark


def _style_sheet() -> str:
    path = resource_dir() / "styles" / "app.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""
