"""`negodrill --install-desktop`: the menu entry, icons and deck mime types, as the desktop's
own tools read them; `--uninstall-desktop` takes them all away again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from negodrill import paths
from negodrill.cli import main
from negodrill.ui import desktop_entry
from negodrill.ui.desktop_entry import APP_ID, ICON_SIZES

LINUX = paths.desktop_dir()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (packaging/system-libs.sh --build installs it)")
    return found


def test_the_shipped_desktop_files_validate() -> None:
    done = subprocess.run([_tool("desktop-file-validate"), str(LINUX / f"{APP_ID}.desktop")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([_tool("appstreamcli"), "validate", "--no-net",
                           str(LINUX / f"{APP_ID}.metainfo.xml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_install_writes_what_the_desktop_reads_and_uninstall_removes_it(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    home = tmp_path / "share"
    command = ["/opt/my apps/negodrill/negodrill"]
    written = desktop_entry.install(home, command)
    entry = home / "applications" / f"{APP_ID}.desktop"
    assert entry in written
    text = entry.read_text(encoding="utf-8")
    assert 'Exec="/opt/my apps/negodrill/negodrill" %F' in text
    assert "MimeType=application/x-negodrill-deck;application/x-negodrill-deck+json;" in text
    if shutil.which("desktop-file-validate"):
        done = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stdout
    for size in ICON_SIZES:
        png = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        image = QImage(str(png))
        assert (image.width(), image.height()) == (size, size)
    assert (home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    if shutil.which("update-mime-database"):  # the mime types reached the user's database
        globs = (home / "mime" / "globs2").read_text(encoding="utf-8")
        assert "application/x-negodrill-deck:*.negodeck" in globs
        assert "application/x-negodrill-deck+json:*.negodeck.json" in globs

    removed = desktop_entry.uninstall(home)
    assert sorted(removed) == sorted(written)
    assert not any(path.exists() for path in written)


def test_the_command_line_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: Any) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert main(["--install-desktop"]) == 0
    out = capsys.readouterr().out
    assert "negodrill is in your desktop's menu" in out
    entry = tmp_path / "share" / "applications" / f"{APP_ID}.desktop"
    assert "negodrill" in next(line for line in entry.read_text().splitlines()
                               if line.startswith("Exec="))
    assert main(["--uninstall-desktop"]) == 0
    assert not entry.exists()
    assert "removed" in capsys.readouterr().out
