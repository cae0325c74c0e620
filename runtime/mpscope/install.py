"""Turning mpscope on in this process (called by ``bootstrap/sitecustomize.py``).

``install`` never raises. Without a usable ``MPSCOPE_ADDR`` and ``MPSCOPE_TOKEN``
it does nothing at all. Otherwise it creates the agent, registers the exit flush
and the import hooks, and says hello right away when this process is plainly
the program's main process. Helpers started with ``-c`` and spawned children
learn who they are later and defer their hello.

The exit flush is registered here, at start-up, before multiprocessing can
register ``util._exit_function``: atexit runs handlers last-in first-out, so
ours runs after multiprocessing has joined the children and sees their exits.
"""

import atexit
import os
import sys

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.address import parse_address
from mpscope.options import parse_options
from mpscope.transport import Stream

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import List, Mapping, Optional

ADDR_VARIABLE = "MPSCOPE_ADDR"
TOKEN_VARIABLE = "MPSCOPE_TOKEN"
OPTIONS_VARIABLE = "MPSCOPE_OPTIONS"


def install(environ: "Optional[Mapping[str, str]]" = None) -> "Optional[_agent.Agent]":
    """Activate mpscope in this process if the environment asks for it; the agent or None."""
    try:
        return _install(os.environ if environ is None else environ)
    except Exception:
        return None


def _install(environ: "Mapping[str, str]") -> "Optional[_agent.Agent]":
    existing = _agent.current()
    if existing is not None:
        return existing
    address_text = environ.get(ADDR_VARIABLE)
    token = environ.get(TOKEN_VARIABLE)
    if not address_text or not token:
        return None
    try:
        address = parse_address(address_text)
    except ValueError:
        return None
    options = parse_options(environ.get(OPTIONS_VARIABLE))
    argv = sys.argv if isinstance(getattr(sys, "argv", None), list) else []
    origin = _agent.ORIGIN_SPAWN if "--multiprocessing-fork" in argv else _agent.ORIGIN_EXEC
    if origin == _agent.ORIGIN_EXEC and _inheriting_a_process():
        origin = _agent.ORIGIN_FORKSERVER if _run_by_forkserver() else _agent.ORIGIN_SPAWN
    agent = _agent.Agent(Stream(address, token), origin=origin, capture_args=options.capture_args)
    agent.options = options
    if options.stacks_dir is not None or options.stacks_via is not None:
        from mpscope import stacks

        agent.stacks = stacks.setup(options)
    _agent.set_current(agent)
    atexit.register(_at_exit)

    from mpscope import hooks

    hooks.install()
    if origin == _agent.ORIGIN_EXEC and not _may_be_multiprocessing_helper(argv):
        agent.announce(ev.ROLE_MAIN)
    return agent


def _inheriting_a_process() -> bool:
    """True while a spawned or forkserver child unpickles its Process (late install: the drop-in API).

    ``spawn._main`` sets ``_inheriting`` before it imports the parent's main
    module (which may import mpscope) and replaces ``sys.argv`` with the
    parent's, so ``--multiprocessing-fork`` is not there to be seen.
    """
    module = sys.modules.get("multiprocessing.process")
    current = getattr(module, "_current_process", None)
    return getattr(current, "_inheriting", False) is True


def _run_by_forkserver() -> bool:
    """A forkserver child runs below the forkserver's ``main`` (its frames survive the fork)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == "multiprocessing.forkserver":
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _may_be_multiprocessing_helper(argv: "List[str]") -> bool:
    """True for ``python -c`` commands that may be multiprocessing's resource tracker or forkserver."""
    if not argv or argv[0] != "-c":
        return False
    orig_argv = getattr(sys, "orig_argv", None)  # 3.10+
    if not isinstance(orig_argv, list) or "-c" not in orig_argv:
        return True  # cannot tell: wait until the role is known or the process ends
    index = orig_argv.index("-c")
    command = orig_argv[index + 1] if index + 1 < len(orig_argv) else ""
    return "multiprocessing" in command


def _at_exit() -> None:
    agent = _agent.current()
    if agent is not None:
        try:
            agent.finish()
        except Exception:
            pass
