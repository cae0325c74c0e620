"""The launcher's collector: authentication, bounds and bad input never break it."""

import json
import os
import socket
import stat
import threading
import unittest

from mpscope.address import parse_address
from mpscope.events import MAX_LINE_BYTES
from mpscope.launcher.collector import Collector

TOKEN = "c0ffee" * 8


def line(event):
    return (json.dumps(event) + "\n").encode()


def hello(pid=42, token=TOKEN):
    return {"v": 1, "kind": "hello", "t": 1.0, "pid": pid, "token": token, "ppid": 1, "role": "main",
            "python": "3", "runtime": "0"}


def error_event(pid=42, message="m"):
    return {"v": 1, "kind": "runtime.error", "t": 2.0, "pid": pid, "where": "w", "message": message}


class CollectorTest(unittest.TestCase):
    def setUp(self):
        self.events = []
        self.closed = []
        self.changed = threading.Event()

        def on_event(event, raw):
            self.events.append((event, raw))

        def on_close(pid):
            self.closed.append(pid)

        self.collector = Collector(TOKEN, on_event, on_close)
        self.address = parse_address(self.collector.start())
        self.addCleanup(self.collector.stop)

    def connect(self):
        family = socket.AF_UNIX if self.address.family == "unix" else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.connect(self.address.target)
        self.addCleanup(sock.close)
        return sock

    def wait_closed(self, sock):
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(60)
        while sock.recv(4096):
            pass
        self.assertTrue(self.collector.wait_until(lambda: True, 60))

    @unittest.skipUnless(hasattr(socket, "AF_UNIX"), "POSIX")
    def test_socket_lives_in_a_private_directory(self):
        self.assertEqual(self.address.family, "unix")
        directory = os.path.dirname(self.address.target)
        self.assertEqual(stat.S_IMODE(os.stat(directory).st_mode), 0o700)

    def test_a_good_stream(self):
        sock = self.connect()
        sock.sendall(line(hello()) + line(error_event()))
        self.wait_closed(sock)
        self.assertEqual([e["kind"] for e, _ in self.events], ["hello", "runtime.error"])
        self.assertEqual(json.loads(self.events[1][1]), error_event())
        self.assertEqual(self.closed, [42])
        self.assertEqual(self.collector.stats.problems(), {})

    def test_wrong_token_or_no_hello_is_rejected(self):
        for first in (hello(token="x" * 48), error_event(), hello(token=None)):
            with self.subTest(first=first):
                sock = self.connect()
                sock.sendall(line(first) + line(error_event()))
                sock.settimeout(60)
                self.assertEqual(sock.recv(4096), b"", "the collector hangs up")
        self.assertEqual(self.events, [])
        self.assertEqual(self.closed, [])
        self.assertEqual(self.collector.stats.rejected, 3)

    def test_bad_lines_are_dropped_and_counted(self):
        sock = self.connect()
        payload = line(hello())
        payload += b"not json\n" + b"[1, 2]\n" + b"\xff\xfe\n" + line({"v": 2, "kind": "x", "t": 1, "pid": 1})
        payload += line({"v": 1, "kind": "x", "t": True, "pid": 1}) + line({"v": 1, "kind": "x", "t": 1, "pid": -1})
        payload += b"x" * (MAX_LINE_BYTES + 100) + b"\n"
        payload += line(error_event(message="still here"))
        sock.sendall(payload)
        self.wait_closed(sock)
        self.assertEqual([e.get("message") for e, _ in self.events], [None, "still here"])
        self.assertEqual(self.collector.stats.problems(), {"malformed": 6, "oversized": 1})

    def test_wait_until_sees_streams_that_are_still_in_the_backlog(self):
        sock = self.connect()
        sock.sendall(line(hello(pid=7)))
        sock.close()
        # Nothing to wait for as far as the predicate knows; the drain must still deliver the stream.
        self.assertTrue(self.collector.wait_until(lambda: True, 60))
        self.assertEqual([e["pid"] for e, _ in self.events], [7])
        self.assertEqual(self.closed, [7])


if __name__ == "__main__":
    unittest.main()
