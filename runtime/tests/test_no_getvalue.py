"""Locks on a platform without sem_getvalue (macOS): the hooks never make ``with lock:`` raise.

There ``SemLock._get_value()`` raises NotImplementedError. The lock objects here
stand in for real ones with that behaviour (this machine has sem_getvalue);
the rebuilt ``SemLock.__enter__`` and the ``acquire`` observer are the real ones.
"""

from __future__ import annotations

import multiprocessing.synchronize
import unittest
from typing import Any, Callable

from mpscope.hooks import counters, semlocks
from mpscope.hooks.recompile import with_prologue


class _NoGetValue:
    kind = 0  # RECURSIVE_MUTEX is 0: an RLock
    entered = 0

    def _get_value(self) -> int:
        raise NotImplementedError("no sem_getvalue")

    def _is_mine(self) -> bool:
        return False

    def __enter__(self) -> bool:
        self.entered += 1
        return True

    def acquire(self, *args: Any) -> bool:
        return True


class _Owner:
    table = None
    lo = hi = 0
    stamp = b""

    def __init__(self) -> None:
        self.stamp_pid = counters.state.pid  # this process already took it once


class _Lock:
    """A user's lock as semlocks sees it: a ``_semlock``, ``acquire`` in the instance ``__dict__``."""

    _mpscope_queue = None

    def __init__(self) -> None:
        self._semlock = _NoGetValue()
        self.__dict__["acquire"] = self._semlock.acquire


def rebuilt_enter(has_getvalue: bool) -> Callable[[Any], Any]:
    enter = multiprocessing.synchronize.SemLock.__dict__["__enter__"]
    enter = getattr(enter, "__wrapped__", enter)
    function = with_prologue(enter, semlocks.enter_prologue(has_getvalue),
                             {"_owned_get": semlocks.owned.get, "_enter_slow": semlocks._enter_slow,
                              "_state": counters.state, "_IGNORED": semlocks.IGNORED_QUEUE})
    assert function is not None, "SemLock.__enter__ could not be rebuilt"
    return function


class NoGetValueTest(unittest.TestCase):
    def setUp(self) -> None:
        self.lock = _Lock()
        semlocks.owned[id(self.lock)] = (_Owner(), semlocks.USER)
        self.addCleanup(semlocks.owned.pop, id(self.lock), None)
        self.assertTrue(semlocks._hook.enabled)

    def test_with_lock_on_the_linux_prologue_would_raise(self) -> None:
        # The reason for the macOS prologue: the Linux one reads the lock's value inline.
        with self.assertRaises(NotImplementedError):
            rebuilt_enter(True)(self.lock)

    def test_with_lock_on_the_macos_prologue_enters(self) -> None:
        self.assertTrue(rebuilt_enter(False)(self.lock))
        self.assertEqual(self.lock._semlock.entered, 1)
        self.assertTrue(semlocks._hook.enabled, "no hook failure either")

    def test_acquire_and_unregistered_locks_do_not_fail_the_hook(self) -> None:
        saved = semlocks.HAS_GETVALUE
        semlocks.HAS_GETVALUE = False
        self.addCleanup(setattr, semlocks, "HAS_GETVALUE", saved)
        observer = semlocks._InstanceMethod("acquire")
        self.assertIs(observer.__get__(self.lock), self.lock.__dict__["acquire"])
        stranger = _Lock()  # not registered: a Condition's or an Event's lock
        observer.__get__(stranger)
        semlocks._enter_slow(stranger)
        self.assertTrue(semlocks._hook.enabled)


if __name__ == "__main__":
    unittest.main()
