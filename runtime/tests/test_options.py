"""MPSCOPE_OPTIONS: the small parser that spares every process ``import json``, checked against json."""

import json
import os
import subprocess
import sys
import unittest

from mpscope.options import parse_flat_object, parse_options

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class FlatObjectTest(unittest.TestCase):
    def test_agrees_with_json_on_flat_objects(self):
        for text in ('{}', ' { "a" : 1 , "b":"x\\u00e9\\n\\"", "c": true, "d": null, "e": -1.5e3, "f": false } ',
                     '{"stacks_dir": "/tmp/a b/\\u4e2d", "stacks_on_sigquit": true, "capture_args": false}'):
            with self.subTest(text=text):
                self.assertEqual(parse_flat_object(text), json.loads(text))

    def test_plain_strings_need_no_c_decoder_and_escaped_ones_still_decode(self):
        for text in (r'{"stacks_dir": "/dev/shm/mpscope-x1/caf\u00e9", "via": "signal"}',
                     r'{"a": "tab\there", "b": "quote\"d", "c": "back\\slash", "d": "plain é 中"}'):
            with self.subTest(text=text):
                self.assertEqual(parse_flat_object(text), json.loads(text))
        self.assertIsNone(parse_flat_object('{"a": "raw\ttab"}'), "a raw control character, as json refuses it")
        code = ("import sys; from mpscope.options import parse_options; "
                "o = parse_options('{\"stacks_dir\": \"/dev/shm/d\", \"stacks_on_sigquit\": true}'); "
                "print(o.stacks_dir, '_json' in sys.modules)")
        result = subprocess.run([sys.executable, "-S", "-c", code], stdout=subprocess.PIPE, cwd=RUNTIME, check=True)
        self.assertEqual(result.stdout.split(), [b"/dev/shm/d", b"False"])

    def test_declines_what_it_does_not_read(self):
        for text in ('{"a": [1]}', '{"a": {"b": 1}}', '{"a":1,}', '{"a" 1}', '[]', '{"a":"open}', '{"a":1} x',
                     '{"a": nan}', '{"a": 1e}', '{"a": }', '', '{'):
            with self.subTest(text=text):
                self.assertIsNone(parse_flat_object(text))

    def test_options(self):
        options = parse_options('{"capture_args": true, "stacks_dir": "/x", "nested": {"ignored": [1]}}')
        self.assertEqual((options.capture_args, options.stacks_dir, options.stacks_on_sigquit, options.stacks_via),
                         (True, "/x", False, None))  # a nested value: json reads it
        options = parse_options('{"stacks_dir": "", "stacks_via": "carrier-pigeon", "stacks_on_sigquit": 1}')
        self.assertEqual((options.stacks_dir, options.stacks_via, options.stacks_on_sigquit), (None, None, False))
        self.assertEqual(parse_options("not json").stacks_dir, None)
        self.assertEqual(parse_options('{"stacks_via": "request"}').stacks_via, "request")


if __name__ == "__main__":
    unittest.main()
