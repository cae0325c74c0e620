"""mpscope bootstrap, found through ``PYTHONPATH=<runtime>/bootstrap``.

When ``MPSCOPE_ADDR`` is set, installs mpscope's hooks in this interpreter
(and so, through inheritance or the same environment, in every process the
program starts). Then it always runs the ``sitecustomize`` this file shadows
(the user's own, or the distribution's, e.g. Debian's apport hook), so the
program starts exactly as it would without mpscope.

Rules this file keeps:

* It never raises for mpscope's sake: a broken or missing runtime leaves the
  program as if mpscope were absent. Errors of the shadowed ``sitecustomize``
  propagate unchanged, to be reported by ``site`` as usual.
* ``sys.path`` is as without mpscope: this file's directory, which only
  ``PYTHONPATH`` put there, is taken off first (the environment keeps it, for
  the processes the program starts). The ``mpscope`` package is loaded from
  its file location (``<runtime>/mpscope``, a spec whose submodule search
  locations make ``mpscope.*`` importable) and registered in ``sys.modules``,
  so the program cannot import anything new by accident. Off the path, the
  directory also costs nothing: every later import would first look in it
  (a ``stat`` and a lookup each; 0.6 M of a spawned child's ~200 M
  instructions when it imports only the spawn machinery).
* Start-up stays cheap: nothing from multiprocessing is imported here.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType
    from typing import Any, Callable, List, Optional, Tuple


def _mpscope_unlist() -> None:
    """Take this file's directory off ``sys.path`` (see the module's docstring)."""
    import os
    import sys

    here = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))
    for index, entry in enumerate(sys.path):
        # site.py has made every entry absolute; an alias (a symlink) is the user's, and stays.
        if isinstance(entry, str) and os.path.normcase(entry) == here:
            del sys.path[index]
            return


def _mpscope_install() -> None:
    import os

    if not os.environ.get("MPSCOPE_ADDR"):
        return
    try:
        import sys

        if "mpscope" not in sys.modules:
            runtime = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            if _mpscope_load("mpscope", [runtime]) is None:
                return
        from mpscope.install import install

        install()
    except Exception:
        pass


def _mpscope_importlib() -> "Tuple[Any, Callable[[ModuleSpec], ModuleType]]":
    """``(PathFinder, module_from_spec)`` without importing the ``importlib`` package.

    ``importlib.machinery`` and ``importlib.util`` re-export these from the
    frozen modules the interpreter already runs on; importing the package costs
    0.5-5 ms at start-up (3.8 pulls in warnings, types and contextlib).
    """
    import sys

    external = sys.modules.get("_frozen_importlib_external")
    bootstrap = sys.modules.get("_frozen_importlib")
    if hasattr(external, "PathFinder") and hasattr(bootstrap, "module_from_spec"):
        return external.PathFinder, bootstrap.module_from_spec  # type: ignore[union-attr]
    from importlib.machinery import PathFinder
    from importlib.util import module_from_spec

    return PathFinder, module_from_spec


def _mpscope_load(name: str, search_path: "List[str]") -> "Optional[ModuleType]":
    """Import ``name`` from ``search_path`` only, without touching ``sys.path``."""
    import sys

    path_finder, module_from_spec = _mpscope_importlib()
    spec = path_finder.find_spec(name, search_path)
    if spec is None or spec.loader is None:
        return None
    module = module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


def _mpscope_chain() -> None:
    """Run the next ``sitecustomize`` on ``sys.path`` (the one this file shadows), if any."""
    import os
    import sys

    this_file = os.path.abspath(__file__)
    skipped = {os.path.normcase(os.path.dirname(this_file))}
    path_finder, module_from_spec = _mpscope_importlib()
    while True:
        rest = [entry for entry in sys.path
                if isinstance(entry, str) and os.path.normcase(os.path.abspath(entry or os.curdir)) not in skipped]
        spec = path_finder.find_spec("sitecustomize", rest)
        if spec is None or spec.loader is None:
            return
        # Comparing spellings is enough for the usual PYTHONPATH entry; the same directory
        # spelled another way (a symlink, a relative path) is caught here, one stat per try.
        found_dir = os.path.normcase(os.path.dirname(os.path.abspath(spec.origin or "")))
        if found_dir in skipped or not _mpscope_same_file(spec.origin, this_file):
            break
        skipped.add(found_dir)
    module = module_from_spec(spec)
    # From here on, ``import sitecustomize`` gives the shadowed module, as it
    # would without mpscope. An exception propagates to site.py, which prints
    # "Error in sitecustomize" exactly as it would have.
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


def _mpscope_same_file(path: "Optional[str]", other: str) -> bool:
    import os

    try:
        return path is not None and os.path.samefile(path, other)
    except OSError:
        return False


_mpscope_unlist()
_mpscope_install()
_mpscope_chain()
