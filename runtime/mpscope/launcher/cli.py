"""``python -m mpscope``: command-line entry of the terminal launcher."""

from __future__ import annotations

import os
import secrets
import sys

from mpscope import __version__
from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.address import parse_address
from mpscope.exits import exit_record
from mpscope.jsonline import encode
from mpscope.launcher.collector import Collector
from mpscope.launcher.program import RunningProgram, child_command, child_environment, end_like
from mpscope.launcher.runmodel import RunModel
from mpscope.launcher.summary import can_encode, render
from mpscope.transport import Stream

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Dict, List, Optional

#: Takes the token's place in --output files (the schema wants at least 16 characters);
#: the VS Code extension's saved sessions use the same placeholder.
REDACTED_TOKEN = "mpscope:redacted"

#: After the program ended, how long to wait for its other processes to report their end
#: (only a process that outlives the program, or one nobody reports, makes it wait this long).
QUIET_TIMEOUT = 10.0

USAGE = "usage: python -m mpscope run [--output FILE] [--no-summary] [--] (SCRIPT | -m MODULE) [ARGS...]"

HELP = """\
mpscope %(version)s: makes Python multiprocessing programs visible.

usage:
  python -m mpscope run [--output FILE] [--no-summary] [--] SCRIPT [ARGS...]
  python -m mpscope run [--output FILE] [--no-summary] [--] -m MODULE [ARGS...]
  python -m mpscope --help | --version

run
  Runs the program unchanged, as a child process of this interpreter: same
  stdin, stdout and stderr, same exit code (a program killed by a signal makes
  the launcher end by the same signal). Every Python process of the program
  (fork, spawn and forkserver children, Pool workers, the resource tracker, the
  forkserver, Manager servers) reports its life to the launcher. When the
  program ends, the process tree is printed to stderr: one line per process,
  indented under the process that started it, with pid, name, role, start
  method and exit code or signal, and the exception a child died of.

options
  --output FILE, -o FILE  write every event of every process to FILE as JSON
                          lines (the format of runtime/mpscope/events.schema.json)
  --no-summary            do not print the process tree
  -m MODULE               run a module, as python -m does
  --                      end of options: what follows is the script and its arguments

environment
  MPSCOPE_ADDR, MPSCOPE_TOKEN
      When both are set, the launcher does not start a collector of its own: it
      passes them to the program, sends its own events there (role "launcher")
      and the summary and --output are not available. This is how the VS Code
      extension runs a file in a terminal.
  MPSCOPE_OPTIONS
      JSON object of runtime settings, e.g. {"capture_args": true} to include a
      bounded repr of each Process's arguments.

The hooks are absent in interpreters started with -I or -E, and in programs
that do not inherit the environment.
"""


class UsageError(Exception):
    pass


class RunOptions:
    def __init__(self) -> None:
        self.output: "Optional[str]" = None
        self.summary = True
        self.script: "Optional[str]" = None
        self.module: "Optional[str]" = None
        self.args: "List[str]" = []
        self.help = False


def parse_run(argv: "List[str]") -> RunOptions:
    options = RunOptions()
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--":
            index += 1
            break
        if arg in ("-h", "--help"):
            options.help = True
            return options
        if arg == "--no-summary":
            options.summary = False
        elif arg in ("--output", "-o"):
            if index + 1 >= len(argv):
                raise UsageError("%s needs a file name" % arg)
            index += 1
            options.output = argv[index]
        elif arg.startswith("--output="):
            options.output = arg[len("--output="):]
        elif arg == "-m" or (arg.startswith("-m") and not arg.startswith("--")):
            break
        elif arg.startswith("-") and arg != "-":
            raise UsageError("unknown option %s" % arg)
        else:
            break
        index += 1
    rest = argv[index:]
    if not rest:
        raise UsageError("missing SCRIPT or -m MODULE")
    first = rest[0]
    if first == "-m":
        if len(rest) < 2 or not rest[1]:
            raise UsageError("-m needs a module name")
        options.module, options.args = rest[1], rest[2:]
    elif first.startswith("-m") and len(first) > 2:
        options.module, options.args = first[2:], rest[1:]
    else:
        options.script, options.args = first, rest[1:]
    if options.output == "":
        raise UsageError("--output needs a file name")
    return options


def main(argv: "Optional[List[str]]" = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(HELP % {"version": __version__})
        return 0 if argv else 2
    if argv[0] == "--version":
        sys.stdout.write("mpscope %s\n" % __version__)
        return 0
    if argv[0] != "run":
        sys.stderr.write("%s\nmpscope: unknown command %r (try --help)\n" % (USAGE, argv[0]))
        return 2
    try:
        options = parse_run(argv[1:])
    except UsageError as exc:
        sys.stderr.write("%s\nmpscope: %s\n" % (USAGE, exc))
        return 2
    if options.help:
        sys.stdout.write(HELP % {"version": __version__})
        return 0
    # The launcher is a tool, not part of the program: if the hooks got loaded
    # here (bootstrap on our own PYTHONPATH), keep them quiet.
    own = _agent.current()
    if own is not None:
        own.mute()
    address = os.environ.get("MPSCOPE_ADDR")
    token = os.environ.get("MPSCOPE_TOKEN")
    if address and token:
        return run_with_external_collector(options, address, token)
    return run_with_own_collector(options)


def _program_label(options: RunOptions) -> str:
    if options.module is not None:
        return "-m " + options.module
    return os.path.basename(options.script or "") or (options.script or "")


def _start(options: RunOptions, address: str, token: str) -> "Optional[RunningProgram]":
    command = child_command(options.script, options.module, options.args)
    env = child_environment(os.environ, address, token)
    try:
        return RunningProgram(command, env)
    except OSError as exc:
        sys.stderr.write("mpscope: cannot start %s: %s\n" % (command[0], exc))
        return None


class LocalStream:
    """The launcher's own events in its own collector: same shape as a socket stream, no socket."""

    def __init__(self, token: str, deliver: "Callable[[Dict[str, Any], bytes], None]") -> None:
        self._token = token
        self._deliver = deliver
        self._seq = 0

    def open(self, hello: "Dict[str, Any]") -> None:
        hello = dict(hello, token=self._token)
        self._emit(hello)

    def send(self, event: "Dict[str, Any]", urgent: bool = True) -> None:
        self._emit(event)

    def _emit(self, event: "Dict[str, Any]") -> None:
        event["seq"] = self._seq
        self._seq += 1
        self._deliver(event, encode(event).encode("ascii"))

    def flush(self, timeout: float) -> bool:
        return True

    def silence(self) -> None:
        pass

    def reset_after_fork(self) -> None:
        pass


def run_with_own_collector(options: RunOptions) -> int:
    token = secrets.token_hex(32)
    model = RunModel()
    output: "Optional[IO[bytes]]" = None
    if options.output is not None:
        try:
            output = open(options.output, "wb")
        except OSError as exc:
            sys.stderr.write("mpscope: cannot write %s: %s\n" % (options.output, exc))
            return 2

    def on_event(event: "Dict[str, Any]", line: bytes) -> None:
        model.add(event)
        if output is not None:
            if event.get("kind") == ev.HELLO:
                # A file outlives the run and may be shared: it carries no token.
                line = encode(dict(event, token=REDACTED_TOKEN)).encode("ascii")
            output.write(line + b"\n")

    collector = Collector(token, on_event, model.stream_closed)
    address = collector.start()
    launcher = _agent.Agent(LocalStream(token, collector.deliver))
    program: "Optional[RunningProgram]" = None
    returncode = 127
    try:
        launcher.announce(ev.ROLE_LAUNCHER)
        program = _start(options, address, token)
        if program is not None:
            returncode = program.wait()
            launcher.emit(ev.PROCESS_EXITED, exit_record(ev.REPORTER_LAUNCHER, returncode, child_pid=program.pid))
            collector.wait_until(model.settled, QUIET_TIMEOUT)
    finally:
        collector.stop()
        if program is not None:
            program.restore_handlers()
    # The collector's thread is gone: the model is ours alone from here.
    for record in model.lost_processes():
        launcher.emit(ev.PROCESS_EXITED, exit_record(ev.REPORTER_COLLECTOR, None, child_pid=record.pid))
    if program is not None:
        model.record(program.pid).label = _program_label(options)
    if output is not None:
        output.close()
    if options.summary and program is not None:
        print_summary(model, collector.stats.problems())
    return end_like(returncode)


def print_summary(model: RunModel, problems: "Dict[str, int]") -> None:
    stream = sys.stderr
    ascii_only = not can_encode("├└│·", getattr(stream, "encoding", None))
    lines = render(model, ascii_only=ascii_only, problems=problems)
    try:
        stream.write("\n".join(lines) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def run_with_external_collector(options: RunOptions, address: str, token: str) -> int:
    """Extension mode: the collector is the VS Code extension's; report our child's exit there."""
    if options.output is not None:
        sys.stderr.write("mpscope: --output needs the launcher's own collector, but MPSCOPE_ADDR is set\n")
        return 2
    launcher: "Optional[_agent.Agent]" = None
    try:
        launcher = _agent.Agent(Stream(parse_address(address), token))
        launcher.announce(ev.ROLE_LAUNCHER)
    except ValueError:
        launcher = None  # unusable address: the program runs without mpscope, as it would anyway
    program = _start(options, address, token)
    if program is None:
        return 127
    try:
        returncode = program.wait()
    finally:
        program.restore_handlers()
    if launcher is not None:
        launcher.emit(ev.PROCESS_EXITED, exit_record(ev.REPORTER_LAUNCHER, returncode, child_pid=program.pid))
        launcher.flush()
    if options.summary:
        sys.stderr.write("mpscope: events went to the collector at MPSCOPE_ADDR; no summary here\n")
    return end_like(returncode)
