"""One negodrill window per data dir: a QLockFile, and a local socket to hand files over.

The lock is checked before the database is opened, so a second launch never touches it. The
second launch sends its files (and a request to raise the window) to the first one's
QLocalServer, whose name is derived from the data dir's path.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal

if TYPE_CHECKING:  # QtNetwork loads when the server starts, after the window's first paint
    from PySide6.QtNetwork import QLocalSocket

LOCK_NAME = "negodrill.lock"
HANDOVER_TIMEOUT_MS = 3000
LOCK_YOUNG_S = 10  # a window this young may not listen yet: it listens after its first paint


def server_name(data_dir: Path) -> str:
    import hashlib  # OpenSSL loads in a few ms: not before the window's first paint

    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()
    return f"negodrill-{digest[:20]}"


def lock_path(data_dir: Path, *, writable: bool = True) -> Path:
    """The lock lives in the data dir; in the user's runtime dir when the data dir cannot be
    written (a read-only folder still allows one window at a time)."""
    if writable:
        return Path(data_dir) / LOCK_NAME
    import os
    import tempfile

    # $XDG_RUNTIME_DIR as the session has it (platformdirs second-guesses its permissions and
    # may answer differently in two processes of one session), else the temp folder.
    owner = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    runtime = Path(base) / f"negodrill-{owner}"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    return runtime / f"{server_name(data_dir)}.lock"


def acquire_lock(data_dir: Path, *, writable: bool = True) -> QLockFile | None:
    """The data dir's lock, or None when another live negodrill holds it.

    A lock file that cannot be written at all (a full disk) is not another negodrill: the
    lock then goes to the runtime dir, as for a read-only data dir."""
    lock = QLockFile(str(lock_path(data_dir, writable=writable)))
    lock.setStaleLockTime(0)  # only a dead owner's lock is stale, however old
    if lock.tryLock(0):
        return lock
    # A lock left by a crashed process is removed by tryLock itself; try once more.
    if lock.removeStaleLockFile() and lock.tryLock(0):
        return lock
    if writable and lock.error() != QLockFile.LockError.LockFailedError:
        return acquire_lock(data_dir, writable=False)
    return None


def hand_over(data_dir: Path, files: Sequence[Path]) -> bool:
    """Send files (maybe none: just raise the window) to the running instance.

    A window that is starting holds the lock before it listens (it listens once it has
    painted): while the lock is that young, a missing server is asked again; an older lock
    without a server is a window that will not answer, said at once."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    deadline = time.monotonic() + HANDOVER_TIMEOUT_MS / 1000
    while True:
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(HANDOVER_TIMEOUT_MS):
            break
        if (socket.error() != QLocalSocket.LocalSocketError.ServerNotFoundError
                or time.monotonic() > deadline or not _lock_is_young(data_dir)):
            return False
        time.sleep(0.05)
    message = json.dumps({"files": [str(Path(f).resolve()) for f in files], "raise": True})
    socket.write(QByteArray((message + "\n").encode("utf-8")))
    if not socket.waitForBytesWritten(HANDOVER_TIMEOUT_MS):
        return False
    answered = False
    while socket.waitForReadyRead(HANDOVER_TIMEOUT_MS):
        if bytes(socket.readAll().data()).strip().startswith(b"ok"):
            answered = True
            break
    socket.disconnectFromServer()
    return answered


def _lock_is_young(data_dir: Path) -> bool:
    """Was the data dir's lock taken in the last few seconds (its owner may be starting)?"""
    for writable in (True, False):
        try:  # the runtime dir's lock path is made on asking: it may fail too
            age = time.time() - lock_path(data_dir, writable=writable).stat().st_mtime
        except OSError:
            continue
        if age < LOCK_YOUNG_S:
            return True
    return False


class InstanceServer(QObject):
    """Listens for later launches; emits the files they hand over."""

    files_received = Signal(list)
    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        from PySide6.QtNetwork import QLocalServer

        super().__init__(parent)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        name = server_name(data_dir)
        QLocalServer.removeServer(name)  # we hold the lock: any old socket is a dead one's
        self.listening = self._server.listen(name)
        self._server.newConnection.connect(self._on_connection)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def close(self) -> None:
        self._server.close()

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _on_ready(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            self._buffers[socket] = data
            return
        line, _, rest = data.partition(b"\n")
        self._buffers[socket] = rest
        try:
            message = json.loads(line.decode("utf-8"))
            files = [Path(str(f)) for f in message.get("files", [])]
        except (ValueError, AttributeError, TypeError):
            socket.write(QByteArray(b"error\n"))
            return
        socket.write(QByteArray(b"ok\n"))
        socket.flush()
        if message.get("raise", True):
            self.raise_requested.emit()
        if files:
            self.files_received.emit(files)
