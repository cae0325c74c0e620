"""Managers: their start, the objects they share (Manager queues included) and calls on Manager queues.

* ``manager.created``: ``BaseManager.start()`` (and ``connect()``, for a
  manager whose server runs elsewhere) ends with ``self._state.value =
  State.STARTED``. ``State`` keeps ``value`` in a slot; a descriptor that
  passes reads and writes to that slot reports the assignment. The server
  process itself is a Process with role ``manager`` (``roles.py``).
* shared objects: every proxy's ``__init__`` ends with
  ``util.register_after_fork(self, BaseProxy._after_fork)``; the lookup of
  ``BaseProxy._after_fork`` there is observed. A proxy built by a manager's
  typeid method (``manager.dict()``) is a new shared object: ``shared.created``
  with its typeid, or ``queue.created`` (``manager-queue``) for ``Queue`` and
  ``JoinableQueue``. A proxy rebuilt in another process (passed to a child)
  is followed for its queue counts.
* Manager queue counts: a proxy method calls ``self._callmethod(name, ...)``;
  the lookup of ``_callmethod`` from the generated ``put``/``get``/... method is
  the call (``queue.counters`` with the puts/gets this process asked for). A
  ``get`` is timed until it returns (``queue.blocked``). The backlog lives in
  the server process and is not asked for (that would be a call to it).

Ids: a manager object is named by its manager's address and its id there,
which every process holding a proxy knows.
"""

import functools
import os
import sys
import time
import weakref

from mpscope import events as ev
from mpscope import waitclock
from mpscope.bounded import clip
from mpscope.guard import Hook
from mpscope.hooks import counters, waits
from mpscope.hooks.identity import MAX_ID, new_id
from mpscope.hooks.lookup import observe_lookups
from mpscope.roles import qualified_name
from mpscope.userframes import INTERNAL, caller_site, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Dict, Optional, Tuple

_state_hook = Hook("manager.created")
_proxy_hook = Hook("manager.proxy")
_call_hook = Hook("manager.queue-call")

_QUEUE_TYPEIDS = {"Queue": ev.QUEUE_KIND_MANAGER, "JoinableQueue": ev.QUEUE_KIND_MANAGER}
_PUTS = ("put", "put_nowait")
_GETS = ("get", "get_nowait")

_codes: "Dict[str, CodeType]" = {}
_managers_file: "Optional[str]" = None
_context_file: "Optional[str]" = None
_started = 0  # State.STARTED


def address_text(address: "Any") -> str:
    if isinstance(address, tuple) and len(address) == 2:
        return "%s:%s" % address
    return str(address)


def object_id(token: "Any") -> str:
    """``<server listener name>/<id of the object in the server>``: the same in every process."""
    address = address_text(getattr(token, "address", ""))
    base = os.path.basename(address) or address
    return clip("%s/%s" % (base, getattr(token, "id", "?")), MAX_ID)


# -- manager.created -------------------------------------------------------------


class _ObservedSlot:
    """``State.value``: reads and writes go to the original slot; writes are reported."""

    def __init__(self, member: "Any") -> None:
        self.member = member

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        return self.member.__get__(obj, objtype)

    def __set__(self, obj: "Any", value: "Any") -> None:
        self.member.__set__(obj, value)
        if value == _started and _state_hook.enabled:
            _state_hook.run(_on_started, sys._getframe(1))

    def __delete__(self, obj: "Any") -> None:
        self.member.__delete__(obj)


def _on_started(frame: "FrameType") -> None:
    code = frame.f_code
    if code is _codes.get("start"):
        connected = False
    elif code is _codes.get("connect"):
        connected = True
    else:
        return
    manager = frame.f_locals.get("self")
    if manager is None:
        return
    fields: "Dict[str, Any]" = {"manager": new_id(), "class": qualified_name(type(manager)),
                                "address": clip(address_text(getattr(manager, "_address", "")), ev.MAX_PATH)}
    if connected:
        fields["connected"] = True
    else:
        pid = getattr(getattr(manager, "_process", None), "pid", None)
        if isinstance(pid, int) and pid > 0:
            fields["server_pid"] = pid
    site = caller_site(frame)
    if site is not None:
        fields["site"] = site
    waits.emit(ev.MANAGER_CREATED, fields)


# -- proxies --------------------------------------------------------------------


class _ClassAttributeObserver:
    """A class attribute whose lookups *on the class* (``BaseProxy._after_fork``) are reported with the caller."""

    def __init__(self, value: "Any", on_lookup: "Any") -> None:
        self.value = value
        self.on_lookup = on_lookup

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is None and _proxy_hook.enabled:
            _proxy_hook.run(self.on_lookup, sys._getframe(1))
        return self.value.__get__(obj, objtype)


class ProxyQueue:
    """A Manager queue as one process sees it through its proxy: the calls it made."""

    __slots__ = ("id", "ref", "pid", "puts", "gets", "task_done", "joins", "dirty", "last", "__weakref__")

    def __init__(self, ident: str, proxy: "Any") -> None:
        self.id = ident
        self.ref = weakref.ref(proxy, functools.partial(_forget, id(proxy)))
        self.pid = 0
        self.begin_process()

    def begin_process(self) -> None:
        self.pid = counters.state.pid
        self.puts = self.gets = self.task_done = self.joins = 0
        self.dirty = False
        self.last: "Optional[Tuple[int, int, int, int]]" = None

    def counters_event(self) -> "Optional[Tuple[str, Dict[str, Any]]]":
        self.dirty = False
        snapshot = (self.puts, self.gets, self.task_done, self.joins)
        if self.pid != counters.state.pid or snapshot == self.last:
            return None
        self.last = snapshot
        return ev.QUEUE_COUNTERS, {"queue": self.id, "puts": self.puts, "gets": self.gets,
                                   "task_done": self.task_done, "joins": self.joins}


_queues: "Dict[int, ProxyQueue]" = {}


def _forget(key: int, ref: "Any", queues: "Dict[int, Any]" = _queues) -> None:
    # A weak reference callback, functools.partial(_forget, id(proxy)) (maybe at interpreter
    # shutdown): arguments only, never raises.
    try:
        entry = queues.get(key)
        if entry is not None and entry.ref is ref:
            del queues[key]
    except Exception:
        pass


def _on_proxy_init(frame: "FrameType") -> None:
    if frame.f_code is not _codes.get("proxy_init"):
        return
    proxy = frame.f_locals.get("self")
    token = getattr(proxy, "_token", None)
    if proxy is None or token is None:
        return
    typeid = getattr(token, "typeid", None)
    builder = frame.f_back
    # Up through proxy subclasses' __init__ and AutoProxy, to who asked for the proxy.
    while builder is not None and (builder.f_code is _codes.get("autoproxy") or
                                   (builder.f_code.co_name == "__init__" and builder.f_locals.get("self") is proxy)):
        builder = builder.f_back
    if builder is None:
        return
    ident = object_id(token)
    if typeid in _QUEUE_TYPEIDS and id(proxy) not in _queues:
        _queues[id(proxy)] = ProxyQueue(ident, proxy)
    if builder.f_code is not _codes.get("typeid_method"):
        return  # rebuilt from a pickle, or a proxy a method call returned: not a new object
    user = builder.f_back
    while user is not None and user.f_code.co_filename in (_managers_file, _context_file):
        user = user.f_back
    if user is None or kind_of(user.f_code.co_filename) == INTERNAL:
        return
    site = caller_site(user)
    address = clip(address_text(getattr(token, "address", "")), ev.MAX_PATH)
    if typeid in _QUEUE_TYPEIDS:
        fields: "Dict[str, Any]" = {"queue": ident, "queue_kind": ev.QUEUE_KIND_MANAGER, "maxsize": None,
                                    "manager_address": address}
        kind = ev.QUEUE_CREATED
    else:
        fields = {"shared": ident, "shared_kind": "manager", "typeid": clip(str(typeid), ev.MAX_NAME),
                  "manager_address": address}
        kind = ev.SHARED_CREATED
    if site is not None:
        fields["site"] = site
    waits.emit(kind, fields)


def _on_callmethod_lookup(proxy: "Any", frame: "FrameType") -> None:
    entry = _queues.get(id(proxy))
    if entry is None or entry.ref() is not proxy:
        return
    name = frame.f_code.co_name
    if entry.pid != counters.state.pid:
        entry.begin_process()
    if time.monotonic() >= counters.state.next_flush:
        counters.flush()
    if name in _PUTS:
        entry.puts += 1
    elif name in _GETS:
        _time_get(entry, frame)
        return
    elif name == "task_done":
        entry.task_done += 1
    elif name == "join":
        entry.joins += 1
    else:
        return
    _mark(entry)


def _mark(entry: ProxyQueue) -> None:
    if not entry.dirty:
        entry.dirty = True
        counters.mark(entry)


def _time_get(entry: ProxyQueue, frame: "FrameType") -> None:
    started = time.monotonic()
    # frame is the proxy's generated method (file "<string>"): the user's call is above it
    site = waits.site_of(frame.f_back)

    def on_end(ended: float, how: int, value: "Any") -> None:
        if how != waitclock.RETURNED:
            return
        entry.gets += 1
        _mark(entry)
        if ended - started >= waits.threshold():
            fields: "Dict[str, Any]" = {"queue": entry.id, "op": "get"}
            fields.update(waits.wait_fields(started, ended, waits.OUTCOME_OK, site))
            waits.emit(ev.QUEUE_BLOCKED, fields)

    if not waitclock.until_returns(frame.f_code, on_end):
        entry.gets += 1
        _mark(entry)


def _at_exit() -> None:
    for entry in list(_queues.values()):
        if entry.pid == counters.state.pid:
            _mark(entry)


# -- patching -------------------------------------------------------------------


def patch(managers: "Any") -> None:
    """Called once ``multiprocessing.managers`` is imported."""
    global _managers_file, _context_file, _started
    base_manager = getattr(managers, "BaseManager", None)
    base_proxy = getattr(managers, "BaseProxy", None)
    state = getattr(managers, "State", None)
    if base_manager is None or base_proxy is None or state is None or _codes:
        return
    _managers_file = managers.__file__
    _context_file = getattr(sys.modules.get("multiprocessing.context"), "__file__", None)
    _started = getattr(state, "STARTED", 1)
    for key, function in (("start", base_manager.__dict__.get("start")),
                          ("connect", base_manager.__dict__.get("connect")),
                          ("proxy_init", base_proxy.__dict__.get("__init__")),
                          ("autoproxy", getattr(managers, "AutoProxy", None))):
        code = getattr(function, "__code__", None)
        if code is not None:
            _codes[key] = code
    # The methods register() makes for each typeid (manager.dict() ...) share one code object.
    register = getattr(base_manager.__dict__.get("register"), "__func__", None)
    for const in getattr(getattr(register, "__code__", None), "co_consts", ()):
        if getattr(const, "co_name", None) == "temp":
            _codes["typeid_method"] = const
    member = state.__dict__.get("value")
    if member is not None and not isinstance(member, _ObservedSlot):
        state.value = _ObservedSlot(member)
    after_fork = base_proxy.__dict__.get("_after_fork")
    if after_fork is not None and not isinstance(after_fork, _ClassAttributeObserver):
        base_proxy._after_fork = _ClassAttributeObserver(after_fork, _on_proxy_init)
    observe_lookups(base_proxy, "_callmethod", _on_callmethod_lookup, _call_hook)
    counters.at_exit(_at_exit)
