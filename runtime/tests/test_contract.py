"""The Python names in mpscope.events must be the schema's names (one spelling everywhere)."""

import unittest

from mpscope import PROTOCOL_VERSION
from mpscope import events as ev
from tests.support import SCHEMA


class ContractTest(unittest.TestCase):
    def test_kinds_exist_in_schema(self):
        kinds = {SCHEMA["$defs"][ref["$ref"].split("/")[-1]]["properties"]["kind"]["const"] for ref in SCHEMA["oneOf"]}
        self.assertEqual({ev.HELLO, ev.PROCESS_CREATED, ev.PROCESS_STARTED, ev.PROCESS_JOINED, ev.PROCESS_SIGNALLED,
                          ev.PROCESS_CLOSED, ev.PROCESS_EXITED, ev.RUNTIME_ERROR,
                          ev.POOL_CREATED, ev.POOL_CLOSED, ev.POOL_TERMINATED, ev.POOL_JOINED,
                          ev.TASK_SUBMITTED, ev.TASK_FINISHED, ev.TASK_COUNTERS, ev.STACKS,
                          ev.QUEUE_CREATED, ev.QUEUE_COUNTERS, ev.QUEUE_BLOCKED, ev.QUEUE_LEFTOVER,
                          ev.PIPE_CREATED, ev.PIPE_COUNTERS, ev.PIPE_BLOCKED, ev.SYNC_CREATED, ev.SYNC_WAIT,
                          ev.MANAGER_CREATED, ev.SHARED_CREATED}, kinds)

    def test_roles_reporters_and_start_methods(self):
        roles = {getattr(ev, n) for n in dir(ev) if n.startswith("ROLE_")}
        self.assertEqual(roles, set(SCHEMA["$defs"]["role"]["enum"]))
        starts = {getattr(ev, n) for n in dir(ev) if n.startswith("START_")}
        self.assertEqual(starts, set(SCHEMA["$defs"]["startMethod"]["enum"]))
        reporters = {getattr(ev, n) for n in dir(ev) if n.startswith("REPORTER_")}
        self.assertEqual(reporters, set(SCHEMA["$defs"]["process.exited"]["properties"]["reporter"]["enum"]))

    def test_pool_apis_and_task_methods(self):
        apis = {getattr(ev, n) for n in dir(ev) if n.startswith("POOL_API_")}
        self.assertEqual(apis, set(SCHEMA["$defs"]["poolApi"]["enum"]))
        methods = {getattr(ev, n) for n in dir(ev) if n.startswith("METHOD_")}
        self.assertEqual(methods, set(SCHEMA["$defs"]["taskMethod"]["enum"]))

    def test_queue_kinds(self):
        kinds = {getattr(ev, n) for n in dir(ev) if n.startswith("QUEUE_KIND_")}
        self.assertEqual(kinds, set(SCHEMA["$defs"]["queue.created"]["properties"]["queue_kind"]["enum"]))

    def test_limits_match_schema(self):
        defs = SCHEMA["$defs"]
        self.assertEqual(ev.MAX_TRACEBACK, defs["exception"]["properties"]["traceback"]["maxLength"])
        self.assertEqual(ev.MAX_EXC_MESSAGE, defs["exception"]["properties"]["message"]["maxLength"])
        self.assertEqual(ev.MAX_NAME, defs["hello"]["properties"]["name"]["maxLength"])
        self.assertEqual(ev.MAX_ARGV_ITEMS, defs["hello"]["properties"]["argv"]["maxItems"])
        self.assertEqual(ev.MAX_QUALNAME, defs["process.created"]["properties"]["target"]["maxLength"])
        self.assertEqual(ev.MAX_ERROR_MESSAGE, defs["runtime.error"]["properties"]["message"]["maxLength"])
        self.assertEqual(PROTOCOL_VERSION, SCHEMA["properties"]["v"]["const"])


if __name__ == "__main__":
    unittest.main()
