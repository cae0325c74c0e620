"""``multiprocessing.Pipe()`` connections: creation, send/recv counts, long blocking sends and receives.

Only the user's pipes are followed: those created by ``Pipe()`` in user code,
and connections a process receives from another one (rebuilt by
``rebuild_connection``). The pipes inside queues, pools and managers are left
alone, at no cost: the counting happens per connection object.

* Creation: ``_ConnectionBase.__init__`` ends by assigning ``_writable``; a class
  attribute that only observes assignments (reads still come straight from the
  instance ``__dict__``) sees it, and the frames above say who built the
  connection (``Pipe``, ``rebuild_connection``, anything else).
* Counts: every ``send``/``send_bytes`` calls ``self._check_writable()`` and
  every ``recv``/``recv_bytes``/``recv_bytes_into`` ``self._check_readable()``
  first. For a followed connection those two checks, which cannot fail for the
  direction the connection has, are shadowed in its instance ``__dict__`` by
  an observer that never raises. The methods themselves run unwrapped, so
  ``EOFError``, ``BrokenPipeError`` or a pickling error keep their tracebacks.
  If the connection loses a direction (``_readable`` set to False after a bad
  message), the shadow is removed and the original check raises as before.
* Waits: before a receive on a connection with nothing to read (or a send on
  one whose pipe is full), ``waitclock`` times the method until it returns.

Connection ends are named by the kernel object behind them (device and inode
of the pipe or socket, ``r``/``w`` for a one-way end), which every process
holding the end can work out; ``pipe.created`` lists the two ends of a pipe.
"""

import functools
import os
import sys
import time
import weakref

from mpscope import events as ev
from mpscope import waitclock
from mpscope.guard import Hook
from mpscope.hooks import counters, waits
from mpscope.hooks.assignments import observe_assignments
from mpscope.hooks.identity import new_id
from mpscope.userframes import INTERNAL, caller_site, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Dict, Optional, Tuple

_created_hook = Hook("pipe.created")
_count_hook = Hook("pipe.counters")

_SEND = "send"
_RECV = "recv"

#: code object of a Connection method -> what it does
_ops: "Dict[CodeType, str]" = {}
_codes: "Dict[str, CodeType]" = {}
_context_file: "Optional[str]" = None


class PipeEnd:
    """One followed connection end, in this process."""

    __slots__ = ("id", "ref", "fd", "pid", "sends", "recvs", "dirty", "last", "tentative", "__weakref__")

    def __init__(self, ident: str, connection: "Any", fd: int) -> None:
        self.id = ident
        self.ref = weakref.ref(connection, functools.partial(_forget, id(connection)))
        self.fd = fd
        self.tentative = False
        self.pid = 0
        self.begin_process()

    def begin_process(self) -> None:
        self.pid = counters.state.pid
        self.sends = 0
        self.recvs = 0
        self.dirty = False
        self.last: "Optional[Tuple[int, int]]" = None

    def counters_event(self) -> "Optional[Tuple[str, Dict[str, Any]]]":
        self.dirty = False
        if self.pid != counters.state.pid or (self.sends, self.recvs) == self.last:
            return None
        self.last = (self.sends, self.recvs)
        return ev.PIPE_COUNTERS, {"conn": self.id, "sends": self.sends, "recvs": self.recvs}


def end_id(fd: int, readable: bool, writable: bool) -> "Optional[str]":
    """``<device>.<inode>`` of the pipe or socket behind ``fd``, with ``r``/``w`` for a one-way end."""
    try:
        st = os.fstat(fd)
    except OSError:
        return None
    suffix = "" if readable and writable else ("r" if readable else "w")
    return "%d.%d%s" % (st.st_dev, st.st_ino, suffix)


def _follow(connection: "Any") -> "Optional[PipeEnd]":
    state = vars(connection)
    handle = state.get("_handle")
    readable, writable = bool(state.get("_readable")), bool(state.get("_writable"))
    if not isinstance(handle, int) or sys.platform == "win32":
        return None
    ident = end_id(handle, readable, writable)
    if ident is None:
        return None
    end = PipeEnd(ident, connection, handle)
    # functools.partial is C: the observer's frame is the only one added, and it never raises.
    if readable:
        state["_check_readable"] = functools.partial(_observe, weakref.ref(end))
    if writable:
        state["_check_writable"] = functools.partial(_observe, weakref.ref(end))
    _ends[id(connection)] = end
    return end


#: id(connection) -> its end (keeps the PipeEnd alive as long as the connection)
_ends: "Dict[int, PipeEnd]" = {}


def _forget(key: int, ref: "Any", ends: "Dict[int, Any]" = _ends) -> None:
    # A weak reference callback, functools.partial(_forget, id(connection)) (maybe at interpreter
    # shutdown): arguments only, never raises.
    try:
        end = ends.get(key)
        if end is not None and end.ref is ref:
            del ends[key]
    except Exception:
        pass


def _observe(end_ref: "Any") -> None:
    try:
        end = end_ref()
        if end is not None and _count_hook.enabled:
            _count_hook.run(_on_operation, end, sys._getframe(1))
    except Exception:
        pass


def _on_operation(end: PipeEnd, frame: "FrameType") -> None:
    found = _ops.get(frame.f_code)
    if found is None:
        return  # poll()
    op: str = found
    if end.tentative:
        # A received connection is the user's if user code calls it (not a queue or a manager
        # whose pipe arrived in the same pickle).
        caller = frame.f_back
        if caller is None or kind_of(caller.f_code.co_filename) == INTERNAL:
            _unfollow(end)
            return
        end.tentative = False
    if end.pid != counters.state.pid:
        end.begin_process()
    if not _ready(end.fd, op):
        started = time.monotonic()
        site = waits.site_of(frame)

        def on_end(ended: float, how: int, value: "Any") -> None:
            if how != waitclock.RETURNED:
                return
            _count(end, op)
            if ended - started >= waits.threshold():
                fields: "Dict[str, Any]" = {"conn": end.id, "op": op}
                fields.update(waits.wait_fields(started, ended, None, site))
                waits.emit(ev.PIPE_BLOCKED, fields)

        if waitclock.until_returns(frame.f_code, on_end):
            return
    _count(end, op)


def _count(end: PipeEnd, op: str) -> None:
    if time.monotonic() >= counters.state.next_flush:
        counters.flush()
    if op == _SEND:
        end.sends += 1
    else:
        end.recvs += 1
    if not end.dirty:
        end.dirty = True
        counters._dirty[id(end)] = end


def _ready(fd: int, op: str) -> bool:
    """Whether the operation would go ahead at once (True when that cannot be told)."""
    try:
        import select

        poller = select.poll()
        poller.register(fd, select.POLLIN if op == _RECV else select.POLLOUT)
        return bool(poller.poll(0))
    except Exception:
        return True


def _unfollow(end: PipeEnd) -> None:
    connection = end.ref()
    if connection is not None:
        state = vars(connection)
        for name in ("_check_readable", "_check_writable"):
            if isinstance(state.get(name), functools.partial) and state[name].func is _observe:
                del state[name]
        _ends.pop(id(connection), None)


def _at_exit() -> None:
    for end in list(_ends.values()):
        if end.pid == counters.state.pid and (end.sends or end.recvs):
            end.dirty = True
            counters._dirty[id(end)] = end


# -- creation -------------------------------------------------------------------


def _on_writable_set(connection: "Any", value: "Any") -> None:
    init = sys._getframe(3)  # here <- Hook.run <- __set__ <- _ConnectionBase.__init__
    if init.f_code is not _codes.get("init"):
        return
    builder = init.f_back
    while builder is not None and builder.f_code.co_name == "__init__" and builder.f_locals.get("self") is connection:
        builder = builder.f_back  # Connection subclasses
    if builder is None:
        return
    if builder.f_code is _codes.get("pipe"):
        first = builder.f_locals.get("c1")
        if first is None or first is connection:
            return  # the first end: the pipe is announced with the second
        above = builder.f_back
        while above is not None and above.f_code.co_filename == _context_file:
            above = above.f_back
        if above is None or kind_of(above.f_code.co_filename) == INTERNAL:
            return  # a queue's, a pool's or a manager's own pipe
        one, two = _follow(first), _follow(connection)
        if one is None or two is None:
            return
        state = vars(connection)
        created: "Dict[str, Any]" = {"pipe": new_id(), "duplex": bool(state.get("_readable")) and
                                     bool(state.get("_writable")), "ends": [one.id, two.id]}
        site = caller_site(above)
        if site is not None:
            created["site"] = site
        waits.emit(ev.PIPE_CREATED, created)
    elif builder.f_code is _codes.get("rebuild"):
        if id(connection) not in _ends:
            end = _follow(connection)
            if end is not None:
                end.tentative = True  # decided at its first use (queues pickle their pipes too)


def _on_readable_set(connection: "Any", value: "Any") -> None:
    if not value:  # a duplex connection that got a bad message stops reading: the real check must run again
        end = _ends.get(id(connection))
        state = vars(connection)
        if end is not None and isinstance(state.get("_check_readable"), functools.partial):
            del state["_check_readable"]


def patch(connection: "Any") -> None:
    """Called once ``multiprocessing.connection`` is imported."""
    global _context_file
    base = getattr(connection, "_ConnectionBase", None)
    if base is None or _codes or sys.platform == "win32":
        return
    if "_readable" in base.__dict__ or "_writable" in base.__dict__:
        return
    _context_file = getattr(sys.modules.get("multiprocessing.context"), "__file__", None)
    for name, op in (("send", _SEND), ("send_bytes", _SEND), ("recv", _RECV), ("recv_bytes", _RECV),
                     ("recv_bytes_into", _RECV)):
        code = getattr(base.__dict__.get(name), "__code__", None)
        if code is not None:
            _ops[code] = op
    for key, function in (("init", base.__dict__.get("__init__")), ("pipe", getattr(connection, "Pipe", None)),
                          ("rebuild", getattr(connection, "rebuild_connection", None))):
        code = getattr(function, "__code__", None)
        if code is not None:
            _codes[key] = code
    observe_assignments(base, "_writable", _on_writable_set, _created_hook)
    observe_assignments(base, "_readable", _on_readable_set, _created_hook)
    counters.at_exit(_at_exit)
