"""Running the user's program, unchanged, as a child of the launcher.

The child inherits stdin, stdout and stderr (so ``input()`` works and output
is not reordered) and the environment, plus:

* ``PYTHONPATH``: ``<runtime>/bootstrap`` first, then the user's own entries,
  without the runtime directory that was only there to find ``mpscope``;
* ``MPSCOPE_ADDR`` / ``MPSCOPE_TOKEN`` of the collector.

While the program runs the launcher ignores Ctrl-C (the terminal delivers it to
the program too, which decides what it means) and forwards SIGTERM/SIGHUP.
Ctrl-\\ (SIGQUIT) is ignored too, or, with an ``on_quit`` callback, handled by it
(the launcher then prints every process's stacks: the program's processes
dump theirs instead of dying, see ``mpscope/stacks.py``).
"""

import json
import os
import signal
import subprocess
import sys
import time

import mpscope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Mapping, Optional

RUNTIME_DIR = os.path.dirname(os.path.dirname(os.path.abspath(mpscope.__file__)))
BOOTSTRAP_DIR = os.path.join(RUNTIME_DIR, "bootstrap")

# Interpreter options that would silently switch mpscope off in the child.
_DROPPED_FLAGS = ("-I", "-E")


def _same_dir(a: str, b: str) -> bool:
    try:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
    except (OSError, ValueError):
        return False


def child_pythonpath(current: "Optional[str]") -> str:
    entries = [BOOTSTRAP_DIR]
    for entry in (current or "").split(os.pathsep):
        if not entry:
            continue
        if _same_dir(entry, RUNTIME_DIR) or _same_dir(entry, BOOTSTRAP_DIR):
            continue
        entries.append(entry)
    return os.pathsep.join(entries)


def child_environment(base: "Mapping[str, str]", address: str, token: str,
                      options: "Optional[Dict[str, Any]]" = None) -> "Dict[str, str]":
    """The program's environment; ``options`` are added to the user's own ``MPSCOPE_OPTIONS``."""
    env = dict(base)
    env["PYTHONPATH"] = child_pythonpath(base.get("PYTHONPATH"))
    env["MPSCOPE_ADDR"] = address
    env["MPSCOPE_TOKEN"] = token
    if options:
        merged: "Dict[str, Any]" = {}
        try:
            given = json.loads(base.get("MPSCOPE_OPTIONS") or "{}")
            if isinstance(given, dict):
                merged.update(given)
        except ValueError:
            pass
        merged.update(options)
        env["MPSCOPE_OPTIONS"] = json.dumps(merged, sort_keys=True)
    return env


def interpreter_flags() -> "List[str]":
    """The launcher's own interpreter options (``-X dev``, ``-W error``, ...) for the child."""
    try:
        flags = list(subprocess._args_from_interpreter_flags())  # type: ignore[attr-defined]
    except Exception:
        return []
    return [flag for flag in flags if flag not in _DROPPED_FLAGS]


def child_command(script: "Optional[str]", module: "Optional[str]", args: "List[str]") -> "List[str]":
    command = [sys.executable] + interpreter_flags()
    if module is not None:
        command += ["-m", module]
    else:
        assert script is not None
        command.append(script)
    return command + list(args)


class RunningProgram:
    """The child process and the launcher's signal handling while it runs."""

    _FORWARDED = ("SIGTERM", "SIGHUP")
    _IGNORED = ("SIGINT", "SIGQUIT")

    def __init__(self, command: "List[str]", env: "Dict[str, str]",
                 on_quit: "Optional[Callable[[], None]]" = None) -> None:
        self._previous: "Dict[int, Any]" = {}
        self._on_quit = on_quit
        self._quitting = False
        self.popen: "Optional[subprocess.Popen[bytes]]" = None
        # Installed before the child exists so no Ctrl-C can fall between; exec
        # resets caught signals to their default in the child, so it still gets
        # Python's usual KeyboardInterrupt (an ignored SIGINT, by contrast, would
        # be inherited).
        self._install_handlers()
        try:
            self.popen = subprocess.Popen(command, env=env)
        except BaseException:
            self.restore_handlers()
            raise

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def _install_handlers(self) -> None:
        for name in self._IGNORED + self._FORWARDED:
            number = getattr(signal, name, None)
            if number is None:
                continue
            handler = self._forward if name in self._FORWARDED else self._ignore
            if name == "SIGQUIT" and self._on_quit is not None:
                handler = self._quit
            try:
                self._previous[number] = signal.signal(number, handler)
            except (OSError, ValueError):
                pass

    def _ignore(self, signum: int, frame: "Any") -> None:
        pass

    def _quit(self, signum: int, frame: "Any") -> None:
        # Runs on the main thread, between two waits for the child; a second
        # Ctrl-\ while the first is being answered is folded into it.
        if self._quitting or self._on_quit is None:
            return
        self._quitting = True
        try:
            self._on_quit()
        except Exception:
            pass
        finally:
            self._quitting = False

    def _forward(self, signum: int, frame: "Any") -> None:
        if self.popen is None:
            return
        try:
            self.popen.send_signal(signum)
        except OSError:
            pass

    def wait(self, after: "Optional[float]" = None, then: "Optional[Callable[[], None]]" = None) -> int:
        """The program's exit status; ``then()`` runs once if it still runs ``after`` seconds from now."""
        assert self.popen is not None
        deadline = None if after is None or then is None else time.monotonic() + max(0.0, after)
        while True:
            try:
                if deadline is None:
                    return self.popen.wait()
                return self.popen.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                deadline = None
                assert then is not None
                then()
            except KeyboardInterrupt:  # Windows console Ctrl-C reaches every process
                continue

    def restore_handlers(self) -> None:
        for number, previous in self._previous.items():
            try:
                signal.signal(number, previous)
            except (OSError, ValueError, TypeError):
                pass


def end_like(returncode: int) -> int:
    """Leave the way the program did: re-raise its fatal signal on ourselves, or return its exit code."""
    if returncode >= 0 or sys.platform == "win32":
        return returncode
    number = -returncode
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # the core would be the launcher's, not the program's
    except Exception:
        pass
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    try:
        signal.signal(number, signal.SIG_DFL)
        os.kill(os.getpid(), number)
    except (OSError, ValueError):
        pass
    return 128 + number  # the signal did not end us (ignored or stop-like): the shell's convention
