"""The observers on a Popen shaped like Windows' (popen_spawn_win32 cannot be imported here).

On Windows the exit status is set in ``wait()`` (``poll`` calls ``wait(0)``) and
``kill`` is an alias of ``terminate``. A program with the real
``multiprocessing.process`` and such a Popen checks that the same observers
report start, signal, exit and join.
"""

import json
import os
import unittest

from tests.support import RUNTIME, VALIDATOR, clean_env, run

PROGRAM = r'''
import json, sys, types
import multiprocessing.process as mp_process
from mpscope import agent
from mpscope.hooks import popen, process

sent = []

class RecordingStream:
    def open(self, hello):
        sent.append(dict(hello, token="t" * 32, seq=len(sent)))
    def send(self, event, urgent=True):
        sent.append(dict(event, seq=len(sent)))
    def flush(self, timeout):
        return True
    def silence(self):
        pass
    def reset_after_fork(self):
        pass

agent.set_current(agent.Agent(RecordingStream()))
agent.current().announce("main")
process.patch_process_module(mp_process)

class Popen:  # the shape of multiprocessing.popen_spawn_win32.Popen
    def __init__(self, process_obj):
        self.pid = 4242
        self.returncode = None
        self.sentinel = None
    def wait(self, timeout=None):
        if self.returncode is None:
            self.returncode = 0x10000 if getattr(self, "_terminated", False) else 3
        return self.returncode
    def poll(self):
        return self.wait(timeout=0)
    def terminate(self):
        if self.returncode is None:
            self._terminated = True
    kill = terminate
    def close(self):
        pass

fake = types.ModuleType("fake_popen_spawn_win32")
fake.Popen = Popen
popen.patch_popen_module(fake)

class WindowsLikeProcess(mp_process.BaseProcess):
    _start_method = "spawn"
    @staticmethod
    def _Popen(process_obj):
        return Popen(process_obj)

def work():
    pass

first = WindowsLikeProcess(target=work, name="first")
first.start()
first.join()
second = WindowsLikeProcess(target=work, name="second")
second.start()
second.kill()
second.join()
codes = [first.exitcode, second.exitcode]
second.close()
print(json.dumps(codes))
print(json.dumps(sent))
'''


class WindowsShapedPopenTest(unittest.TestCase):
    def test_observers(self):
        result = run(["-c", PROGRAM], clean_env(PYTHONPATH=RUNTIME))
        self.assertEqual(result.returncode, 0, result.stderr.decode())
        codes_line, events_line = result.stdout.decode().splitlines()
        self.assertEqual(json.loads(codes_line), [3, 0x10000])
        events = json.loads(events_line)
        for event in events:
            VALIDATOR.check(event)
        summary = [(e["kind"], e.get("name") or e.get("child_pid"), e.get("exitcode", e.get("method")))
                   for e in events[1:]]
        self.assertEqual(summary, [
            ("process.created", "first", None),
            ("process.started", 4242, None),
            ("process.exited", 4242, 3),
            ("process.joined", 4242, None),
            ("process.created", "second", None),
            ("process.started", 4242, None),
            ("process.signalled", 4242, "kill"),
            ("process.exited", 4242, 0x10000),
            ("process.joined", 4242, None),
            ("process.closed", 4242, None),
        ])
        created = events[1]
        self.assertEqual((created["target"], created["start_method"]), ("__main__.work", "spawn"))
        self.assertEqual(created["site"]["file"], "<string>")


if __name__ == "__main__":
    unittest.main()
