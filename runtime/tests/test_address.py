import unittest

from mpscope.address import TCP, UNIX, format_tcp, format_unix, parse_address


class AddressTest(unittest.TestCase):
    def test_unix(self):
        address = parse_address("unix:/tmp/x/events.sock")
        self.assertEqual((address.family, address.target), (UNIX, "/tmp/x/events.sock"))
        self.assertEqual(parse_address(format_unix("/a b/s")).target, "/a b/s")

    def test_tcp_loopback_only(self):
        self.assertEqual(parse_address("tcp:127.0.0.1:4000").target, ("127.0.0.1", 4000))
        self.assertEqual(parse_address("tcp:localhost:1").family, TCP)
        self.assertEqual(parse_address(format_tcp("::1", 9)).target, ("::1", 9))
        for text in ("tcp:10.0.0.1:80", "tcp:example.com:80", "tcp:127.0.0.1:0", "tcp:127.0.0.1:70000",
                     "tcp:127.0.0.1:x", "tcp:127.0.0.1", "tcp::80"):
            with self.subTest(text=text):
                with self.assertRaises(ValueError):
                    parse_address(text)

    def test_malformed(self):
        for text in ("", "unix:", "bogus", "http://127.0.0.1:1", "unix:/a\0b"):
            with self.subTest(text=text):
                with self.assertRaises(ValueError):
                    parse_address(text)


if __name__ == "__main__":
    unittest.main()
