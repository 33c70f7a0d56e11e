"""The palettes: the light one is Fusion's own, written out so start-up need not ask the style."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from negodrill.ui import theme


def colors(palette: QPalette) -> dict[tuple[str, str], int]:
    groups = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive,
              QPalette.ColorGroup.Disabled)
    roles = [r for r in QPalette.ColorRole if r.name not in ("NColorRoles", "NoRole")]
    return {(g.name, r.name): palette.color(g, r).rgba() for g in groups for r in roles}


def test_the_light_palette_is_fusions_own(qapp: Any) -> None:
    fusion = QStyleFactory.create("Fusion")
    assert fusion is not None
    assert colors(theme.light_palette()) == colors(fusion.standardPalette())


def test_light_and_dark_switch_the_whole_app(qapp: Any) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert theme.apply_theme(app, "dark") is True
    assert theme.is_dark()
    assert theme.apply_theme(app, "light") is False
    assert not theme.is_dark()
    assert colors(app.palette()) == colors(theme.light_palette())
