"""A multiprocessing method with a few lines of mpscope's in front, and nothing else changed.

Some observation points are passed on every queue operation, where even one
extra Python call (an observer) costs more than the budget allows. For
those, the method itself is rebuilt from its own source with a prologue,
compiled so that every original line keeps its file, number and columns:
the prologue sits on the lines just above the original ``def``, which moves
up with it. A traceback through the method (Ctrl-C while it waits) is
therefore byte for byte the one Python prints without mpscope; only
``inspect.getsource`` of that method starts that many lines early.

The prologue's names come from ``free`` (closure variables of the new
function); the original body still reads the module's globals. Anything
unexpected (no source, decorators, a multi-line signature, a closure, a
source that does not compile to the same line numbers) means no patch.
"""

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FunctionType
    from typing import Any, Dict, List, Optional, Set


def with_prologue(function: "Any", prologue: "List[str]", free: "Dict[str, Any]") -> "Optional[FunctionType]":
    """``function`` with ``prologue`` (source lines, no indentation) run first; None when it cannot be done."""
    try:
        return _rebuild(function, prologue, free)
    except Exception:
        return None


def _rebuild(function: "Any", prologue: "List[str]", free: "Dict[str, Any]") -> "Optional[FunctionType]":
    import types

    code = function.__code__
    if code.co_freevars or not prologue:
        return None  # super() / __class__ or a closure: its cells cannot be rebuilt here
    first = code.co_firstlineno
    lines = _source_lines(code.co_filename, first)
    if lines is None:
        return None
    header, body = lines[0], lines[1:]
    def_indent = len(header) - len(header.lstrip())
    body_lines = [line for line in body if line.strip()]
    if def_indent < 2 or not body_lines:
        return None
    body_indent = body_lines[0][: len(body_lines[0]) - len(body_lines[0].lstrip())]
    new_first = first - len(prologue)  # where the def goes
    scaffold = 2  # "def _factory(...):" and " class _Scope:" above it
    if new_first - scaffold < 1:
        return None
    source = (
        "\n" * (new_first - scaffold - 1)
        + "def _factory(%s):\n" % ", ".join(free)
        + " class _Scope:\n"
        + header
        + "".join(body_indent + line + "\n" for line in prologue)
        + "".join(body)
        + " return _Scope.%s\n" % function.__name__
    )
    namespace: "Dict[str, Any]" = {}
    exec(compile(source, code.co_filename, "exec", dont_inherit=True), namespace)
    built = namespace["_factory"](**free)
    new_code = built.__code__.replace(co_name=code.co_name)
    if sys.version_info >= (3, 11):
        new_code = new_code.replace(co_qualname=code.co_qualname)
    if not _same_lines(code, new_code, set(range(new_first + 1, first + 1))):
        return None
    rebuilt = types.FunctionType(new_code, function.__globals__, function.__name__, function.__defaults__,
                                 built.__closure__)
    rebuilt.__kwdefaults__ = function.__kwdefaults__
    rebuilt.__qualname__ = function.__qualname__
    rebuilt.__module__ = function.__module__
    rebuilt.__doc__ = function.__doc__
    rebuilt.__dict__.update(function.__dict__)
    rebuilt.__annotations__ = dict(function.__annotations__)
    return rebuilt


def _source_lines(filename: str, first: int) -> "Optional[List[str]]":
    """The lines of the function whose ``def`` is on line ``first`` (read directly: inspect costs milliseconds)."""
    with open(filename, encoding="utf-8") as handle:
        lines = handle.read().splitlines(True)
    if first < 1 or first > len(lines):
        return None
    header = lines[first - 1]
    if not header.lstrip().startswith("def ") or not header.rstrip().endswith(":"):
        return None  # decorated, or a signature on several lines
    indent = len(header) - len(header.lstrip())
    block = [header]
    for line in lines[first:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line if line.endswith("\n") else line + "\n")
    while len(block) > 1 and not block[-1].strip():
        block.pop()
    return block


def _line_numbers(code: "CodeType") -> "Set[int]":
    if hasattr(code, "co_lines"):  # 3.10+
        return {line for _, _, line in code.co_lines() if line is not None}
    lines = {code.co_firstlineno}
    line = code.co_firstlineno
    table = code.co_lnotab
    for index in range(1, len(table), 2):
        step = table[index]
        line += step - 256 if step >= 128 else step
        lines.add(line)
    return lines


def _same_lines(original: "CodeType", rebuilt: "CodeType", prologue_lines: "Set[int]") -> bool:
    """Every line the original runs is a line the rebuilt one runs; the rest are the prologue's."""
    before = _line_numbers(original)
    after = _line_numbers(rebuilt)
    before.discard(original.co_firstlineno)  # the def line (3.11+ put a RESUME there)
    after.discard(rebuilt.co_firstlineno)
    return bool(before) and before <= after and (after - before) <= prologue_lines
