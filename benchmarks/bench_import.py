"""Import speed as a learner meets it: a whole `negodrill import` process, and Anki's too.

    python benchmarks/bench_import.py [--notes 10000] [--runs 5] [--anki-python PYTHON]

Makes, in a temporary folder, a 10,000-note Anki text file (Anki's own export layout: GUID,
note type and deck columns, HTML, tags) and a 10,000-card native deck (drills taken from the
built-in course). Each run times `python -m negodrill --data-dir D import FILE` from process
start to exit on a data dir whose built-in course is already installed (a fresh copy per run,
so every run adds all cards). Anki: the same TSV imported into a fresh collection by Anki's own
library (`Collection.import_csv`) in a fresh process, timed the same way, when Anki's python
library is importable by --anki-python (default: this python). Medians are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

ANKI_IMPORT = """
import sys
from anki.collection import Collection
from anki.import_export_pb2 import ImportCsvRequest
col = Collection(sys.argv[1])
metadata = col.get_csv_metadata(path=sys.argv[2], delimiter=None)
result = col.import_csv(ImportCsvRequest(path=sys.argv[2], metadata=metadata))
print(len(result.log.new), "notes added")
col.close()
"""


def make_tsv(path: Path, notes: int) -> None:
    lines = ["#separator:tab", "#html:true", "#guid column:1", "#notetype column:2",
             "#deck column:3", "#tags column:6"]
    for i in range(notes):
        lines.append(
            f"g{i:08d}x\tBasic\tNegotiation::Openers {i % 5}\t"
            f"<b>Situation {i}</b>: the buyer has gone quiet after the demo.<br>"
            f"Ask without asking for yes.\tIs it a bad time to talk about next steps? &amp; "
            f"why it works {i}\tdrill batch{i % 7}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_native(path: Path, cards: int) -> None:
    course = json.loads((REPO / "decks" / "02-no-oriented-questions.negodeck.json").read_text())
    drills = [c for c in course["cards"] if c["type"] == "drill"]
    made = []
    for i in range(cards):
        card = dict(drills[i % len(drills)])
        card["id"] = f"bench-{i}"
        card["prompt"] = f"{card['prompt']} ({i})"
        made.append(card)
    doc = {"format": "negodrill-deck", "format_version": 1,
           "deck": {"id": str(uuid.uuid4()), "title": "Benchmark deck", "revision": 1},
           "techniques": course.get("techniques", []), "cards": made}
    path.write_text(json.dumps(doc), encoding="utf-8")


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(argv)}\n{done.stderr[-2000:]}")
    return elapsed


def negodrill_runs(file: Path, template: Path, work: Path, runs: int) -> list[float]:
    times = []
    for run in range(runs + 1):  # one warm-up
        data = work / f"data-{file.suffix}-{run}"
        shutil.copytree(template, data)
        times.append(timed([sys.executable, "-m", "negodrill", "--data-dir", str(data),
                            "import", str(file)]))
        shutil.rmtree(data)
    return times[1:]


def anki_runs(python: str, tsv: Path, work: Path, runs: int) -> list[float] | None:
    probe = subprocess.run([python, "-c", "import anki"], capture_output=True)
    if probe.returncode != 0:
        return None
    times = []
    for run in range(runs + 1):
        folder = work / f"anki-{run}"
        folder.mkdir()
        times.append(timed([python, "-c", ANKI_IMPORT, str(folder / "collection.anki2"),
                            str(tsv)]))
        shutil.rmtree(folder)
    return times[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--anki-python", default=sys.executable)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tsv, native = work / "notes.txt", work / "deck.negodeck.json"
        make_tsv(tsv, args.notes)
        make_native(native, args.notes)
        template = work / "template"
        subprocess.run([sys.executable, "-m", "negodrill", "--data-dir", str(template), "decks"],
                       check=True, capture_output=True, env={**os.environ})
        print(f"{args.notes:,} notes/cards, median of {args.runs} whole-process runs")
        for label, file in (("negodrill import, Anki TSV", tsv),
                            ("negodrill import, native deck", native)):
            times = negodrill_runs(file, template, work, args.runs)
            print(f"{label:<34} {statistics.median(times) * 1000:7.0f} ms  "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
        anki = anki_runs(args.anki_python, tsv, work, args.runs)
        if anki is None:
            print("Anki import, same TSV: Anki's python library not found (--anki-python)")
        else:
            print(f"{'Anki import, same TSV':<34} {statistics.median(anki) * 1000:7.0f} ms  "
                  f"(min {min(anki) * 1000:.0f}, max {max(anki) * 1000:.0f})")


if __name__ == "__main__":
    main()
