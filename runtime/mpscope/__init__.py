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
