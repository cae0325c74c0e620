"""The user's errors with queues, locks and pipes look exactly as without mpscope.

Each program ends with an uncaught exception raised inside multiprocessing
(or, for a pickling error, printed by a queue's feeder thread). The run with
the hooks and a collector must print the same stdout and stderr (tracebacks
included: no frame of mpscope's may appear) and exit with the same code.
Several of these errors end a wait that mpscope was timing (a get that times
out, a Ctrl-C in a blocked get or acquire).
"""

from __future__ import annotations

import unittest

import os

from tests.support import RUNTIME, START_METHODS, VALIDATOR, EventCollector, TempDir, clean_env, hooked_env, run
from tests.test_harmless import without_addresses

PRELUDE = '''
import multiprocessing, signal, sys, time

def interrupt_soon():
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.3)

ctx = multiprocessing.get_context(sys.argv[1])
'''

PROGRAMS = {
    "queue_full": '''
q = ctx.Queue(1)
q.put(1)
q.put_nowait(2)
''',
    "queue_empty_after_waiting": '''
q = ctx.Queue()
q.get(timeout=0.3)
''',
    "unpicklable_item_in_queue": '''
q = ctx.Queue()
q.put(lambda: None)  # the feeder thread prints the error
q.close()
q.join_thread()
print("still running")
sq = ctx.SimpleQueue()
sq.put(lambda: None)  # raises here
''',
    "task_done_too_often": '''
q = ctx.JoinableQueue()
q.put(1)
q.get()
q.task_done()
q.task_done()
''',
    "lock_released_too_often": '''
lock = ctx.Lock()
with lock:
    lock.release()
''',
    "broken_barrier": '''
barrier = ctx.Barrier(2)
barrier.wait(timeout=0.3)
''',
    "interrupted_get": '''
q = ctx.Queue()
interrupt_soon()
q.get()
''',
    "interrupted_acquire": '''
lock = ctx.Lock()
lock.acquire()
interrupt_soon()
lock.acquire()
''',
    "interrupted_with": '''
lock = ctx.RLock()
other = ctx.Semaphore(0)
interrupt_soon()
with other:
    pass
''',
    "interrupted_event_wait": '''
event = ctx.Event()
interrupt_soon()
event.wait()
''',
    "eof_on_recv": '''
reader, writer = ctx.Pipe(duplex=False)
writer.close()
reader.recv()
''',
    "interrupted_recv": '''
reader, writer = ctx.Pipe()
interrupt_soon()
reader.recv()
''',
}


class UnchangedErrorsTest(unittest.TestCase):
    def test_tracebacks_and_exit_codes(self) -> None:
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        method = START_METHODS[0]
        for name, body in PROGRAMS.items():
            path = tmp.write(name + ".py", PRELUDE + body)
            with self.subTest(program=name), EventCollector() as collector:
                plain = run([path, method], clean_env())
                hooked = run([path, method], hooked_env(collector, MPSCOPE_OPTIONS='{"wait_threshold_ms": 100}'))
                self.assertIn(b"Traceback", plain.stderr)
                self.assertNotIn(os.path.join(RUNTIME, "mpscope").encode(), hooked.stderr)
                self.assertEqual(hooked.stdout, plain.stdout)
                self.assertEqual(without_addresses(hooked.stderr), without_addresses(plain.stderr))
                self.assertEqual(hooked.returncode, plain.returncode)
                collector.wait_for(lambda c: bool(c.streams) and all(s.closed for s in c.streams), "closed streams")
                self.assertTrue(collector.events(), "the hooks were there")
                for event in collector.events():
                    VALIDATOR.check(event)


if __name__ == "__main__":
    unittest.main()
