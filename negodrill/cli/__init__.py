"""The `negodrill` command: the window by default, subcommands for the terminal.

Exit codes: 0 ok; 1 failed, with one `error: ...` line on stderr; 2 usage error (argparse).
Each subcommand module imports its heavy dependencies inside `run`, so `negodrill coach` does
not pay for Qt and the window does not pay for jsonschema.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from negodrill import __version__
from negodrill.core.errors import NegodrillError

COMMANDS = ("decks", "deck", "stats", "study", "import", "export", "validate", "coach", "check",
            "optimize", "report", "backup", "restore")

_DESCRIPTION = (
    "Drills for asking no-oriented questions and deliberate mislabels. Without a command, "
    "opens the window (FILEs are imported after start)."
)
_EPILOG = """commands (negodrill [--data-dir DIR] COMMAND --help for details):
  decks     list the decks with their new and due counts
  deck      create, rename or delete a deck (deck create TITLE, rename DECK TITLE, delete DECK)
  stats     figures about your study: reviews, streak, retention
  study     study in the terminal (two input lines per card, scriptable)
  import    import deck files
  export    export a deck: .negodeck, .negodeck.json, Anki .apkg or Anki text .tsv
  validate  check deck files against the format and the coach
  coach     judge the technique of a sentence; `coach eval FILE.jsonl` scores a labelled set
  check     check the database and the card states against the review log
  optimize  fit the scheduler to your own reviews (--apply saves a better fit, --reset)
  report    write a progress report: .html, .pdf, or .csv (one row per review)
  backup    back your collection up (--list shows the backups)
  restore   replace your collection with a backup (a safety copy is kept first)
"""


def _base_parser() -> argparse.ArgumentParser:
    """The parser both forms share: description, command list, and the global options."""
    parser = argparse.ArgumentParser(
        prog="negodrill",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where your collection lives (default: $NEGODRILL_DATA_DIR or the platform's)",
    )
    parser.add_argument("--version", action="version", version=f"negodrill {__version__}")
    return parser


def gui_parser() -> argparse.ArgumentParser:
    parser = _base_parser()
    parser.add_argument(
        "--check-startup",
        action="store_true",
        help="start the window, print startup_ms=<ms since process start> once painted, exit",
    )
    parser.add_argument(
        "--install-desktop",
        action="store_true",
        help="add negodrill to your desktop's menu (with its icon, and deck files opening in "
        "it) for this user, then exit",
    )
    parser.add_argument(
        "--uninstall-desktop",
        action="store_true",
        help="remove what --install-desktop added, then exit",
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="deck files to import")
    return parser


def command_parser() -> argparse.ArgumentParser:
    from negodrill.cli import (
        backup_cmd,
        coach_cmd,
        collection_cmds,
        deck_cmd,
        optimize_cmd,
        report_cmd,
        study_cmd,
        validate_cmd,
    )

    parser = _base_parser()
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    collection_cmds.register(subparsers)
    backup_cmd.register(subparsers)
    deck_cmd.register(subparsers)
    study_cmd.register(subparsers)
    validate_cmd.register(subparsers)
    coach_cmd.register(subparsers)
    optimize_cmd.register(subparsers)
    report_cmd.register(subparsers)
    return parser


def _first_word(argv: Sequence[str]) -> str | None:
    """The first word that is not a global option: a command name, or a file for the window."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--data-dir":
            skip = True
            continue
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg
    return None


def data_dir(args: argparse.Namespace) -> Path:
    from negodrill import paths

    return paths.data_dir(args.data_dir)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _first_word(argv) in COMMANDS:
        args = command_parser().parse_args(argv)
        runner = args.func
    else:
        args = gui_parser().parse_args(argv)
        runner = _run_gui
    try:
        code: int = runner(args)
    except NegodrillError as exc:
        sys.stdout.flush()
        print(error_line(str(exc)), file=sys.stderr)
        return 1
    except sqlite3.OperationalError as exc:
        # A write outside a storage transaction met a full disk or a read-only folder.
        from negodrill import paths
        from negodrill.storage.datadir import from_sqlite_error

        sys.stdout.flush()
        database = paths.database_path(paths.data_dir(args.data_dir))
        print(error_line(str(from_sqlite_error(exc, database))), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`negodrill decks | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        # A file the learner named or a folder negodrill writes to: one sentence, no trace.
        sys.stdout.flush()
        where = f"{exc.filename}: " if exc.filename else ""
        print(error_line(f"{where}{exc.strerror or exc}"), file=sys.stderr)
        return 1
    return code


def printable(text: str) -> str:
    """Control characters (a newline or an escape in a file name) shown as "?", so a line
    stays one line and cannot drive the terminal."""
    return "".join("?" if ord(c) < 32 or 127 <= ord(c) < 160 else c for c in text)


def error_line(message: str) -> str:
    return f"error: {printable(message)}"


def has_display() -> bool:
    """Can a window be shown? A platform the caller chose (QT_QPA_PLATFORM, e.g. offscreen for
    tests and screenshots) counts; on Linux otherwise an X or Wayland display must be there."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_gui(args: argparse.Namespace) -> int:
    if args.install_desktop or args.uninstall_desktop:
        return _desktop_entry(install=args.install_desktop)
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        raise NegodrillError(f"{missing[0]}: no such file")
    if not has_display():
        return _without_display(args)
    from negodrill.ui.app import run_app

    return run_app(
        data_dir=data_dir(args),
        files=[Path(f) for f in args.files],
        check_startup=args.check_startup,
    )


def _desktop_entry(*, install: bool) -> int:
    from negodrill.ui import desktop_entry

    try:
        done = desktop_entry.install() if install else desktop_entry.uninstall()
    except OSError as exc:
        what = "added to" if install else "removed from"
        raise NegodrillError(f"negodrill could not be {what} the desktop menu "
                             f"({exc.strerror or exc})") from None
    if install:
        print(f"negodrill is in your desktop's menu: {len(done)} files written under "
              f"{desktop_entry.data_home()}, starting {' '.join(desktop_entry.launcher())}")
    else:
        print(f"removed {len(done)} files of negodrill's desktop entry")
    return 0


def _without_display(args: argparse.Namespace) -> int:
    """No display: the same job in the terminal, never an invisible window that would hold
    the data dir (a later start on a real display would then find it "already running")."""
    if args.check_startup:
        raise NegodrillError("no display (DISPLAY or WAYLAND_DISPLAY): the window cannot start; "
                             "set QT_QPA_PLATFORM=offscreen to start it unseen")
    if args.files:
        from negodrill.cli.collection_cmds import run_import

        print("negodrill: no display found, so the files are imported in the terminal",
              file=sys.stderr)
        return run_import(argparse.Namespace(**vars(args), dry_run=False, no_history=False))
    from negodrill.cli.study_cmd import run as run_study

    print("negodrill: no display found, so studying in the terminal (Ctrl+D ends)",
          file=sys.stderr, flush=True)
    return run_study(argparse.Namespace(**vars(args), deck=None, limit=None))


def entry_point() -> None:
    sys.exit(main())
