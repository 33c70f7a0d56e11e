"""`bash packaging/build` makes the one-folder bundle, which starts from outside the checkout
(the script itself checks the desktop metadata, the start, the reports and the size budget)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_bundle_builds_and_starts_on_its_own(tmp_path: Path) -> None:
    done = subprocess.run(["bash", str(REPO / "packaging" / "build")], cwd=tmp_path,
                          capture_output=True, text=True, timeout=900,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "startup_ms=" in done.stdout
    assert "budget 250 MB" in done.stdout
    bundle = REPO / "dist" / "negodrill"
    internal = bundle / "_internal"
    for carried in ("resources", "decks", "packaging/linux", "licenses/LGPL-3.0.txt",
                    "THIRD_PARTY_NOTICES.md", "LICENSE"):
        assert (internal / carried).exists(), carried
    assert not list(internal.glob("libreadline*"))  # GPL: never in the bundle
    assert list(internal.glob("pyside6_essentials-*.dist-info"))  # licences travel along
    icons = bundle / "share" / "icons" / "hicolor"
    assert (icons / "256x256" / "apps" / "io.github.negodrill.Negodrill.png").is_file()
    # From an unrelated folder, with the checkout out of reach.
    other = tmp_path / "elsewhere"
    other.mkdir()
    version = subprocess.run([str(bundle / "negodrill"), "--version"], cwd=other,
                             capture_output=True, text=True, timeout=120)
    assert version.stdout.startswith("negodrill ")
