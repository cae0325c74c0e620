"""The drop-in API: ``from mpscope import Process, Pool, Queue``.

For programs that name mpscope explicitly instead of relying on the bootstrap
(``PYTHONPATH``), e.g. when they are started by a tool that does not pass the
environment through, or with a ``PYTHONPATH`` of their own.

The names are multiprocessing's own objects, not subclasses or wrappers:
``mpscope.Process is multiprocessing.Process``. So code written against them
behaves exactly like multiprocessing's in every respect (pickling, ``isinstance``,
tracebacks, contexts), with or without a collector. What the import adds:
when a collector is configured (``MPSCOPE_ADDR`` and ``MPSCOPE_TOKEN``) and the
hooks are not active in this process yet, it activates them, here and so in
every process started from here (forked children inherit them; spawned children
import the main module, and with it this line, again). Without a collector it
does nothing else at all.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def resolve(name: str) -> "Any":
    from mpscope.install import install

    install()  # never raises; a no-op without MPSCOPE_ADDR/MPSCOPE_TOKEN or when already active
    import multiprocessing

    return getattr(multiprocessing, name)
