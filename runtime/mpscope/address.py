"""Collector addresses as written in ``MPSCOPE_ADDR``.

Two forms exist: ``unix:/abs/path/to/socket`` (POSIX) and ``tcp:HOST:PORT``
(Windows, or POSIX when asked). TCP is accepted only on loopback hosts: the
events carry command lines and paths, and must never leave the machine.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Tuple, Union

UNIX = "unix"
TCP = "tcp"

_LOOPBACK_NAMES = ("localhost", "::1")


class Address:
    """A parsed collector address; ``target`` is what ``socket.connect`` takes."""

    __slots__ = ("family", "target", "text")

    def __init__(self, family: str, target: "Union[str, Tuple[str, int]]", text: str) -> None:
        self.family = family
        self.target = target
        self.text = text

    def __repr__(self) -> str:
        return "Address(%r)" % (self.text,)


def is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    parts = host.split(".")
    return len(parts) == 4 and parts[0] == "127" and all(p.isdigit() and int(p) < 256 for p in parts)


def parse_address(text: str) -> Address:
    """Parse ``MPSCOPE_ADDR``; raises ValueError with a reason when it is unusable."""
    scheme, sep, rest = text.partition(":")
    if not sep or not rest:
        raise ValueError("expected unix:/path or tcp:127.0.0.1:PORT, got %r" % (text,))
    if scheme == UNIX:
        if "\0" in rest:
            raise ValueError("socket path contains a NUL byte")
        return Address(UNIX, rest, text)
    if scheme == TCP:
        host, sep, port_text = rest.rpartition(":")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if not sep or not host or not port_text.isdigit():
            raise ValueError("expected tcp:HOST:PORT, got %r" % (text,))
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError("port out of range: %d" % port)
        if not is_loopback(host):
            raise ValueError("refusing non-loopback host %r" % (host,))
        return Address(TCP, (host, port), text)
    raise ValueError("unknown address scheme %r" % (scheme,))


def format_unix(path: str) -> str:
    return "%s:%s" % (UNIX, path)


def format_tcp(host: str, port: int) -> str:
    if ":" in host:
        host = "[%s]" % host
    return "%s:%s:%d" % (TCP, host, port)
