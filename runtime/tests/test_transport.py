import os
import socket
import sys
import tempfile
import time
import unittest
import warnings

from mpscope import transport
from mpscope.address import parse_address
from mpscope.transport import OPEN, SILENT, WAITING, Stream
from tests.support import PYTHON, EventCollector, clean_env, run

HELLO = {"v": 1, "kind": "hello", "t": 1.0, "pid": 1, "ppid": 0, "role": "main", "python": "3", "runtime": "0"}


def event(n, **extra):
    body = {"v": 1, "kind": "runtime.error", "t": 1.0, "pid": 1, "where": "test", "message": str(n)}
    body.update(extra)
    return body


class StreamTest(unittest.TestCase):
    def setUp(self):
        self.collector = EventCollector()
        self.addCleanup(self.collector.close)

    def stream(self, address=None, token=None):
        stream = Stream(parse_address(address or self.collector.address), token or self.collector.token)
        self.addCleanup(stream.silence)  # closes its socket
        return stream

    def test_hello_first_then_queued_events_in_order(self):
        stream = self.stream()
        stream.send(event(1))
        stream.send(event(2))
        self.assertEqual(stream.state, WAITING)
        stream.open(HELLO)
        stream.send(event(3))
        self.assertTrue(stream.flush(5))
        self.collector.wait_for(lambda c: len(c.events()) == 4, "4 lines")
        lines = self.collector.events()
        self.assertEqual(lines[0]["kind"], "hello")
        self.assertEqual(lines[0]["token"], self.collector.token)
        self.assertEqual([line["seq"] for line in lines], [0, 1, 2, 3])
        self.assertEqual([line.get("message") for line in lines[1:]], ["1", "2", "3"])

    def test_unreachable_collector_goes_silent(self):
        stream = self.stream("unix:" + os.path.join(tempfile.gettempdir(), "no-such-dir", "s"), "t" * 32)
        stream.open(HELLO)
        self.assertEqual(stream.state, SILENT)
        stream.send(event(1))
        self.assertTrue(stream.flush(5))
        stream.reset_after_fork()
        self.assertEqual(stream.state, SILENT, "a child of an unreachable parent does not retry")

    def test_collector_that_closes_makes_the_stream_silent(self):
        closing = EventCollector(close_after_hello=True)
        self.addCleanup(closing.close)
        stream = self.stream(closing.address, closing.token)
        stream.open(HELLO)
        closing.wait_for(lambda c: bool(c.streams) and c.streams[0].closed, "the collector to hang up")
        for n in range(200):
            stream.send(event(n, message="x" * 1000))
        stream.flush(5)
        self.assertEqual(stream.state, SILENT)

    def test_flush_gives_up_at_its_deadline_when_nobody_reads(self):
        directory = tempfile.mkdtemp()
        path = os.path.join(directory, "s")
        server = socket.socket(socket.AF_UNIX)
        server.bind(path)
        server.listen(1)
        self.addCleanup(server.close)
        stream = self.stream("unix:" + path, "t" * 32)
        stream.open(HELLO)
        peer, _ = server.accept()  # accepted, never read
        self.addCleanup(peer.close)
        big = "y" * 60000
        for n in range(100):  # 6 MB: more than any socket buffer
            stream.send(event(n, message=big))
        self.assertFalse(stream.flush(0.2))
        self.assertEqual(stream.state, OPEN)
        self.assertFalse(stream.flush(30), "after one missed deadline, flushes stop waiting")

    def test_queue_and_line_are_bounded(self):
        stream = self.stream()
        stream.send(event(0, message="z" * (transport.MAX_LINE_BYTES + 10)))
        self.assertEqual(stream.dropped, 1)
        limit = transport.MAX_QUEUED_BYTES
        transport.MAX_QUEUED_BYTES = 2000
        try:
            for n in range(50):
                stream.send(event(n, message="q" * 100))
        finally:
            transport.MAX_QUEUED_BYTES = limit
        self.assertGreater(stream.dropped, 1)

    @unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
    def test_forked_child_opens_its_own_stream(self):
        stream = self.stream()
        stream.open(HELLO)
        stream.send(event("parent-before"))
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking with threads (this test's collector has some).
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            try:
                stream.reset_after_fork()
                stream.send(event("child"))
                stream.open(dict(HELLO, pid=os.getpid()))
                stream.flush(5)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        stream.send(event("parent-after"))
        stream.flush(5)
        self.collector.wait_for(lambda c: len(c.events()) == 5, "2 streams, 5 lines")
        by_stream = [[e.get("message", e["kind"]) for e in s.events] for s in self.collector.accepted()]
        self.assertIn(["hello", "parent-before", "parent-after"], by_stream)
        self.assertIn(["hello", "child"], by_stream)

    def test_a_forked_child_never_sends_what_its_parent_had_queued(self):
        stream = self.stream()
        stream.send(event("queued-in-parent"))  # before the hello: waits in the queue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            code = 1
            try:
                stream.reset_after_fork()
                code = 0 if stream.flush(5) else 2  # nothing of its own: done at once
                stream.send(event("child"))
                stream.open(dict(HELLO, pid=os.getpid()))
                stream.flush(5)
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8, 0)
        stream.open(HELLO)
        stream.flush(5)
        self.collector.wait_for(lambda c: len(c.events()) == 4, "2 streams, 4 lines")
        by_stream = [[e.get("message", e["kind"]) for e in s.events] for s in self.collector.accepted()]
        self.assertIn(["hello", "queued-in-parent"], by_stream)
        self.assertIn(["hello", "child"], by_stream)

    @unittest.skipUnless(hasattr(socket, "MSG_NOSIGNAL"), "MSG_NOSIGNAL is Linux's")
    def test_no_sigpipe_even_with_default_sigpipe_action(self):
        closing = EventCollector(close_after_hello=True)
        self.addCleanup(closing.close)
        program = (
            "import signal, sys\n"
            "signal.signal(signal.SIGPIPE, signal.SIG_DFL)\n"
            "from mpscope.transport import Stream\n"
            "from mpscope.address import parse_address\n"
            "s = Stream(parse_address(sys.argv[1]), sys.argv[2])\n"
            "s.open({'v': 1, 'kind': 'hello', 't': 1.0, 'pid': 1})\n"
            "import time\n"
            "deadline = time.monotonic() + 60\n"
            "while s.state == 'open' and time.monotonic() < deadline:\n"
            "    s.send({'v': 1, 'kind': 'x', 't': 1.0, 'pid': 1, 'pad': 'p' * 10000}); s.flush(1)\n"
            "print('alive', s.state)\n"
        )
        runtime = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        result = run(["-c", program, closing.address, closing.token], clean_env(PYTHONPATH=runtime))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout.strip(), b"alive silent")


if __name__ == "__main__":
    unittest.main()
