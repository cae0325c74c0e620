"""The validator the other tests rely on must itself reject what the schema forbids."""

import unittest

from tests.schemacheck import UnsupportedKeyword, Validator
from tests.support import SCHEMA, VALIDATOR

TOKEN = "a" * 32


def hello(**fields):
    event = {"v": 1, "kind": "hello", "t": 1.5, "pid": 10, "token": TOKEN, "ppid": 1, "role": "main",
             "python": "3.11.7", "runtime": "0.1.0"}
    event.update(fields)
    return event


class SchemaCheckTest(unittest.TestCase):
    def assertInvalid(self, event, fragment):
        problems = VALIDATOR.errors(event)
        self.assertTrue(problems, "expected %r to be rejected" % (event,))
        self.assertIn(fragment, "; ".join(problems))

    def test_accepts_a_complete_hello(self):
        self.assertEqual(VALIDATOR.errors(hello(argv=["x.py"], start_method="spawn", name="P-1")), [])

    def test_requires_envelope_and_kind_fields(self):
        event = hello()
        del event["pid"]
        self.assertInvalid(event, "missing required 'pid'")
        event = hello()
        del event["token"]
        self.assertInvalid(event, "oneOf")

    def test_checks_types_const_and_enum(self):
        self.assertInvalid(hello(v=2), "expected 1")
        self.assertInvalid(hello(pid="10"), "expected integer")
        self.assertInvalid(hello(pid=True), "expected integer")
        self.assertInvalid(hello(role="boss"), "not one of")

    def test_checks_bounds(self):
        self.assertInvalid(hello(token="short"), "oneOf")
        self.assertInvalid(hello(pid=-1), "less than")
        self.assertInvalid(hello(argv=["x"] * 257), "oneOf")
        self.assertInvalid(hello(name="n" * 513), "oneOf")

    def test_type_lists_and_refs(self):
        exited = {"v": 1, "kind": "process.exited", "t": 1.0, "pid": 3, "reporter": "parent", "exitcode": None,
                  "child_pid": 4, "signal": None}
        self.assertEqual(VALIDATOR.errors(exited), [])
        exited["exitcode"] = 1.5
        self.assertInvalid(exited, "oneOf")
        exited["exitcode"] = 1
        exited["exception"] = {"type": "ValueError", "message": "boom", "site": {"file": "x.py", "line": 0}}
        self.assertInvalid(exited, "oneOf")  # site.line has minimum 1, through two $refs
        exited["exception"] = {"type": "ValueError", "message": "boom", "site": {"file": "x.py", "line": 3}}
        self.assertEqual(VALIDATOR.errors(exited), [])

    def test_one_of_needs_exactly_one_match(self):
        schema = {"oneOf": [{"type": "integer"}, {"type": "number"}]}
        self.assertTrue(Validator(schema).errors(3))  # both match
        self.assertEqual(Validator(schema).errors(3.5), [])
        self.assertTrue(Validator(schema).errors("x"))

    def test_unknown_keywords_are_refused(self):
        with self.assertRaises(UnsupportedKeyword):
            Validator({"pattern": "^a"}).errors("a")

    def test_schema_uses_only_supported_keywords(self):
        for name, definition in SCHEMA["$defs"].items():
            with self.subTest(definition=name):
                Validator(SCHEMA).errors({}, definition)  # raises on unsupported keywords


if __name__ == "__main__":
    unittest.main()
