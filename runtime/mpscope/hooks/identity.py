"""Ids for multiprocessing objects that every process using the object can work out.

A queue, lock or event travels to other processes in two ways: inherited across
``fork`` (the child has the very same Python object) or pickled to a spawned or
forkserver child (which rebuilds it). Nothing of mpscope's may travel in the
pickle, so an id must be derived from what does: every such object holds a
``SemLock``, and outside the fork start method a ``SemLock`` has a name that is
unique on the machine (``/mp-k3v9q2xz``) and pickled with it. Under the fork
start method the name is unlinked at once and absent; the object can then only
reach children by fork, which inherit the id given here (``<pid>-<n>``).
"""

import itertools
import os

from mpscope.bounded import clip
from mpscope.notes import Notes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_ID = 64

_numbers = itertools.count(1)
_ids = Notes()


def new_id() -> str:
    """``<pid>-<n>``: unique in the run."""
    return "%d-%d" % (os.getpid(), next(_numbers))


def semlock_id(lock: "Any") -> str:
    """The id of a ``multiprocessing.synchronize.SemLock`` (Lock, Semaphore, ...), the same in every process."""
    notes = _ids.get(lock)
    if notes is not None:
        return notes["id"]  # type: ignore[no-any-return]
    name = getattr(getattr(lock, "_semlock", None), "name", None)
    ident = clip(name.lstrip("/"), MAX_ID) if isinstance(name, str) and name.strip("/") else new_id()
    _ids.of(lock)["id"] = ident
    return ident
