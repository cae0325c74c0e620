"""mpscope runtime: makes Python multiprocessing programs visible.

This package runs inside every process of an instrumented program (loaded by
``runtime/bootstrap/sitecustomize.py`` when ``MPSCOPE_ADDR`` is set) and, as
``python -m mpscope run``, it is also the terminal launcher and collector.

Importing the package must stay cheap: it is imported at start-up of every
instrumented interpreter, so this file imports nothing.
"""

__version__ = "0.1.0"

#: Version of the event protocol (the ``v`` field of every event).
PROTOCOL_VERSION = 1

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List

#: ``from mpscope import Process, Pool, Queue``: multiprocessing's own objects (see ``dropin.py``).
_DROP_IN = frozenset((
    "Process", "Pool", "Queue", "JoinableQueue", "SimpleQueue", "Pipe", "Manager", "get_context",
))


def __getattr__(name: str) -> object:
    if name in _DROP_IN:
        from mpscope.dropin import resolve

        return resolve(name)
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


def __dir__() -> "List[str]":
    return sorted(set(globals()) | _DROP_IN)
