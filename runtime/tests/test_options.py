"""MPSCOPE_OPTIONS: the small parser that spares every process ``import json``, checked against json."""

import json
import unittest

from mpscope.options import parse_flat_object, parse_options


class FlatObjectTest(unittest.TestCase):
    def test_agrees_with_json_on_flat_objects(self):
        for text in ('{}', ' { "a" : 1 , "b":"x\\u00e9\\n\\"", "c": true, "d": null, "e": -1.5e3, "f": false } ',
                     '{"stacks_dir": "/tmp/a b/\\u4e2d", "stacks_on_sigquit": true, "capture_args": false}'):
            with self.subTest(text=text):
                self.assertEqual(parse_flat_object(text), json.loads(text))

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
