"""Registration of the hooks for the objects processes share: queues, pipes, locks, managers, shared memory.

Kept apart from ``hooks/__init__.py`` (process and pool hooks) so each concern
registers in its own file; every module below is imported only once the
program imports the multiprocessing module it patches.
"""

from mpscope.importhooks import when_imported

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType


def _synchronize(module: "ModuleType") -> None:
    from mpscope.hooks import sync

    sync.patch(module)


def _queues(module: "ModuleType") -> None:
    from mpscope.hooks import queues

    queues.patch(module)


def _connection(module: "ModuleType") -> None:
    from mpscope.hooks import pipes

    pipes.patch(module)


def _managers(module: "ModuleType") -> None:
    from mpscope.hooks import managers

    managers.patch(module)


def _sharedctypes(module: "ModuleType") -> None:
    from mpscope.hooks import sharedmem, sync

    sharedmem.patch_sharedctypes(module)
    sync.patch_sharedctypes(module)


def _shared_memory(module: "ModuleType") -> None:
    from mpscope.hooks import sharedmem

    sharedmem.patch_shared_memory(module)


def install() -> None:
    when_imported("multiprocessing.synchronize", _synchronize)
    when_imported("multiprocessing.queues", _queues)
    when_imported("multiprocessing.connection", _connection)
    when_imported("multiprocessing.managers", _managers)
    when_imported("multiprocessing.sharedctypes", _sharedctypes)
    when_imported("multiprocessing.shared_memory", _shared_memory)
