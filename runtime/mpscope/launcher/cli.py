"""``python -m mpscope``: command-line entry of the terminal launcher."""

import json
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
from mpscope.launcher.liveness import process_gone
from mpscope.launcher.program import RunningProgram, child_command, child_environment, end_like
from mpscope.exits import signal_name
from mpscope.launcher.runmodel import ProcessRecord, RunModel
from mpscope.launcher.stackrequest import StackRequester
from mpscope.launcher.summary import STARTED_BY_MULTIPROCESSING, Style, can_encode, label, render, summary_json, wants_color
from mpscope.stackdump import format_threads
from mpscope.transport import Stream

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any, Callable, Dict, List, Optional, Tuple

#: Takes the token's place in --output files (the schema wants at least 16 characters);
#: the VS Code extension's saved sessions use the same placeholder.
REDACTED_TOKEN = "mpscope:redacted"

#: After the program ended, how long to wait for its other processes to report their end
#: (only a process that outlives the program, or one nobody reports, makes it wait this long).
QUIET_TIMEOUT = 10.0

USAGE = "usage: python -m mpscope run [OPTIONS] [--] (SCRIPT | -m MODULE) [ARGS...]"

HELP = """\
mpscope %(version)s: makes Python multiprocessing programs visible.

usage:
  python -m mpscope run [OPTIONS] [--] SCRIPT [ARGS...]
  python -m mpscope run [OPTIONS] [--] -m MODULE [ARGS...]
  python -m mpscope --help | --version

run
  Runs the program unchanged, as a child process of this interpreter: same
  stdin, stdout and stderr, same exit code (a program killed by a signal makes
  the launcher end by the same signal). Every Python process of the program
  (fork, spawn and forkserver children, Pool workers, the resource tracker, the
  forkserver, Manager servers) reports its life to the launcher. When the
  program ends, the process tree is printed to stderr: one line per process,
  indented under the process that started it, with pid, name, role, start
  method, exit code or signal and lifetime, tasks done and failed by each pool
  worker, items left in its queues, and the first line of the exception a
  child died of.

  Hangs: press Ctrl-\\ (SIGQUIT) while the program runs, or use --dump-after,
  and the launcher prints the stacks of every thread of every process of the
  program (even threads blocked in a lock, a queue or a sleep), labelled by
  pid, name and role. Under the launcher Ctrl-\\ no longer quits the program:
  stop it with Ctrl-C.

options
  --output FILE, -o FILE  write every event of every process to FILE as JSON
                          lines (the format of runtime/mpscope/events.schema.json)
  --json                  print the summary as one JSON document (to stderr)
                          instead of the tree; --json=FILE writes it to FILE
                          (the shape is described in docs/protocol.md)
  --no-summary            print neither the tree nor the JSON summary
  --dump-after SECONDS    if the program still runs after SECONDS, print the
                          stacks of all its processes once (a hang report)
  --color WHEN            auto (default: only on a terminal, and never when
                          NO_COLOR is set), always or never
  -m MODULE               run a module, as python -m does (python -m mpscope
                          run -m pytest, ... -m test test_x)
  --                      end of options: what follows is the script and its arguments

environment
  MPSCOPE_ADDR, MPSCOPE_TOKEN
      When both are set, the launcher does not start a collector of its own: it
      passes them to the program, sends its own events there (role "launcher")
      and the summary, --json, --output and --dump-after are not available.
      This is how the VS Code extension runs a file in a terminal.
  MPSCOPE_OPTIONS
      JSON object of runtime settings, e.g. {"capture_args": true} to include a
      bounded repr of each Process's arguments (off by default: arguments may
      hold secrets). The launcher adds its own keys (stacks_dir,
      stacks_on_sigquit) to what you set.
  NO_COLOR
      Set and not empty: no colors in the summary (see --color).

examples
  python -m mpscope run train.py --epochs 3
  python -m mpscope run --output run.jsonl -m mypackage.main
  python -m mpscope run --dump-after 30 stuck.py      # hang report after 30 s
  python -m mpscope run --json=summary.json -m pytest tests/
  python -m mpscope run -m test test_multiprocessing_spawn

The hooks are absent in interpreters started with -I or -E, and in programs
that do not inherit the environment. Without MPSCOPE_ADDR nothing of mpscope
runs inside a program.
"""


class UsageError(Exception):
    pass


class RunOptions:
    def __init__(self) -> None:
        self.output: "Optional[str]" = None
        self.summary = True
        self.json = False
        self.json_file: "Optional[str]" = None
        self.dump_after: "Optional[float]" = None
        self.color = "auto"
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
        elif arg == "--json":
            options.json = True
        elif arg.startswith("--json="):
            options.json = True
            options.json_file = arg[len("--json="):]
            if not options.json_file:
                raise UsageError("--json= needs a file name")
        elif arg == "--dump-after" or arg.startswith("--dump-after="):
            if "=" in arg:
                value = arg.split("=", 1)[1]
            else:
                if index + 1 >= len(argv):
                    raise UsageError("--dump-after needs a number of seconds")
                index += 1
                value = argv[index]
            try:
                options.dump_after = float(value)
            except ValueError:
                raise UsageError("--dump-after needs a number of seconds, got %r" % value) from None
            if not options.dump_after >= 0 or options.dump_after == float("inf"):
                raise UsageError("--dump-after needs a number of seconds, got %r" % value)
        elif arg == "--color" or arg.startswith("--color="):
            if "=" in arg:
                value = arg.split("=", 1)[1]
            else:
                if index + 1 >= len(argv):
                    raise UsageError("--color needs auto, always or never")
                index += 1
                value = argv[index]
            if value not in ("auto", "always", "never"):
                raise UsageError("--color needs auto, always or never, got %r" % value)
            options.color = value
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


def _start(options: RunOptions, address: str, token: str, runtime_options: "Optional[Dict[str, Any]]" = None,
           on_quit: "Optional[Callable[[], None]]" = None) -> "Optional[RunningProgram]":
    command = child_command(options.script, options.module, options.args)
    env = child_environment(os.environ, address, token, runtime_options)
    try:
        return RunningProgram(command, env, on_quit=on_quit)
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
                output.flush()  # who is running shows up at once for anyone following the file
                return
            output.write(line + b"\n")

    collector = Collector(token, on_event, model.stream_closed)
    address = collector.start()
    launcher = _agent.Agent(LocalStream(token, collector.deliver))
    style = Style(wants_color(sys.stderr, dict(os.environ), options.color))
    requester = StackRequester(collector, model, launcher.emit)
    program: "Optional[RunningProgram]" = None
    returncode = 127

    def dump(reason: str) -> None:
        answers = requester.request(reason)
        if program is not None:
            pid = program.pid
            collector.call_locked(lambda: _label_main(model, pid, options))
        write_lines(render_stacks(answers, reason, style), sys.stderr)

    runtime_options: "Dict[str, Any]" = {"stacks_dir": collector.directory}
    if os.name == "posix":
        runtime_options["stacks_on_sigquit"] = True
    else:
        runtime_options["stacks_via"] = "request"
    try:
        launcher.announce(ev.ROLE_LAUNCHER)
        program = _start(options, address, token, runtime_options, on_quit=lambda: dump(ev.REASON_SIGQUIT))
        if program is not None:
            returncode = program.wait(options.dump_after, lambda: dump(ev.REASON_TIMER))
            launcher.emit(ev.PROCESS_EXITED, exit_record(ev.REPORTER_LAUNCHER, returncode, child_pid=program.pid))
            collector.wait_until(lambda: model.settled(process_gone), QUIET_TIMEOUT)
    finally:
        collector.stop()
        if program is not None:
            program.restore_handlers()
    # The collector's thread is gone: the model is ours alone from here.
    for record in model.lost_processes(process_gone):
        launcher.emit(ev.PROCESS_EXITED, exit_record(ev.REPORTER_COLLECTOR, None, child_pid=record.pid))
    if program is not None:
        _label_main(model, program.pid, options)
    if output is not None:
        output.close()
    if program is not None and (options.summary or options.json_file):
        problems = collector.stats.problems()
        if options.json:
            document = summary_json(model, problems, {"command": _program_argv(options), "pid": program.pid,
                                                       "exitcode": returncode, "signal": signal_name(returncode)})
            if not write_json(document, options.json_file):
                return 2
        else:
            write_lines(summary_lines(model, problems, style), sys.stderr)
    return end_like(returncode)


def _label_main(model: RunModel, pid: int, options: RunOptions) -> None:
    model.record(pid).label = _program_label(options)


def _program_argv(options: RunOptions) -> "List[str]":
    if options.module is not None:
        return ["-m", options.module] + list(options.args)
    return [options.script or ""] + list(options.args)


def summary_lines(model: RunModel, problems: "Dict[str, int]", style: Style) -> "List[str]":
    ascii_only = not can_encode("├└│·", getattr(sys.stderr, "encoding", None))
    return render(model, ascii_only=ascii_only, problems=problems, style=style)


def render_stacks(answers: "List[Tuple[ProcessRecord, Dict[str, Any]]]", reason: str, style: Style) -> "List[str]":
    why = {ev.REASON_SIGQUIT: "Ctrl-\\", ev.REASON_TIMER: "--dump-after"}.get(reason, reason)
    lines = [style.bold("mpscope: stacks of %d process%s (%s)" % (len(answers), "" if len(answers) == 1 else "es", why))]
    if not answers:
        lines.append("  no process of the program can be asked (none is running with mpscope's hooks)")
    for record, event in answers:
        tags = [record.role or "process"]
        if record.start_method and record.role in STARTED_BY_MULTIPROCESSING:
            tags.append(record.start_method)
        lines.append(style.bold("%d %s [%s]" % (record.pid, label(record), ", ".join(tags))))
        if event.get("error"):
            lines.append(style.warn("  " + str(event["error"])))
            continue
        lines.extend(format_threads(event.get("threads") or [], indent="  "))
        if event.get("threads_truncated"):
            lines.append("  ... (more threads)")
    return lines


def write_lines(lines: "List[str]", stream: "IO[str]") -> None:
    try:
        stream.write("\n".join(lines) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def write_json(document: "Dict[str, Any]", path: "Optional[str]") -> bool:
    text = json.dumps(document, indent=2, sort_keys=True) + "\n"
    if path is None:
        write_lines([text.rstrip("\n")], sys.stderr)
        return True
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return True
    except OSError as exc:
        sys.stderr.write("mpscope: cannot write %s: %s\n" % (path, exc))
        return False


def run_with_external_collector(options: RunOptions, address: str, token: str) -> int:
    """Extension mode: the collector is the VS Code extension's; report our child's exit there."""
    for given, flag in ((options.output, "--output"), (options.json or None, "--json"),
                        (options.dump_after, "--dump-after")):
        if given is not None:
            sys.stderr.write("mpscope: %s needs the launcher's own collector, but MPSCOPE_ADDR is set\n" % flag)
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
