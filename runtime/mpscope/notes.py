"""Facts mpscope keeps about the user's objects without touching them.

Nothing is stored on the objects themselves (that would show in ``vars()`` and
travel in pickles to spawned children), and a ``WeakKeyDictionary`` would fail
for classes that define ``__eq__`` without ``__hash__``. Entries are keyed by
``id()`` and hold a weak reference that removes them when the object dies and
guards against a reused id.
"""

import weakref

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple


class Notes:
    def __init__(self) -> None:
        self._entries: "Dict[int, Tuple[weakref.ref[Any], Dict[str, Any]]]" = {}

    def get(self, obj: "Any") -> "Optional[Dict[str, Any]]":
        entry = self._entries.get(id(obj))
        if entry is None or entry[0]() is not obj:
            return None
        return entry[1]

    def of(self, obj: "Any") -> "Dict[str, Any]":
        """The notes of ``obj``, created empty on first use."""
        found = self.get(obj)
        if found is not None:
            return found
        key = id(obj)
        entries = self._entries

        def forget(ref: "weakref.ref[Any]", key: int = key) -> None:
            entry = entries.get(key)
            if entry is not None and entry[0] is ref:
                del entries[key]

        data: "Dict[str, Any]" = {}
        entries[key] = (weakref.ref(obj, forget), data)
        return data

    def __len__(self) -> int:
        return len(self._entries)
