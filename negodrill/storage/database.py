"""Opening the learner's database: pragmas, schema version, migrations, and refusing the future.

A database written by a newer negodrill is checked through a read-only connection first and
refused before anything is written, so the file stays byte-for-byte as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from negodrill.core.errors import DatabaseError, ReadOnlyError
from negodrill.storage import conversations, datadir, disagreements, review_log, tally
from negodrill.storage.connection import Database

BUSY_TIMEOUT_MS = 5000

_SCHEMA_1 = """
CREATE TABLE deck (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    source TEXT NOT NULL DEFAULT 'local',          -- builtin | import | local
    meta TEXT NOT NULL DEFAULT '{}',               -- the deck object of its file
    techniques TEXT NOT NULL DEFAULT '[]',
    created_ms INTEGER NOT NULL,
    modified_ms INTEGER NOT NULL
);
CREATE TABLE card (
    id INTEGER PRIMARY KEY,
    deck_id INTEGER NOT NULL REFERENCES deck(id) ON DELETE CASCADE,
    key TEXT NOT NULL,                             -- the stable card id of the deck file
    position INTEGER NOT NULL,                     -- file order: new cards come in this order
    type TEXT NOT NULL CHECK (type IN ('drill', 'basic', 'choice')),
    content TEXT NOT NULL,                         -- the card object of the deck file, as JSON
    content_hash TEXT NOT NULL,
    upstream_hash TEXT,                            -- hash as last imported: spots local edits
    upstream_rev INTEGER,
    headline TEXT NOT NULL,                        -- prompt, front or question, for lists
    technique TEXT,
    tags TEXT NOT NULL DEFAULT '',                 -- space separated, with a space at each end
    state INTEGER NOT NULL DEFAULT 0,              -- 0 new, 1 learning, 2 review, 3 relearning
    step INTEGER,
    stability REAL,
    difficulty REAL,
    due_ms INTEGER,
    last_review_ms INTEGER,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,          -- 1 suspended, 2 buried until tomorrow
    retired INTEGER NOT NULL DEFAULT 0,            -- gone upstream: kept, not studied
    modified_ms INTEGER NOT NULL,
    UNIQUE (deck_id, key)
);
CREATE INDEX card_queue ON card (state, due_ms) WHERE suspended = 0 AND retired = 0;
CREATE INDEX card_deck_position ON card (deck_id, position);
CREATE TABLE review (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES card(id) ON DELETE CASCADE,
    time_ms INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
    duration_ms INTEGER NOT NULL DEFAULT 0,
    answer TEXT NOT NULL DEFAULT '',               -- what the learner typed or picked
    correct INTEGER,                               -- 1/0 when the answer was judged, else NULL
    coach_label TEXT,
    coach_flaws TEXT NOT NULL DEFAULT '[]',        -- JSON list of flaw codes
    state_before INTEGER NOT NULL,
    state_after INTEGER NOT NULL,
    before TEXT NOT NULL                           -- JSON schedule before (schema 10: columns)
);
CREATE INDEX review_card ON review (card_id, time_ms);
CREATE INDEX review_time ON review (time_ms);
CREATE TABLE preset (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    config TEXT NOT NULL                           -- JSON of negodrill.core.models.Preset
);
CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL                            -- JSON
);
"""

# Browse sorts by prompt, lapses and type on 100,000 cards without scanning the table.
_SCHEMA_2 = """
CREATE INDEX card_headline ON card (headline COLLATE NOCASE);
CREATE INDEX card_lapses ON card (lapses);
CREATE INDEX card_type ON card (type)
"""

# Progress reads the rare answers (not on review cards, or Again) per card over the whole log:
# a partial covering index of just those rows, in card order, makes that a third of the scan.
_SCHEMA_3 = """
CREATE INDEX review_rare ON review (card_id, state_before, rating, time_ms)
    WHERE state_before <> 2 OR rating = 1
"""

# The deck list counts each deck's cards and what is on today from indexes alone: no start-up
# reads the card table of a 100,000-card collection.
_SCHEMA_7 = """
CREATE INDEX card_deck_queue ON card (deck_id, state, due_ms) WHERE suspended = 0 AND retired = 0;
CREATE INDEX card_deck_live ON card (deck_id) WHERE retired = 0
"""

# A learner's flag on a card (Review: Ctrl+1; Browse: the "flagged" filter); 0 is none.
_SCHEMA_8 = "ALTER TABLE card ADD COLUMN flag INTEGER NOT NULL DEFAULT 0"

# A deck's own options preset (storage/presets.py); none: the default preset.
_SCHEMA_9 = "ALTER TABLE deck ADD COLUMN preset_id INTEGER REFERENCES preset(id) ON DELETE SET NULL"

# `check` counts each card's scheduled reviews: all of them from the covering `review_card`
# index, less the rare practice answers from this one, instead of reading a million rows.
_SCHEMA_11 = "CREATE INDEX review_unscheduled ON review (card_id) WHERE unscheduled = 1"

# Each deck's count of cards that are not retired, kept by triggers: the deck list shows it
# without counting 10,000 index entries per deck at every start.
_SCHEMA_12 = (
    "ALTER TABLE deck ADD COLUMN live_cards INTEGER NOT NULL DEFAULT 0",
    "UPDATE deck SET live_cards = "
    "(SELECT count(*) FROM card WHERE card.deck_id = deck.id AND card.retired = 0)",
    "CREATE TRIGGER card_live_insert AFTER INSERT ON card WHEN NEW.retired = 0 BEGIN "
    "UPDATE deck SET live_cards = live_cards + 1 WHERE id = NEW.deck_id; END",
    "CREATE TRIGGER card_live_delete AFTER DELETE ON card WHEN OLD.retired = 0 BEGIN "
    "UPDATE deck SET live_cards = live_cards - 1 WHERE id = OLD.deck_id; END",
    "CREATE TRIGGER card_live_move AFTER UPDATE OF deck_id, retired ON card "
    "WHEN OLD.deck_id != NEW.deck_id OR OLD.retired != NEW.retired BEGIN "
    "UPDATE deck SET live_cards = live_cards - (OLD.retired = 0) WHERE id = OLD.deck_id; "
    "UPDATE deck SET live_cards = live_cards + (NEW.retired = 0) WHERE id = NEW.deck_id; END",
)

# MIGRATIONS[i] takes the schema from version i to i + 1, inside one transaction: a script of
# plain statements, a tuple of statements when some (triggers) hold semicolons, or a function
# that runs its own transaction and sets the version (a table rebuild: foreign keys off first).
MIGRATIONS: list[str | tuple[str, ...] | Callable[[Database, int], None]] = [
    _SCHEMA_1, _SCHEMA_2, _SCHEMA_3, tally.SCHEMA_4, disagreements.SCHEMA_5,
    conversations.migrate_to_6, _SCHEMA_7, _SCHEMA_8, _SCHEMA_9, review_log.migrate_to_10,
    _SCHEMA_11, _SCHEMA_12]
SCHEMA_VERSION = len(MIGRATIONS)


def _read_only_uri(path: Path, *, immutable: bool = False) -> str:
    return path.resolve().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. A WAL database in a read-only place (a folder, a full
    disk) without its `-shm` file can only be opened as immutable, and that is done only when
    no WAL holds changes that immutable reading would miss."""
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        wal = Path(str(path) + "-wal")
        if not name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY", "SQLITE_IOERR")) or (
                wal.exists() and wal.stat().st_size > 0):
            raise
        return sqlite3.connect(_read_only_uri(path, immutable=True), uri=True,
                               check_same_thread=False)


def _stored_version(path: Path) -> int:
    """Read `user_version` without writing a byte: a read-only connection, no pragmas."""
    try:
        conn = connect_read_only(path)
    except sqlite3.DatabaseError as exc:
        raise datadir.from_sqlite_error(exc, path) from None
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise datadir.damaged(path, str(exc)) from None
    finally:
        conn.close()
    return version


def _run_script(db: Database, script: str | tuple[str, ...]) -> None:
    """Run several statements inside the caller's transaction (executescript would commit)."""
    statements = script if isinstance(script, tuple) else script.split(";")
    for statement in statements:
        if statement.strip():
            db.execute(statement)


def _database(conn: sqlite3.Connection) -> Database:
    return Database(conn)


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def open_database(path: Path, *, read_only: bool = False) -> tuple[Database, bool]:
    """Open (creating if needed) and migrate the database; returns (db, created).

    `read_only` (the data dir cannot be written): opened through a read-only connection, no
    migration. A database of an older schema is backed up first, then upgraded in one
    transaction: a failing step leaves it as it was.
    """
    path = Path(path)
    created = not path.exists() or path.stat().st_size == 0
    if read_only:
        return _open_read_only(path), False
    version = 0 if created else _stored_version(path)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer negodrill (schema {version}, this version knows "
            f"{SCHEMA_VERSION}); update negodrill to open it")
    if 0 < version < SCHEMA_VERSION:
        from negodrill.storage.backups import create_backup

        create_backup(path, reason="before upgrade")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = _connect(path)
    except OSError as exc:
        raise datadir.from_os_error(exc, path.parent) from None
    except sqlite3.Error as exc:
        raise datadir.from_sqlite_error(exc, path) from None
    try:
        db = _database(conn)
        migrate(db)
    except (sqlite3.DatabaseError, DatabaseError) as exc:
        conn.close()
        if not 0 < version < SCHEMA_VERSION:
            if isinstance(exc, DatabaseError):
                raise
            raise datadir.from_sqlite_error(exc, path) from None
        raise DatabaseError(
            f"{path} could not be upgraded from schema {version} to {SCHEMA_VERSION} "
            f"({exc}); it is unchanged, and a backup of it is in "
            f"{path.parent / 'backups'}") from None
    return db, created


def _open_read_only(path: Path) -> Database:
    if not path.exists():
        raise ReadOnlyError(f"{path.parent} is read-only and holds no negodrill collection yet: "
                            "make the folder writable or choose another with --data-dir")
    version = _stored_version(path)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"{path} was written by a newer negodrill (schema {version}, this version knows "
            f"{SCHEMA_VERSION}); update negodrill to open it")
    if version < SCHEMA_VERSION:
        raise ReadOnlyError(f"{path} was written by an older negodrill and needs an upgrade, "
                            f"but {path.parent} is read-only: make it writable and start again")
    try:
        conn = connect_read_only(path)
        conn.isolation_level = None
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA query_only = ON")
    except sqlite3.DatabaseError as exc:
        raise datadir.from_sqlite_error(exc, path) from None
    return _database(conn)


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> None:
    """Bring the schema up to date in one write transaction: every step, or none of them.

    Foreign keys are off around it (table rebuilds drop and rename tables), and checked
    whole before the commit. Another connection (an older window still open) waits on the
    write lock and then sees the old schema or the new one, never half of it.
    """
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise DatabaseError(
            f"the database was written by a newer negodrill (schema {version}); update negodrill"
        )
    if version == SCHEMA_VERSION:
        return
    conn = db.conn
    conn.execute("PRAGMA foreign_keys = OFF")  # no effect inside a transaction: before it
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for number in range(version, SCHEMA_VERSION):
                step = MIGRATIONS[number]
                if callable(step):
                    step(db, number + 1)  # its own atomic() is a savepoint of this one
                else:
                    _run_script(db, step)
                    db.execute(f"PRAGMA user_version = {number + 1}")
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(f"the upgrade breaks {len(broken)} references")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def open_memory() -> Database:
    """A fresh in-memory database at the current schema, for tests."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    db = Database(conn)
    migrate(db)
    return db
