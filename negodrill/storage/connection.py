"""The collection's connection: sqlite3 in autocommit mode, with nested transactions.

negodrill writes its own SQL, so all it needs around sqlite3 is `atomic()`: a transaction, or
a savepoint inside one. (sqlite-utils did this until 0.2: its import pulled in its command
line's click, pluggy and dateutil, 100 ms of a 300 ms start, for the same few lines.)
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

Parameters = Sequence[Any] | dict[str, Any]


class Database:
    """One sqlite3 connection in autocommit mode: a statement outside `atomic()` commits at
    once; inside it, everything commits together or not at all."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        conn.isolation_level = None  # transactions are begun here, never implicitly by sqlite3
        # A REPLACE that deletes a row fires the row's delete triggers (the tally's counters
        # depend on it), as it did under sqlite-utils.
        conn.execute("PRAGMA recursive_triggers = ON")
        self.conn = conn
        self._savepoints = itertools.count(1)

    def execute(self, sql: str, parameters: Parameters = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def executemany(self, sql: str, rows: Iterable[Parameters]) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """A transaction; inside another one, a savepoint that undoes only its own work when
        its block raises."""
        if self.conn.in_transaction:
            name = f"negodrill_{next(self._savepoints)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                # A failure that already ended the whole transaction (a RAISE(ROLLBACK)
                # trigger, a full disk) left no savepoint to go back to.
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.conn.execute("BEGIN")
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()
