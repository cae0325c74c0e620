"""One process's stream of JSON lines to the collector.

Design (see docs/protocol.md):

* Lazy: nothing connects until the process says ``hello`` (its first line).
  Events emitted before that wait in a bounded queue.
* No background thread. A persistent thread would make Python 3.12+ print
  "This process ... is multi-threaded, use of fork() may lead to deadlocks" for a
  user's own ``os.fork()``, and would add a thread the program can see. Instead
  the thread that emits an event writes it with a non-blocking ``send``; what
  the kernel does not take stays queued and goes out with the next event or at
  the next flush. Several queued lines leave in one ``send`` (batching), and
  ``urgent=False`` lets frequent events wait for a batch.
* Never blocks for long: connecting has a short timeout, a flush has a deadline,
  and after one flush ran out of time later flushes do not wait at all.
* Never raises and never changes the program: any socket error, a collector that
  is absent, rejects the token or dies mid-run, turns the stream silent.
  ``MSG_NOSIGNAL`` keeps a closed socket from raising SIGPIPE even in programs
  that restored its default action.
* Fork-aware: a forked child calls ``reset_after_fork`` and opens its own
  stream; it never writes on the parent's socket.
"""

import _socket
import _thread
import itertools
import sys
import time

from mpscope import address as _address
from mpscope.events import MAX_LINE_BYTES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections import deque
    from typing import Any, Deque, Dict, Optional

    from mpscope.address import Address
else:
    from _collections import deque  # the C type; importing collections costs ~1 ms at start-up

def encode_line(value: "Dict[str, Any]") -> bytes:
    """``jsonline.encode_line``, imported at the first event: a quiet child never encodes one."""
    global encode_line
    from mpscope.jsonline import encode_line as encoder

    encode_line = encoder  # later calls go straight to it
    return encoder(value)


CONNECT_TIMEOUT = 1.0
#: Events kept while the collector is slow or not yet connected; more are dropped and counted.
MAX_QUEUED_BYTES = 8 << 20
#: Non-urgent events are written once this much is queued.
BATCH_BYTES = 64 << 10
#: Bytes handed to one send() call.
CHUNK_BYTES = 256 << 10

_SEND_FLAGS = getattr(_socket, "MSG_NOSIGNAL", 0)
_SO_NOSIGPIPE = 0x1022  # macOS/BSD option; not exported by the socket module

WAITING = "waiting"  # no hello yet
OPEN = "open"
SILENT = "silent"  # gave up: events are dropped


def connect(address: "Address", timeout: float) -> "_socket.socket":
    """A connected, non-blocking stream socket (not inherited by exec'd children)."""
    if address.family == _address.UNIX:
        family = _socket.AF_UNIX
    else:
        host = address.target[0]
        family = _socket.AF_INET6 if ":" in host else _socket.AF_INET
    sock = _socket.socket(family, _socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address.target)
        sock.setblocking(False)
        if family != getattr(_socket, "AF_UNIX", None):
            sock.setsockopt(_socket.IPPROTO_TCP, _socket.TCP_NODELAY, 1)
        if not _SEND_FLAGS and sys.platform == "darwin":
            sock.setsockopt(_socket.SOL_SOCKET, _SO_NOSIGPIPE, 1)
    except BaseException:
        sock.close()
        raise
    return sock


def wait_writable(sock: "_socket.socket", timeout: float) -> None:
    import select

    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(sock.fileno(), select.POLLOUT)
        poller.poll(max(0, int(timeout * 1000)))
    else:
        select.select([], [sock], [], timeout)


class Stream:
    """Queue, connection and writer for one process's events."""

    def __init__(self, address: "Address", token: str) -> None:
        self._address = address
        self._token = token
        self._sock: "Optional[_socket.socket]" = None
        self._unreachable = False
        self.dropped = 0
        self._stale = False  # a forked child's copy of its parent's queue, until it first sends
        self._init_state()

    def _init_state(self) -> None:
        self._stale = False
        self.state = WAITING
        self._queue: "Deque[bytes]" = deque()
        self._queued_bytes = 0
        self._out = bytearray()  # taken from the queue, not yet written; writer lock only
        self._writer = _thread.allocate_lock()
        self._seq = itertools.count(1)
        self._patient = True

    @property
    def token(self) -> str:
        return self._token

    # -- lifecycle -------------------------------------------------------

    def open(self, hello: "Dict[str, Any]") -> None:
        """Connect and send ``hello`` as the first line, then whatever was queued."""
        if self._stale:
            self._renew()
        if self.state != WAITING:
            return
        if self._unreachable:
            self.silence()
            return
        hello = dict(hello)
        hello["token"] = self._token
        hello["seq"] = 0
        try:
            line = encode_line(hello)
            self._sock = connect(self._address, CONNECT_TIMEOUT)
        except Exception:
            self._unreachable = True
            self.silence()
            return
        with self._writer:
            self._out[:0] = line
        self.state = OPEN
        self._pump()

    def silence(self) -> None:
        """Stop for good in this process: drop the queue and close the socket."""
        self.state = SILENT
        sock, self._sock = self._sock, None
        self._queue.clear()
        self._queued_bytes = 0
        if sock is not None:
            try:
                sock.close()
            except OSError:
                pass

    def reset_after_fork(self) -> None:
        """In a forked child: forget the parent's socket and queue, wait for a new hello.

        The socket is closed at once (the collector sees the parent's stream end
        only once every copy is closed); a new queue, lock and numbering wait
        until this process sends: a child that never does writes fewer of the
        memory pages it shares with its parent, each of which the kernel would
        copy (see ``docs/protocol.md``, quiet children).
        """
        sock, self._sock = self._sock, None
        if sock is not None:
            try:
                sock.close()  # closes the child's copy only; the parent's stream is unaffected
            except OSError:
                pass
        self._stale = True
        self.state = SILENT if self._unreachable else WAITING

    def _renew(self) -> None:
        unreachable = self._unreachable
        self._init_state()
        if unreachable:
            self.state = SILENT

    # -- sending ---------------------------------------------------------

    def send(self, event: "Dict[str, Any]", urgent: bool = True) -> None:
        """Queue ``event`` (an envelope-complete dict) and write what the socket takes now."""
        if self._stale:
            self._renew()
        if self.state == SILENT:
            return
        event["seq"] = next(self._seq)
        try:
            line = encode_line(event)
        except Exception:
            self.dropped += 1
            return
        if len(line) > MAX_LINE_BYTES or self._queued_bytes + len(line) > MAX_QUEUED_BYTES:
            self.dropped += 1
            return
        self._queue.append(line)
        self._queued_bytes += len(line)
        if self.state != OPEN:
            return
        if urgent or self._queued_bytes >= BATCH_BYTES:
            self._pump()

    def flush(self, timeout: float) -> bool:
        """Write everything queued, waiting at most ``timeout`` seconds; True when all went out."""
        if self._stale:
            return True  # a forked child that sent nothing yet: nothing of its own is queued
        if self.state != OPEN:
            return self.state == SILENT or not self._queue
        deadline = time.monotonic() + timeout
        if not self._writer.acquire(True, max(timeout, 0.0)):
            return False
        try:
            while True:
                if self._write_available():
                    if self.state != OPEN or not self._queue:
                        return True
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._patient:
                    self._patient = False
                    return False
                sock = self._sock
                if sock is None:
                    return True
                try:
                    wait_writable(sock, remaining)
                except Exception:
                    self.silence()
                    return True
        finally:
            self._writer.release()

    def _pump(self) -> None:
        # Whoever holds the writer lock writes; others only queue. Re-check after
        # releasing so a line queued meanwhile (another thread, or a signal
        # handler on this one) is not left behind.
        while True:
            if not self._writer.acquire(False):
                return
            try:
                drained = self._write_available()
            finally:
                self._writer.release()
            if not drained or not self._queue or self.state != OPEN:
                return

    def _write_available(self) -> bool:
        """With the writer lock held: send until empty (True) or the socket is full (False)."""
        out = self._out
        queue = self._queue
        while True:
            while queue and len(out) < CHUNK_BYTES:
                line = queue.popleft()
                self._queued_bytes -= len(line)
                out += line
            if not out:
                return True
            sock = self._sock
            if sock is None:
                return True
            try:
                sent = sock.send(out, _SEND_FLAGS)
            except (BlockingIOError, InterruptedError):
                return False
            except Exception:
                self.silence()
                del out[:]
                return True
            del out[:sent]
