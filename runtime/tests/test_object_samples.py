"""The samples about queues, pipes, locks, managers, shared memory and bare forks show what they promise.

Each runs once plainly and once with the hooks (all at the same time: they
mostly sleep), prints the same, and sends the events its docstring speaks of.
"""

from __future__ import annotations

import subprocess
import unittest
from typing import Dict, List

from tests.support import (PYTHON, REPO, RUN_TIMEOUT, START_METHODS, VALIDATOR, EventCollector, clean_env, exits_of,
                           hooked_env, of_kind, sample)

#: sample -> event kinds it must produce (with the default wait threshold of one second)
EXPECTED = {
    "queue_backlog.py": ["queue.created", "queue.counters", "queue.blocked", "queue.leftover"],
    "lock_contention.py": ["sync.created", "sync.wait"],
    "sync_waits.py": ["sync.created", "sync.wait"],
    "manager_dict.py": ["manager.created", "queue.created", "shared.created", "queue.counters"],
    "bare_fork.py": ["process.exited"],
    "pipe_pingpong.py": ["pipe.created", "pipe.counters", "pipe.blocked"],
    "shared_counter.py": ["shared.created"],
}


class ObjectSamplesTest(unittest.TestCase):
    def test_samples(self) -> None:
        method = START_METHODS[-1]
        collectors: Dict[str, EventCollector] = {}
        runs: List[subprocess.Popen] = []
        for name in EXPECTED:
            collectors[name] = EventCollector()
            self.addCleanup(collectors[name].close)
            for env in (clean_env(), hooked_env(collectors[name])):
                runs.append(subprocess.Popen([PYTHON, sample(name), method], env=env, cwd=REPO,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        outputs = [run.communicate(timeout=RUN_TIMEOUT) + (run.returncode,) for run in runs]
        for index, name in enumerate(EXPECTED):
            with self.subTest(sample=name):
                plain, hooked = outputs[2 * index], outputs[2 * index + 1]
                self.assertEqual(hooked[2], plain[2], hooked[1].decode())
                self.assertEqual(plain[2], 0, plain[1].decode())
                if name != "queue_backlog.py":  # its numbers depend on timing
                    self.assertEqual(hooked[0], plain[0])
                collector = collectors[name]
                collector.wait_for(lambda c: bool(c.streams) and all(s.closed for s in c.streams), "closed streams")
                events = collector.events()
                for event in events:
                    VALIDATOR.check(event)
                for kind in EXPECTED[name]:
                    self.assertTrue(of_kind(events, kind), "%s sent no %s" % (name, kind))
                if name == "bare_fork.py":
                    forked = [h["pid"] for h in of_kind(events, "hello") if h["role"] == "fork"]
                    self.assertEqual(len(forked), 1)
                    self.assertEqual(exits_of(events, forked[0])["self"]["exitcode"], 3)


if __name__ == "__main__":
    unittest.main()
