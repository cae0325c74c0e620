"""What an exit record says: signal names for exit codes, and the exception a process died of."""

from mpscope import events as ev
from mpscope.bounded import clip, clip_middle, safe_str
from mpscope.userframes import innermost_site

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional


def signal_name(exitcode: "Optional[int]") -> "Optional[str]":
    """``-9`` → ``"SIGKILL"`` (multiprocessing's convention: negative = killed by that signal)."""
    if not isinstance(exitcode, int) or exitcode >= 0:
        return None
    number = -exitcode
    try:
        import signal

        return signal.Signals(number).name
    except Exception:
        return "SIG%d" % number


def exit_record(reporter: str, exitcode: "Optional[int]", child_pid: "Optional[int]" = None) -> "Dict[str, Any]":
    fields: "Dict[str, Any]" = {"reporter": reporter, "exitcode": exitcode}
    if child_pid is not None:
        fields["child_pid"] = child_pid
    name = signal_name(exitcode)
    if name is not None:
        fields["signal"] = name
    return fields


def exception_type_name(exc: BaseException) -> str:
    cls = type(exc)
    module = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", cls.__name__)
    if module in (None, "builtins", "__main__", "__mp_main__"):
        return name
    return "%s.%s" % (module, name)


def exception_record(exc: BaseException) -> "Dict[str, Any]":
    """Type, message, formatted traceback and user site of ``exc``; bounded."""
    record: "Dict[str, Any]" = {
        "type": clip(exception_type_name(exc), ev.MAX_EXC_TYPE),
        "message": safe_str(exc, ev.MAX_EXC_MESSAGE),
    }
    try:
        import traceback

        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        record["traceback"] = clip_middle(text, ev.MAX_TRACEBACK)
    except Exception:
        pass
    try:
        site = innermost_site(exc.__traceback__)
        if site is not None:
            record["site"] = site
    except Exception:
        pass
    return record


def exitcode_of_system_exit(exc: SystemExit) -> int:
    """The status ``SystemExit`` gives the interpreter (None → 0, int → itself, else 1)."""
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1
