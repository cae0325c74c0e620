"""Where mpscope attaches to multiprocessing.

Each multiprocessing module is patched right after the program imports it; the
patching code itself is imported only then, so a program that never uses
multiprocessing pays for none of it.
"""

import sys

from mpscope.hooks import forking, objects
from mpscope.importhooks import when_imported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType


def _process(module: "ModuleType") -> None:
    from mpscope.hooks import process

    process.patch_process_module(module)


def _util(module: "ModuleType") -> None:
    from mpscope.hooks import process

    process.patch_util_module(module)


def _popen(module: "ModuleType") -> None:
    from mpscope.hooks import popen

    popen.patch_popen_module(module)


def _resource_tracker(module: "ModuleType") -> None:
    from mpscope.hooks import helpers

    helpers.patch_resource_tracker(module)


def _forkserver(module: "ModuleType") -> None:
    from mpscope.hooks import helpers

    helpers.patch_forkserver(module)


def _connection(module: "ModuleType") -> None:
    from mpscope.hooks import joinwait

    joinwait.patch_connection_module(module)


def _pool(module: "ModuleType") -> None:
    from mpscope.hooks import pool

    pool.patch_pool_module(module)


def _executor(module: "ModuleType") -> None:
    from mpscope.hooks import executor

    executor.patch_executor_module(module)


def install() -> None:
    when_imported("multiprocessing.process", _process)
    when_imported("multiprocessing.util", _util)
    when_imported("multiprocessing.pool", _pool)
    when_imported("concurrent.futures.process", _executor)
    if sys.platform == "win32":
        when_imported("multiprocessing.popen_spawn_win32", _popen)
    else:
        when_imported("multiprocessing.popen_fork", _popen)
        when_imported("multiprocessing.connection", _connection)
        when_imported("multiprocessing.resource_tracker", _resource_tracker)
        when_imported("multiprocessing.forkserver", _forkserver)
    objects.install()
    forking.install()
