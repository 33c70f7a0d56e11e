"""`negodrill --install-desktop` / `--uninstall-desktop`: the menu entry, icons and deck mime
types in the user's XDG folders, for an install without a package manager (pipx, the bundle).

The files are the ones in `packaging/linux/` (shipped with the wheel and the bundle); the menu
entry's Exec is rewritten to the command that started this negodrill, so the menu starts the
same install. The icon's PNG sizes are rendered from the SVG with QtSvg.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from negodrill import paths

APP_ID = "io.github.negodrill.Negodrill"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launcher() -> list[str]:
    """The command that starts this negodrill: the bundle's executable, the `negodrill`
    script of this environment (pipx, a venv), or this Python with `-m negodrill`."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.executable).parent / "negodrill"
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("negodrill")
    if found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "negodrill"]


def _exec_line(command: list[str]) -> str:
    """An Exec value: each argument quoted as the Desktop Entry spec asks when needed."""
    def quote(arg: str) -> str:
        if not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
            return arg
        escaped = arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") \
            .replace("$", "\\$")
        return f'"{escaped}"'

    return " ".join(quote(arg) for arg in command) + " %F"


def targets(home: Path) -> dict[str, Path]:
    """Where each file goes under the XDG data home."""
    icons = home / "icons" / "hicolor"
    found = {
        "desktop": home / "applications" / f"{APP_ID}.desktop",
        "mime": home / "mime" / "packages" / f"{APP_ID}.xml",
        "metainfo": home / "metainfo" / f"{APP_ID}.metainfo.xml",
        "svg": icons / "scalable" / "apps" / f"{APP_ID}.svg",
    }
    for size in ICON_SIZES:
        found[f"png{size}"] = icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    return found


def render_icons(svg: Path, out: dict[int, Path]) -> None:
    """PNGs of the SVG icon at each size (QtSvg; no window needed)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])  # noqa: F841 - kept alive while rendering
    renderer = QSvgRenderer(str(svg))
    for size, path in out.items():
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(path), "PNG"):
            raise OSError(f"{path}: the icon could not be written")


def install(home: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Write the menu entry, icons, mime types and metainfo; returns the files written."""
    home = home or data_home()
    source = paths.desktop_dir()
    where = targets(home)
    entry = (source / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    exec_line = _exec_line(command or launcher())
    lines = [f"Exec={exec_line}" if line.startswith("Exec=") else line
             for line in entry.splitlines()]
    written: list[Path] = []
    for key, text in (("desktop", "\n".join(lines) + "\n"),):
        where[key].parent.mkdir(parents=True, exist_ok=True)
        where[key].write_text(text, encoding="utf-8")
        written.append(where[key])
    for key, name in (("mime", f"{APP_ID}.xml"), ("metainfo", f"{APP_ID}.metainfo.xml")):
        where[key].parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, where[key])
        written.append(where[key])
    svg = paths.resource_dir() / "icons" / "negodrill.svg"
    where["svg"].parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, where["svg"])
    written.append(where["svg"])
    pngs = {size: where[f"png{size}"] for size in ICON_SIZES}
    render_icons(svg, pngs)
    written += pngs.values()
    _refresh(home)
    return written


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what `install` wrote; returns the files removed."""
    home = home or data_home()
    removed = []
    for path in targets(home).values():
        if path.exists():
            path.unlink()
            removed.append(path)
    _refresh(home)
    return removed


def _refresh(home: Path) -> None:
    """The desktop's caches, where their tools are installed (they are optional)."""
    for tool, folder in (("update-mime-database", home / "mime"),
                         ("update-desktop-database", home / "applications"),
                         ("gtk-update-icon-cache", home / "icons" / "hicolor")):
        if shutil.which(tool) and folder.is_dir():
            args = [tool, "-f", "-t", str(folder)] if tool == "gtk-update-icon-cache" \
                else [tool, str(folder)]
            subprocess.run(args, capture_output=True, check=False)
