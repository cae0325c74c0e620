"""Shared memory: ``Value``, ``Array``, ``RawValue``, ``RawArray`` and ``shared_memory.SharedMemory``.

``shared.created`` is sent by the process that made the object in user code.

* ctypes objects: ``sharedctypes.rebuild_ctype`` (called when a new object is
  made, and when one is unpickled) asks its ``heap.BufferWrapper`` for a
  ``create_memoryview()``; that lookup is observed. The frames above say which
  public call made it (the outermost of ``Value``/``Array``/``RawValue``/
  ``RawArray``) with what type code, length and lock.
* ``SharedMemory``: its ``__init__`` assigns ``_size`` once the block is mapped;
  the assignment is observed (reads are untouched). Blocks created by a
  ``ShareableList`` say so; attaching to an existing block sends nothing.
"""

import os
import sys

from mpscope import events as ev
from mpscope.bounded import clip
from mpscope.guard import Hook
from mpscope.hooks import waits
from mpscope.hooks.assignments import observe_assignments
from mpscope.hooks.identity import MAX_ID, new_id
from mpscope.hooks.lookup import observe_lookups
from mpscope.roles import qualified_name
from mpscope.userframes import INTERNAL, caller_site, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Dict, Optional

_ctypes_hook = Hook("shared.ctypes")
_shm_hook = Hook("shared.memory")

_PUBLIC = ("Value", "Array", "RawValue", "RawArray")
_codes: "Dict[str, CodeType]" = {}
_sharedctypes_file: "Optional[str]" = None
_context_file: "Optional[str]" = None


def _typecode(value: "Any") -> str:
    if isinstance(value, str):
        return clip(value, ev.MAX_SHORT)
    return clip(qualified_name(value) or type(value).__name__, ev.MAX_SHORT)


def _on_create_memoryview(wrapper: "Any", frame: "FrameType") -> None:
    if frame.f_code is not _codes.get("rebuild_ctype"):
        return  # a Barrier's buffer, or another user of BufferWrapper
    above = frame.f_back
    if above is None or above.f_code is not _codes.get("new_value"):
        return  # unpickled in another process
    public = None
    user = above.f_back
    while user is not None and user.f_code.co_filename in (_sharedctypes_file, _context_file):
        if user.f_code.co_filename == _sharedctypes_file and user.f_code.co_name in _PUBLIC:
            public = user  # the outermost one wins (Value calls RawValue)
        user = user.f_back
    if public is None or user is None or kind_of(user.f_code.co_filename) == INTERNAL:
        return
    local = public.f_locals
    kind = public.f_code.co_name
    fields: "Dict[str, Any]" = {"shared": new_id(), "shared_kind": kind}
    if "typecode_or_type" in local:
        fields["typecode"] = _typecode(local["typecode_or_type"])
    type_: "Any" = frame.f_locals.get("type_")
    try:
        import ctypes

        fields["size"] = int(ctypes.sizeof(type_))
        length = getattr(type_, "_length_", None)
        if isinstance(length, int):
            fields["length"] = length
    except Exception:
        pass
    if kind in ("Value", "Array"):
        fields["lock"] = local.get("lock", True) is not False
    site = caller_site(user)
    if site is not None:
        fields["site"] = site
    waits.emit(ev.SHARED_CREATED, fields)


def _on_size_set(block: "Any", size: "Any") -> None:
    init = sys._getframe(3)  # here <- Hook.run <- AssignmentObserver.__set__ <- SharedMemory.__init__
    if init.f_code is not _codes.get("shm_init"):
        return
    created = bool(getattr(block, "_flags", 0) & getattr(os, "O_EXCL", 0))
    if not created:
        return  # attaching to an existing block
    kind = "SharedMemory"
    above = init.f_back
    while above is not None and above.f_code.co_filename == _codes["shm_init"].co_filename:
        if above.f_code is _codes.get("shareable_init"):
            kind = "ShareableList"
        above = above.f_back
    if above is None or kind_of(above.f_code.co_filename) == INTERNAL:
        return  # e.g. a SharedMemoryManager's server
    name = getattr(block, "_name", None)
    fields: "Dict[str, Any]" = {"shared": clip(str(name).lstrip("/"), MAX_ID) if name else new_id(),
                                "shared_kind": kind}
    if isinstance(name, str):
        fields["name"] = clip(name.lstrip("/") if getattr(block, "_prepend_leading_slash", False) else name,
                              ev.MAX_NAME)
    if isinstance(size, int) and not isinstance(size, bool):
        fields["size"] = size
    site = caller_site(above)
    if site is not None:
        fields["site"] = site
    waits.emit(ev.SHARED_CREATED, fields)


def patch_sharedctypes(sharedctypes: "Any") -> None:
    """Called once ``multiprocessing.sharedctypes`` is imported."""
    global _sharedctypes_file, _context_file
    heap = sys.modules.get("multiprocessing.heap")
    wrapper = getattr(heap, "BufferWrapper", None)
    if wrapper is None or "rebuild_ctype" in _codes:
        return
    _sharedctypes_file = sharedctypes.__file__
    _context_file = getattr(sys.modules.get("multiprocessing.context"), "__file__", None)
    for key, name in (("rebuild_ctype", "rebuild_ctype"), ("new_value", "_new_value")):
        code = getattr(getattr(sharedctypes, name, None), "__code__", None)
        if code is None:
            return
        _codes[key] = code
    observe_lookups(wrapper, "create_memoryview", _on_create_memoryview, _ctypes_hook)


def patch_shared_memory(shared_memory: "Any") -> None:
    """Called once ``multiprocessing.shared_memory`` is imported."""
    block = getattr(shared_memory, "SharedMemory", None)
    init = getattr(getattr(block, "__init__", None), "__code__", None)
    if block is None or init is None or "shm_init" in _codes:
        return
    _codes["shm_init"] = init
    shareable = getattr(getattr(getattr(shared_memory, "ShareableList", None), "__init__", None), "__code__", None)
    if shareable is not None:
        _codes["shareable_init"] = shareable
    observe_assignments(block, "_size", _on_size_set, _shm_hook)
