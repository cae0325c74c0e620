"""waitclock (the end of a blocking call, without wrapping it) and the shared table of lock holders, in-process."""

from __future__ import annotations

import gc
import os
import sys
import tempfile
import threading
import time
import unittest
import weakref
from typing import Any, List, Tuple
from unittest import mock

from mpscope import agent as _agent
from mpscope import waitclock
from mpscope.hooks import holders


class Ends:
    def __init__(self) -> None:
        self.calls: List[Tuple[float, int, Any]] = []

    def __call__(self, ended: float, how: int, value: Any) -> None:
        self.calls.append((ended, how, value))


class WaitclockTest(unittest.TestCase):
    def tearDown(self) -> None:
        waitclock.cancel()
        self.assertIsNone(sys.getprofile())

    def test_the_end_of_a_blocking_c_call(self) -> None:
        lock = threading.Lock()
        lock.acquire()
        released = []

        def release_later() -> None:
            time.sleep(0.2)
            released.append(time.monotonic())
            lock.release()

        ends = Ends()
        helper = threading.Thread(target=release_later)
        helper.start()
        self.assertTrue(waitclock.until_c_call_ends(sys._getframe(),
                                                    lambda c, a: waitclock.is_method(c, a, lock, "acquire"), ends))
        len("other calls are not the one watched")
        lock.acquire()
        helper.join()
        self.assertEqual(len(ends.calls), 1)
        ended, how, _ = ends.calls[0]
        self.assertEqual(how, waitclock.RETURNED)
        self.assertGreaterEqual(ended, released[0])
        lock.release()

    def test_a_call_that_raises_and_a_call_never_made(self) -> None:
        lock = threading.Lock()
        ends = Ends()
        self.assertTrue(waitclock.until_c_call_ends(sys._getframe(),
                                                    lambda c, a: waitclock.is_method(c, a, lock, "acquire"), ends))
        with self.assertRaises(TypeError):
            lock.acquire(timeout="soon")
        self.assertEqual([how for _, how, _ in ends.calls], [waitclock.RAISED])

        def looks_up_but_never_calls() -> None:
            waitclock.until_c_call_ends(sys._getframe(), lambda c, a: waitclock.is_method(c, a, lock, "acquire"),
                                        never)

        never = Ends()
        looks_up_but_never_calls()
        self.assertEqual([how for _, how, _ in never.calls], [waitclock.NOT_CALLED])

    def test_the_return_of_a_python_function(self) -> None:
        def answer() -> int:
            time.sleep(0.05)
            return 42

        ends = Ends()
        self.assertTrue(waitclock.until_returns(answer.__code__, ends))
        self.assertEqual(answer(), 42)
        answer()  # only the next call was watched
        self.assertEqual([(how, value) for _, how, value in ends.calls], [(waitclock.RETURNED, 42)])

    def test_a_watch_never_keeps_frames_alive(self) -> None:
        class Marker:
            pass

        def fails(marker: Marker) -> None:
            raise ValueError(marker)

        marker = Marker()
        ref = weakref.ref(marker)
        waitclock.until_returns(fails.__code__, Ends())
        with self.assertRaises(ValueError):
            fails(marker)
        del marker
        sys.exc_info()
        gc.collect()
        self.assertIsNone(ref())

    @unittest.skipIf(sys.version_info >= (3, 12), "3.12+ uses sys.monitoring")
    def test_a_profiler_already_running_is_left_alone(self) -> None:
        def profiler(frame: Any, event: str, arg: Any) -> None:
            pass

        sys.setprofile(profiler)
        try:
            self.assertFalse(waitclock.until_returns(self.test_a_profiler_already_running_is_left_alone.__code__,
                                                     Ends()))
            self.assertIs(sys.getprofile(), profiler)
        finally:
            sys.setprofile(None)

    @unittest.skipUnless(sys.version_info >= (3, 12), "sys.monitoring is 3.12+")
    def test_local_events_are_switched_off_after_the_end(self) -> None:
        def quick() -> None:
            pass

        self.assertTrue(waitclock.until_returns(quick.__code__, Ends()))
        quick()
        backend = waitclock._backend
        tool = backend._tool
        self.assertIsNotNone(tool)
        self.assertEqual(sys.monitoring.get_local_events(tool, quick.__code__), 0)  # type: ignore[attr-defined]


class HoldersTest(unittest.TestCase):
    def test_the_last_acquirer_is_the_holder(self) -> None:
        with tempfile.TemporaryDirectory() as directory, \
                mock.patch.dict(os.environ, {"MPSCOPE_ADDR": "unix:" + os.path.join(directory, "s")}):

            class Silent:
                def open(self, hello: Any) -> None: ...
                def send(self, event: Any, urgent: bool = True) -> None: ...
                def flush(self, timeout: float) -> bool: return True
                def silence(self) -> None: ...
                def reset_after_fork(self) -> None: ...

            agent = _agent.Agent(Silent())
            previous = _agent.current()
            _agent.set_current(agent)
            self.addCleanup(_agent.set_current, previous)
            self.addCleanup(setattr, holders, "_table", None)
            self.addCleanup(setattr, holders, "_unavailable", False)
            holders._table, holders._unavailable = None, False
            slot = holders.slot_of("mp-lockone")
            self.assertIsNone(holders.holder(slot))
            self.assertEqual(os.listdir(directory), [holders.FILE_NAME], "next to the collector's socket")
            before = time.time()
            holders.record(slot)
            pid, since = holders.holder(slot)  # type: ignore[misc]
            self.assertEqual(pid, os.getpid())
            self.assertGreaterEqual(since, before)
            other = holders.slot_of("mp-locktwo")
            if other[0] == slot[0]:
                self.assertIsNone(holders.holder(other), "a slot shared by two locks reads as unknown")


if __name__ == "__main__":
    unittest.main()
