"""The terminal launcher's collector: a private socket that receives every process's stream.

* POSIX: a Unix socket inside a fresh 0700 temporary directory; Windows: TCP on
  127.0.0.1 with an ephemeral port.
* The first line of a stream must be a ``hello`` carrying the run's token,
  compared in constant time; otherwise the connection is closed and counted.
* Lines are bounded to 1 MiB; longer lines, invalid JSON and events without a
  valid envelope are dropped and counted, never fatal.
* One thread serves all connections through ``selectors``.
"""

import hmac
import json
import os
import selectors
import shutil
import socket
import sys
import threading
import time

from mpscope import PROTOCOL_VERSION
from mpscope import events as ev
from mpscope.address import format_tcp, format_unix
from mpscope.launcher.privatedir import make_private_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, Optional

    from typing import TypeVar

    T = TypeVar("T")
    EventSink = Callable[[Dict[str, Any], bytes], None]
    CloseSink = Callable[[Optional[int]], None]

READ_SIZE = 1 << 16


#: How often ``wait_until`` re-checks its predicate when no event arrives.
RECHECK = 0.25


class CollectorStats:
    def __init__(self) -> None:
        self.connections = 0
        self.rejected = 0  # wrong token, or a stream not starting with hello
        self.malformed = 0  # not JSON, not an object, or no valid envelope
        self.oversized = 0  # longer than MAX_LINE_BYTES

    def problems(self) -> "Dict[str, int]":
        return {
            name: value
            for name, value in (("rejected", self.rejected), ("malformed", self.malformed), ("oversized", self.oversized))
            if value
        }


class _Connection:
    __slots__ = ("sock", "buffer", "discarding", "authenticated", "pid")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()
        self.discarding = False
        self.authenticated = False
        self.pid: "Optional[int]" = None


def valid_envelope(event: "Any") -> bool:
    if not isinstance(event, dict):
        return False
    pid = event.get("pid")
    t = event.get("t")
    return (
        event.get("v") == PROTOCOL_VERSION
        and isinstance(event.get("kind"), str)
        and isinstance(t, (int, float))
        and not isinstance(t, bool)
        and isinstance(pid, int)
        and not isinstance(pid, bool)
        and pid >= 0
    )


class Collector:
    def __init__(self, token: str, on_event: "EventSink", on_close: "CloseSink") -> None:
        self._token = token.encode("utf-8")
        self._on_event = on_event
        self._on_close = on_close
        self.stats = CollectorStats()
        self.address = ""
        self._dir: "Optional[str]" = None
        self._listener: "Optional[socket.socket]" = None
        self._selector = selectors.DefaultSelector()
        self._connections: "Dict[int, _Connection]" = {}
        self._lock = threading.Condition()
        self._stopping = False
        self._drain_requested = False
        self._drains = 0
        self._thread: "Optional[threading.Thread]" = None
        self._wake_r, self._wake_w = socket.socketpair()

    # -- lifecycle -------------------------------------------------------

    def start(self) -> str:
        """Listen and serve in a background thread; returns the ``MPSCOPE_ADDR`` value."""
        self._dir = make_private_dir()  # created 0700: the socket and the stack dumps
        if hasattr(socket, "AF_UNIX") and sys.platform != "win32":
            path = os.path.join(self._dir, "events.sock")
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listener.bind(path)
            self.address = format_unix(path)
        else:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind(("127.0.0.1", 0))
            self.address = format_tcp("127.0.0.1", listener.getsockname()[1])
        listener.listen(128)
        listener.setblocking(False)
        self._listener = listener
        self._selector.register(listener, selectors.EVENT_READ, None)
        self._wake_r.setblocking(False)
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        self._thread = threading.Thread(target=self._serve, name="mpscope-collector", daemon=True)
        self._thread.start()
        return self.address

    def wait_until(self, predicate: "Callable[[], bool]", timeout: float) -> bool:
        """Wait until ``predicate()`` holds with no stream open (True), or ``timeout`` passes (False).

        The predicate runs under the collector's lock, between events. Before
        answering True, the serving thread drains what the kernel still holds
        (connections in the listen backlog, unread lines), since a process that
        already exited may not have been accepted yet.
        """
        deadline = time.monotonic() + timeout

        def remaining() -> float:
            return max(0.0, deadline - time.monotonic())

        with self._lock:
            while True:
                # Re-checked now and then, not only on events: the predicate may ask the OS too.
                while not self._lock.wait_for(lambda: not self._connections and predicate(), min(remaining(), RECHECK)):
                    if remaining() <= 0:
                        return False
                target = self._drains + 1
                self._drain_requested = True
                self._wake()
                if not self._lock.wait_for(lambda: self._drains >= target or self._stopping, remaining()):
                    return False
                if not self._connections and predicate():
                    return True

    @property
    def directory(self) -> "Optional[str]":
        """The collector's private directory (0700), while it runs."""
        return self._dir

    def wait_for(self, predicate: "Callable[[], bool]", timeout: float) -> bool:
        """Wait until ``predicate()`` (run under the lock, between events) holds, or ``timeout`` passes."""
        with self._lock:
            return bool(self._lock.wait_for(predicate, timeout))

    def call_locked(self, function: "Callable[[], T]") -> "T":
        """``function()`` with no event being handled meanwhile (the model is the collector thread's otherwise)."""
        with self._lock:
            return function()

    def send_line(self, pid: int, line: bytes) -> bool:
        """Write a request line to the open stream of ``pid``; False when there is none or it does not take it."""
        with self._lock:
            conns = [c for c in self._connections.values() if c.authenticated and c.pid == pid]
        for conn in conns:
            try:
                conn.sock.send(line)  # a short line into an empty buffer: all or nothing in practice
                return True
            except OSError:
                return False
        return False

    def open_streams(self) -> int:
        with self._lock:
            return len(self._connections)

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            self._lock.notify_all()
        self._wake()
        if self._thread is not None:
            self._thread.join(5.0)
        for conn in list(self._connections.values()):
            self._close(conn, notify=False)
        for sock in (self._listener, self._wake_r, self._wake_w):
            if sock is not None:
                try:
                    sock.close()
                except OSError:
                    pass
        self._selector.close()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    # -- serving -----------------------------------------------------------

    def _serve(self) -> None:
        while True:
            with self._lock:
                if self._stopping:
                    return
                draining = self._drain_requested
            ready = self._selector.select(timeout=0 if draining else 0.5)
            handled = 0
            for key, _mask in ready:
                if key.data == "wake":
                    self._clear_wake()
                    continue
                handled += 1
                if key.data is None:
                    self._accept()
                else:
                    self._read(key.data)
            if draining and not handled:
                with self._lock:
                    self._drain_requested = False
                    self._drains += 1
                    self._lock.notify_all()

    def _wake(self) -> None:
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass

    def _clear_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except OSError:
            pass

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                sock, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                return
            sock.setblocking(False)
            conn = _Connection(sock)
            with self._lock:
                self._connections[sock.fileno()] = conn
                self.stats.connections += 1
            self._selector.register(sock, selectors.EVENT_READ, conn)

    def _read(self, conn: _Connection) -> None:
        try:
            data = conn.sock.recv(READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            if conn.buffer and not conn.discarding:
                self._line(conn, bytes(conn.buffer))  # a last line without newline
            self._close(conn, notify=True)
            return
        buffer = conn.buffer
        buffer += data
        start = 0
        while True:
            end = buffer.find(b"\n", start)
            if end < 0:
                break
            if conn.discarding:
                conn.discarding = False
            else:
                self._line(conn, bytes(buffer[start:end]))
            if conn.sock.fileno() < 0:
                return  # closed while handling the line
            start = end + 1
        del buffer[:start]
        if len(buffer) > ev.MAX_LINE_BYTES:
            if not conn.discarding:
                with self._lock:
                    self.stats.oversized += 1
            conn.discarding = True
            del buffer[:]

    def _line(self, conn: _Connection, line: bytes) -> None:
        if len(line) > ev.MAX_LINE_BYTES:
            with self._lock:
                self.stats.oversized += 1
            return
        if not line.strip():
            return
        try:
            event = json.loads(line.decode("utf-8"))
        except ValueError:
            event = None
        if not conn.authenticated:
            if not self._authenticates(event):
                with self._lock:
                    self.stats.rejected += 1
                self._close(conn, notify=False)
                return
            conn.authenticated = True
            conn.pid = event["pid"]
        elif not valid_envelope(event):
            with self._lock:
                self.stats.malformed += 1
            return
        with self._lock:
            self._on_event(event, line)
            self._lock.notify_all()

    def _authenticates(self, event: "Any") -> bool:
        if not valid_envelope(event) or event.get("kind") != ev.HELLO:
            return False
        token = event.get("token")
        if not isinstance(token, str):
            return False
        return hmac.compare_digest(token.encode("utf-8"), self._token)

    def _close(self, conn: _Connection, notify: bool) -> None:
        fileno = conn.sock.fileno()
        try:
            self._selector.unregister(conn.sock)
        except (KeyError, ValueError, OSError):
            pass
        try:
            conn.sock.close()
        except OSError:
            pass
        with self._lock:
            self._connections.pop(fileno, None)
            if notify and conn.authenticated:
                self._on_close(conn.pid)
            self._lock.notify_all()

    def deliver(self, event: "Dict[str, Any]", line: bytes) -> None:
        """Hand an event that did not come over a socket (the launcher's own) to the same sink."""
        with self._lock:
            self._on_event(event, line)
            self._lock.notify_all()
