"""Who holds a lock, across processes: the last process that acquired it, in a small shared table.

A POSIX semaphore has no owner, so a process that has to wait for a Lock
cannot ask the system who holds it. Each process that acquires a user's
Lock, RLock or Semaphore writes its pid (and the time) into a slot chosen by
the lock's id, in a file mapped by every process of the run; a process that
finds the lock taken reads the slot: while a Lock or RLock is held, its last
acquirer is its holder (for a Semaphore, one of them).

The file lives next to the collector's Unix socket (``MPSCOPE_ADDR``), in
the private directory the collector removes when the run ends; with a TCP
address (Windows) there is no table and holders are known only within one
process. Slots are 16 bytes (key, pid,
time); a slot shared by two locks (hash collision) or written by two
processes at once reads as "unknown", never as a wrong holder of another lock.
"""

import os
import struct
import time

from mpscope.hooks import counters

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional, Tuple

FILE_NAME = "lock-holders.bin"
SLOTS = 4096
_SLOT = struct.Struct("<IId")  # key (crc32 of the lock id), pid, wall-clock time of the acquire
SIZE = SLOTS * _SLOT.size

_table: "Any" = None
_unavailable = False


def slot_of(sync_id: str) -> "Tuple[int, int]":
    """(byte offset, key) of a lock's slot; computed once per lock."""
    import zlib

    key = zlib.crc32(sync_id.encode("utf-8", "replace")) or 1
    return (key % SLOTS) * _SLOT.size, key


def _open() -> "Any":
    global _table, _unavailable
    if _table is not None or _unavailable:
        return _table
    _unavailable = True
    directory = _socket_directory()
    if not directory or not hasattr(os, "O_CLOEXEC"):
        return None
    try:
        import mmap

        fd = os.open(os.path.join(directory, FILE_NAME), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            if os.fstat(fd).st_size < SIZE:
                os.ftruncate(fd, SIZE)  # zero-filled; several processes may do this at once
            _table = mmap.mmap(fd, SIZE)
        finally:
            os.close(fd)
    except (OSError, ValueError, ImportError):
        return None
    _unavailable = False
    return _table


def _socket_directory() -> "Optional[str]":
    from mpscope.address import UNIX, parse_address
    from mpscope.install import ADDR_VARIABLE

    try:
        address = parse_address(os.environ.get(ADDR_VARIABLE, ""))
    except ValueError:
        return None
    if address.family != UNIX or not isinstance(address.target, str) or not os.path.isabs(address.target):
        return None  # TCP: no directory
    directory = os.path.dirname(address.target)
    try:
        info = os.stat(directory)
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None  # not a private directory (the collector makes one): write nothing there
    return directory


def record(slot: "Tuple[int, int]") -> None:
    """This process has (just) acquired the lock of ``slot``."""
    table = _table if _table is not None else _open()
    if table is not None:
        _SLOT.pack_into(table, slot[0], slot[1], counters.state.pid, time.time())


def stamp(slot: "Tuple[int, int]") -> "Optional[Tuple[Any, int, int, bytes]]":
    """(table, start, end, bytes) to write for "this process acquired it" with a slice assignment (C only)."""
    table = _table if _table is not None else _open()
    if table is None:
        return None
    return table, slot[0], slot[0] + _SLOT.size, _SLOT.pack(slot[1], counters.state.pid, 0.0)


def holder(slot: "Tuple[int, int]") -> "Optional[Tuple[int, float]]":
    """(pid, since) of the last process that acquired the lock of ``slot``, when known."""
    table = _table if _table is not None else _open()
    if table is None:
        return None
    key, pid, since = _SLOT.unpack_from(table, slot[0])
    if key != slot[1] or pid <= 0:
        return None
    return pid, since
