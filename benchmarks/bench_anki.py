"""Start-up time and memory of Anki's desktop app, the benchmark negodrill is compared with.

Install Anki outside the repository (the PyPI extra is `qt`, which pins PyQt6 + WebEngine):

    python3 -m venv /tmp/anki-venv && /tmp/anki-venv/bin/pip install 'aqt[qt]'
    apt-get install xvfb xauth libxcb-cursor0 libnss3 ...  # only for real X (see PERFORMANCE.md)

Run (stdlib only; Linux, as it reads /proc):

    python3 benchmarks/bench_anki.py --anki-python /tmp/anki-venv/bin/python \
        [--negodrill-python .venv/bin/python] [--runs 5]
    xvfb-run -a python3 benchmarks/bench_anki.py ...   # X11 (xcb) instead of offscreen

Anki: a throwaway base dir gets prefs21.db (no first-run language dialog, no update checks,
no sync) and one profile whose collection holds 5 decks of 40/90/45/57/30 Basic notes, like
negodrill's built-in decks. A driver run by Anki's python registers gui_hooks and calls
aqt.run(); once the deck browser webview has loaded, holds the deck rows and has painted two
animation frames, it prints `startup_ms` = ms since process start (/proc starttime vs
/proc/uptime, the same clock as negodrill's --check-startup). With --negodrill-python the
same harness runs `-m negodrill --check-startup` on a throwaway data dir.
Memory: `main` is ru_maxrss of the app's own process (os.wait4); `tree` is the peak of the
summed RSS of all its processes (QtWebEngine zygotes and renderers too; sampled every 50 ms;
overstates, as shared pages count in every process) and `pss` the tree's summed PSS when ready.
One warm-up run, then --runs runs; medians are printed. Anki is killed once ready.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DECK_SIZES = (40, 90, 45, 57, 30)
TIMEOUT_S = 90

SETUP = """
import sys
import anki.lang
anki.lang.set_lang("en_US")
from anki.collection import Collection
from aqt.profiles import ProfileManager
base, name, sizes = sys.argv[1], sys.argv[2], [int(n) for n in sys.argv[3].split(",")]
pm = ProfileManager(ProfileManager.get_created_base_folder(base))
pm.setupMeta()
pm.meta.update(firstRun=False, defaultLang="en_US", updates=False, check_for_updates=False,
               check_for_addon_updates=False)
pm.create(name)
pm.load(name)
pm.profile.update(autoSync=False, syncMedia=False)
pm.save()
col = Collection(pm.collectionPath())
basic = col.models.by_name("Basic")
for d, size in enumerate(sizes, 1):
    did = col.decks.id(f"Drill deck {d}")
    for i in range(size):
        note = col.new_note(basic)
        note["Front"] = f"Turn request {d}.{i} into a no-oriented question, please."
        note["Back"] = f"Would it be a bad idea to ... ({d}.{i})?"
        col.add_note(note, did)
col.close()
"""

DRIVER = """
import faulthandler, os, sys
faulthandler.dump_traceback_later(float(os.environ["BENCH_TIMEOUT"]), exit=True)
import aqt
from aqt import gui_hooks

def age_ms():
    with open("/proc/self/stat") as f:
        ticks = int(f.read().rpartition(")")[2].split()[19])
    with open("/proc/uptime") as f:
        return int((float(f.read().split()[0]) - ticks / os.sysconf("SC_CLK_TCK")) * 1000)

JS = '''(function(){var n=document.querySelectorAll("tr.deck").length;
requestAnimationFrame(function(){requestAnimationFrame(function(){pycmd("bench:"+n);});});
})()'''

def on_render(browser):
    web = aqt.mw.web
    web.loadFinished.connect(lambda ok: web.eval(JS))

def on_message(handled, message, context):
    if isinstance(message, str) and message.startswith("bench:"):
        print(f"startup_ms={age_ms()} deck_rows={message[6:]}", flush=True)
        return (True, None)
    return handled

gui_hooks.deck_browser_did_render.append(on_render)
gui_hooks.webview_did_receive_js_message.append(on_message)
sys.argv = ["anki", "-b", sys.argv[1], "-p", sys.argv[2]]
aqt.run()
"""


@dataclass
class Run:
    app_ms: int  # as reported by the app: process start -> deck list painted
    wall_ms: int  # as seen here: Popen -> report line read
    main_mb: float
    tree_mb: float
    pss_mb: float
    procs: int
    extra: str  # the rest of the app's report line, e.g. deck_rows=6


def session_pids(root: int) -> list[int]:
    """The root process and every process in its session or descended from it."""
    parents: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii") as f:
                fields = f.read().rpartition(")")[2].split()
        except OSError:
            continue
        pid, ppid, sid = int(entry.name), int(fields[1]), int(fields[3])
        parents[pid] = root if sid == root else ppid
    found = [root] if root in parents else []
    for pid in parents:
        seen = pid
        while seen in parents and seen != root and seen > 1:
            seen = parents[seen]
        if seen == root and pid != root:
            found.append(pid)
    return found


def proc_kb(pid: int, path: str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}", encoding="ascii") as f:
            return sum(int(line.split()[1]) for line in f if line.startswith(key))
    except OSError:
        return 0


class TreeSampler(threading.Thread):
    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_kb, self.procs = root, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            pids = session_pids(self.root)
            self.procs = max(self.procs, len(pids))
            self.peak_kb = max(self.peak_kb, sum(proc_kb(p, "status", "VmRSS:") for p in pids))


def measure(cmd: list[str], env: dict[str, str], kill_when_ready: bool) -> Run:
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    sampler = TreeSampler(proc.pid)
    sampler.start()
    timer = threading.Timer(TIMEOUT_S, os.killpg, (proc.pid, signal.SIGKILL))
    timer.start()
    line, pss_kb = "", 0
    assert proc.stdout is not None
    for out in proc.stdout:
        if out.startswith("startup_ms="):
            line, wall_ms = out, int((time.monotonic() - start) * 1000)
            pss_kb = sum(proc_kb(p, "smaps_rollup", "Pss:") for p in session_pids(proc.pid))
            break
    sampler.done.set()
    sampler.join()
    if kill_when_ready or not line:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.stdout.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    timer.cancel()
    if not line:
        raise SystemExit(f"{cmd[0]}: no startup_ms line (exit status {status}); cmd: {cmd}")
    return Run(app_ms=int(line.split()[0].split("=")[1]), wall_ms=wall_ms,
               main_mb=usage.ru_maxrss / 1024, tree_mb=sampler.peak_kb / 1024,
               pss_mb=pss_kb / 1024, procs=sampler.procs,
               extra=" ".join(line.split()[1:]))


def bench(name: str, cmd: list[str], env: dict[str, str], runs: int, kill: bool) -> None:
    warm = measure(cmd, env, kill)
    print(f"{name}: warm-up {warm.app_ms} ms (discarded)", flush=True)
    results = [measure(cmd, env, kill) for _ in range(runs)]
    for r in results:
        print(f"  {r.app_ms:5d} ms (wall {r.wall_ms:5d}) main {r.main_mb:6.1f} MB, "
              f"tree {r.tree_mb:6.1f} MB RSS / {r.pss_mb:6.1f} MB PSS, {r.procs} procs {r.extra}")
    ms = [r.app_ms for r in results]

    def med(values: list[float]) -> float:
        return statistics.median(values)

    print(f"{name} [{env['QT_QPA_PLATFORM']}], {runs} runs: start-up median {med(ms):.0f} ms "
          f"(min {min(ms)}, max {max(ms)}, wall median {med([r.wall_ms for r in results]):.0f}); "
          f"peak RSS main median {med([r.main_mb for r in results]):.0f} MB, tree median "
          f"{med([r.tree_mb for r in results]):.0f} MB; PSS when ready median "
          f"{med([r.pss_mb for r in results]):.0f} MB", flush=True)


def anki_version(python: str) -> str:
    code = "import aqt, PyQt6.QtCore as q; print(aqt.appVersion, 'Qt', q.QT_VERSION_STR)"
    return subprocess.run([python, "-c", code], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--anki-python", help="python of a venv with `aqt[qt]` installed")
    parser.add_argument("--negodrill-python", help="also measure negodrill with this python")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = dict(os.environ, BENCH_TIMEOUT=str(TIMEOUT_S),
               ANKI_SINGLE_INSTANCE_KEY=f"bench-anki-{os.getpid()}")
    env.setdefault("QT_QPA_PLATFORM", "xcb" if env.get("DISPLAY") else "offscreen")
    if os.geteuid() == 0:  # Chromium refuses to run as root with its sandbox
        env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
    with tempfile.TemporaryDirectory(prefix="bench-anki-") as tmp:
        if not args.anki_python or not Path(args.anki_python).exists():
            print("SKIP Anki: pass --anki-python PATH (a venv with `pip install 'aqt[qt]'`)")
        elif (version := anki_version(args.anki_python)) == "":
            print(f"SKIP Anki: {args.anki_python} cannot import aqt / PyQt6")
        else:
            base = str(Path(tmp) / "anki")
            sizes = ",".join(map(str, DECK_SIZES))
            subprocess.run([args.anki_python, "-c", SETUP, base, "bench", sizes], check=True,
                           capture_output=True)
            print(f"Anki {version}; decks {sizes}", flush=True)
            cmd = [args.anki_python, "-c", DRIVER, base, "bench"]
            bench("anki", cmd, env, args.runs, kill=True)
        if args.negodrill_python:
            # Bytecode as an installed copy has it (PYTHONDONTWRITEBYTECODE would leave none).
            subprocess.run([args.negodrill_python, "-m", "compileall", "-q",
                            str(Path(__file__).resolve().parents[1] / "negodrill")], check=True)
            data = str(Path(tmp) / "negodrill")
            cmd = [args.negodrill_python, "-m", "negodrill", "--data-dir", data,
                   "--check-startup"]
            bench("negodrill", cmd, env, args.runs, kill=False)


if __name__ == "__main__":
    main()
