"""Followed queues, pipe ends and manager queues leave their tables when the object dies.

The weak reference callbacks find their entry by key (``id`` of the object), so
that the death of one object costs the same however many others are followed.
"""

from __future__ import annotations

import functools
import gc
import unittest
import weakref
from typing import Any, Dict

from mpscope.hooks import managers, pipes, queues


class _Object:
    pass


class _Entry:
    def __init__(self, obj: Any, forget: Any) -> None:
        self.ref = weakref.ref(obj, functools.partial(forget, id(obj)))


class ForgetTest(unittest.TestCase):
    def check(self, forget: Any, table: Dict[int, Any]) -> None:
        kept, dying = _Object(), _Object()
        table[id(kept)] = _Entry(kept, forget)
        table[id(dying)] = _Entry(dying, forget)
        self.addCleanup(table.pop, id(kept), None)
        key = id(dying)
        del dying
        gc.collect()
        self.assertNotIn(key, table)
        self.assertIn(id(kept), table)

    def test_queue_entries_and_their_locks(self) -> None:
        self.check(queues._forget, queues._entries)
        ignored = _Object()
        key = id(ignored)
        queues._ignored[key] = weakref.ref(ignored, functools.partial(queues._forget, key))
        queues._lock_ids[key] = (12345,)
        queues._locks[12345] = (None, 0)
        del ignored
        gc.collect()
        self.assertNotIn(key, queues._ignored)
        self.assertNotIn(key, queues._lock_ids)
        self.assertNotIn(12345, queues._locks)

    def test_pipe_ends(self) -> None:
        self.check(pipes._forget, pipes._ends)

    def test_manager_queues(self) -> None:
        self.check(managers._forget, managers._queues)

    def test_an_entry_of_another_object_under_the_same_key_stays(self) -> None:
        # A callback that comes late must not remove what took the key since.
        dying = _Object()
        key = id(dying)
        ref = weakref.ref(dying)
        replacement = _Entry(_Object(), pipes._forget)
        pipes._ends[key] = replacement
        self.addCleanup(pipes._ends.pop, key, None)
        pipes._forget(key, ref)
        self.assertIs(pipes._ends[key], replacement)


if __name__ == "__main__":
    unittest.main()
