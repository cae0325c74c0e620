"""Run a callback right after a module is imported, without importing it early.

``import multiprocessing`` costs about 10 ms; most programs never use it, so the
hooks wait for the program to import the modules they patch. A finder at the
front of ``sys.meta_path`` answers only for the watched names: it asks the
other finders for the real spec and wraps its loader so the callback runs after
the module body. The wrapper puts the original loader back on the spec and the
module before the body runs, so the imported module looks exactly as usual.
"""

import sys

from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, Callable, Dict, List, Optional, Sequence

    Callback = Callable[[ModuleType], None]

_pending: "Dict[str, List[Callback]]" = {}


def when_imported(name: str, callback: "Callback") -> None:
    """Call ``callback(module)`` once ``name`` is imported (now, if it already is)."""
    module = sys.modules.get(name)
    if module is not None:
        Hook("import " + name).run(callback, module)
        return
    _pending.setdefault(name, []).append(callback)
    if not any(isinstance(finder, _PostImportFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _PostImportFinder())


def _run_callbacks(module: "ModuleType") -> None:
    callbacks = _pending.pop(module.__name__, ())
    if not _pending:  # nothing left to watch: leave sys.meta_path as it was
        sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _PostImportFinder)]
    if callbacks:
        hook = Hook("import " + module.__name__)
        for callback in callbacks:
            hook.run(callback, module)


class _PostImportFinder:
    """Meta-path finder that only wraps loaders of watched modules."""

    _hook = Hook("importhooks")

    def find_spec(self, fullname: str, path: "Optional[Sequence[str]]" = None, target: "Any" = None) -> "Any":
        if fullname not in _pending or not self._hook.enabled:
            return None
        return self._hook.run(self._wrapped_spec, fullname, path, target)

    def _wrapped_spec(self, fullname: str, path: "Optional[Sequence[str]]", target: "Any") -> "Any":
        for finder in sys.meta_path:
            if finder is self or isinstance(finder, _PostImportFinder):
                continue
            find_spec = getattr(finder, "find_spec", None)
            if find_spec is None:
                continue
            spec = find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return None
        spec.loader = _NotifyingLoader(loader)
        return spec

    def invalidate_caches(self) -> None:
        pass


class _NotifyingLoader:
    def __init__(self, loader: "Any") -> None:
        self.loader = loader

    def create_module(self, spec: "Any") -> "Any":
        create = getattr(self.loader, "create_module", None)
        return create(spec) if create is not None else None

    def exec_module(self, module: "ModuleType") -> None:
        module.__loader__ = self.loader
        spec = getattr(module, "__spec__", None)
        if spec is not None:
            spec.loader = self.loader
        self.loader.exec_module(module)
        _run_callbacks(module)

    def __getattr__(self, name: str) -> "Any":
        return getattr(self.loader, name)
