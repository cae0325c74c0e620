"""Shared helpers for the runtime tests: paths, running real programs, a test collector.

The test collector is deliberately independent of the launcher's collector
(threads and blocking sockets instead of selectors), so the runtime is checked
against a second implementation of the protocol.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import unittest
from typing import Any, Callable, Dict, Iterable, List, Optional

from tests.schemacheck import Validator

TESTS = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.dirname(TESTS)
REPO = os.path.dirname(RUNTIME)
BOOTSTRAP = os.path.join(RUNTIME, "bootstrap")
SAMPLES = os.path.join(REPO, "samples")
SCHEMA_PATH = os.path.join(RUNTIME, "mpscope", "events.schema.json")
PYTHON = sys.executable

#: Generous: a loaded CI machine may be slow, and these are waits, not timings.
WAIT = 60.0
RUN_TIMEOUT = 120.0

with open(SCHEMA_PATH, encoding="utf-8") as _schema_file:
    SCHEMA = json.load(_schema_file)
VALIDATOR = Validator(SCHEMA)

START_METHODS = [m for m in ("fork", "spawn", "forkserver") if m in multiprocessing.get_all_start_methods()]


def sample(name: str) -> str:
    return os.path.join(SAMPLES, name)


def clean_env(**extra: str) -> Dict[str, str]:
    """The test process's environment without anything mpscope- or PYTHONPATH-related."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MPSCOPE_") and k != "PYTHONPATH"}
    env.update(extra)
    return env


def hooked_env(collector: Optional["EventCollector"] = None, address: Optional[str] = None,
               token: Optional[str] = None, pythonpath: Optional[str] = None, **extra: str) -> Dict[str, str]:
    env = clean_env(**extra)
    env["PYTHONPATH"] = BOOTSTRAP if pythonpath is None else BOOTSTRAP + os.pathsep + pythonpath
    if collector is not None:
        env["MPSCOPE_ADDR"] = collector.address
        env["MPSCOPE_TOKEN"] = collector.token
    if address is not None:
        env["MPSCOPE_ADDR"] = address
        env["MPSCOPE_TOKEN"] = token or secrets.token_hex(32)
    return env


def run(args: List[str], env: Dict[str, str], cwd: Optional[str] = None,
        stdin: Optional[bytes] = None, python: Optional[List[str]] = None) -> subprocess.CompletedProcess:
    command = (python or [PYTHON]) + args
    return subprocess.run(command, env=env, cwd=cwd or REPO, input=stdin if stdin is not None else b"",
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=RUN_TIMEOUT)


def launcher_env(**extra: str) -> Dict[str, str]:
    env = clean_env(**extra)
    env["PYTHONPATH"] = RUNTIME if "PYTHONPATH" not in extra else extra["PYTHONPATH"]
    return env


class TempDir:
    def __init__(self) -> None:
        self.path = tempfile.mkdtemp(prefix="mpscope-test-")

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(textwrap.dedent(text).lstrip("\n"))
        return path

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class TempDirCase(unittest.TestCase):
    """A test case with one temporary directory for the whole class (``self.tmp``)."""

    tmp: TempDir

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = TempDir()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()


#: Prepended to a test program: ``report(**fields)`` prints one line the test reads back (``report_of``).
REPORT = '''
def report(**fields):
    import json
    print("REPORT " + json.dumps(fields), flush=True)
'''


def report_of(stdout: bytes) -> Dict[str, Any]:
    """The fields of the program's ``report(...)`` line."""
    for line in stdout.decode().splitlines():
        if line.startswith("REPORT "):
            return json.loads(line[len("REPORT "):])
    raise AssertionError("no REPORT line in %r" % stdout)


class StreamLog:
    """What one connection said."""

    def __init__(self) -> None:
        self.events: List[Dict[str, Any]] = []
        self.closed = False
        self.rejected = False
        self.conn: Optional[socket.socket] = None  # to write request lines back

    @property
    def pid(self) -> Optional[int]:
        return self.events[0]["pid"] if self.events else None


class EventCollector:
    """Accepts runtime streams on a private Unix socket (or loopback TCP) and records every event."""

    def __init__(self, token: Optional[str] = None, accept_token: Optional[str] = None,
                 close_after_hello: bool = False, tcp: bool = False) -> None:
        self.token = token or secrets.token_hex(32)
        self._accept_token = accept_token if accept_token is not None else self.token
        self._close_after_hello = close_after_hello
        self._dir = tempfile.mkdtemp(prefix="mpscope-tc-")
        if tcp or not hasattr(socket, "AF_UNIX"):
            self._server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._server.bind(("127.0.0.1", 0))
            self.address = "tcp:127.0.0.1:%d" % self._server.getsockname()[1]
        else:
            path = os.path.join(self._dir, "s")
            self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self._server.bind(path)
            self.address = "unix:" + path
        self._server.listen(64)
        self.streams: List[StreamLog] = []
        self.bad_lines: List[bytes] = []
        self._cond = threading.Condition()
        self._closing = False
        self._threads: List[threading.Thread] = []
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()

    def env(self) -> Dict[str, str]:
        return {"MPSCOPE_ADDR": self.address, "MPSCOPE_TOKEN": self.token}

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            log = StreamLog()
            with self._cond:
                if self._closing:
                    conn.close()
                    return
                self.streams.append(log)
            thread = threading.Thread(target=self._read, args=(conn, log), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _read(self, conn: socket.socket, log: StreamLog) -> None:
        log.conn = conn
        reader = conn.makefile("rb")
        try:
            for raw in reader:
                try:
                    event = json.loads(raw.decode("utf-8"))
                except ValueError:
                    with self._cond:
                        self.bad_lines.append(raw)
                        self._cond.notify_all()
                    continue
                with self._cond:
                    if not log.events and event.get("token") != self._accept_token:
                        log.rejected = True
                        log.events.append(event)
                        self._cond.notify_all()
                        break
                    log.events.append(event)
                    self._cond.notify_all()
                if self._close_after_hello:
                    break
        except OSError:
            pass
        finally:
            try:
                reader.close()
                conn.close()
            except OSError:
                pass
            with self._cond:
                log.closed = True
                self._cond.notify_all()

    # -- queries -------------------------------------------------------------

    def accepted(self) -> List[StreamLog]:
        with self._cond:
            return [s for s in self.streams if not s.rejected]

    def events(self) -> List[Dict[str, Any]]:
        with self._cond:
            return [e for s in self.streams if not s.rejected for e in s.events]

    def wait_for(self, predicate: Callable[["EventCollector"], bool], what: str, timeout: float = WAIT) -> None:
        with self._cond:
            ok = self._cond.wait_for(lambda: predicate(self), timeout)
        if not ok:
            raise AssertionError("timed out after %.0fs waiting for %s; events:\n%s"
                                 % (timeout, what, "\n".join(json.dumps(e) for e in self._unlocked_events())))

    def send_line(self, pid: int, data: bytes) -> None:
        """Write a request line on the open stream of ``pid``."""
        with self._cond:
            conns = [s.conn for s in self.streams if s.pid == pid and not s.closed and s.conn is not None]
        if not conns:
            raise AssertionError("no open stream of %d" % pid)
        conns[0].sendall(data)

    def _unlocked_events(self) -> List[Dict[str, Any]]:
        return [e for s in self.streams for e in s.events]

    def close(self) -> None:
        with self._cond:
            self._closing = True
        try:
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the accept thread (closing alone does not, on Linux)
        except OSError:
            pass
        try:
            self._server.close()
        except OSError:
            pass
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> "EventCollector":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# -- event helpers --------------------------------------------------------------


def of_kind(events: Iterable[Dict[str, Any]], kind: str, **fields: Any) -> List[Dict[str, Any]]:
    return [e for e in events if e.get("kind") == kind and all(e.get(k) == v for k, v in fields.items())]


def hellos(events: Iterable[Dict[str, Any]], **fields: Any) -> List[Dict[str, Any]]:
    return of_kind(events, "hello", **fields)


def exits_of(events: Iterable[Dict[str, Any]], pid: int) -> Dict[str, Dict[str, Any]]:
    """Exit records about ``pid`` by reporter."""
    found = {}
    for e in of_kind(events, "process.exited"):
        if e.get("reporter") == "self" and e["pid"] == pid:
            found["self"] = e
        elif e.get("child_pid") == pid:
            found[e["reporter"]] = e
    return found


def stream_pids(collector: EventCollector) -> List[int]:
    return [s.pid for s in collector.accepted() if s.pid is not None]


def all_closed(collector: EventCollector) -> bool:
    return all(s.closed for s in collector.streams)


def parse_jsonl(data: bytes) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
