"""The wheel carries resources/ and decks/, and an installed negodrill finds them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_an_installed_wheel_finds_its_resources_and_decks(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
         "-w", str(tmp_path / "dist"), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )
    wheel = next((tmp_path / "dist").glob("negodrill-*.whl"))
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        archive.extractall(site)  # our own wheel, built just now: safe to unpack
    assert "negodrill_data/resources/negodeck.schema.json" in names
    assert any(n.startswith("negodrill_data/decks/") and n.endswith(".negodeck.json")
               for n in names)
    assert "negodrill_data/packaging/linux/io.github.negodrill.Negodrill.desktop" in names
    assert not any(n.startswith(("tests/", "negodrill_data/tests")) for n in names)
    # Run from an unrelated folder with only the unpacked wheel on the path (not the checkout).
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    done = subprocess.run(
        [sys.executable, "-c",
         "import negodrill.paths as p, negodrill.cli as c, sys; print(p.resource_dir()); "
         "sys.exit(c.main(['--data-dir', sys.argv[1], 'decks', '--json']))",
         str(tmp_path / "data")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    first, rest = done.stdout.split("\n", 1)
    assert first.startswith(str(site))
    assert json.loads(rest)[0]["title"] == "Starter course"

