"""One negodrill window per data dir: a QLockFile, and a local socket to hand files over.

The lock is checked before the database is opened, so a second launch never touches it. The
second launch sends its files (and a request to raise the window) to the first one's
QLocalServer, whose name is derived from the data dir's path.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

LOCK_NAME = "negodrill.lock"
HANDOVER_TIMEOUT_MS = 3000


def server_name(data_dir: Path) -> str:
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
    """Send files (maybe none: just raise the window) to the running instance."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_dir))
    if not socket.waitForConnected(HANDOVER_TIMEOUT_MS):
        return False
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


class InstanceServer(QObject):
    """Listens for later launches; emits the files they hand over."""

    files_received = Signal(list)
    raise_requested = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
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
