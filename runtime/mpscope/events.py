"""Names from the event contract (``events.schema.json``), spelled once for Python.

The schema is the source of truth; ``tests/test_contract.py`` checks that every
name here exists there, so a rename cannot drift silently.
"""

HELLO = "hello"
PROCESS_CREATED = "process.created"
PROCESS_STARTED = "process.started"
PROCESS_JOINED = "process.joined"
PROCESS_SIGNALLED = "process.signalled"
PROCESS_CLOSED = "process.closed"
PROCESS_EXITED = "process.exited"
RUNTIME_ERROR = "runtime.error"
STACKS = "stacks"
POOL_CREATED = "pool.created"
POOL_CLOSED = "pool.closed"
POOL_TERMINATED = "pool.terminated"
POOL_JOINED = "pool.joined"
TASK_SUBMITTED = "task.submitted"
TASK_FINISHED = "task.finished"
TASK_COUNTERS = "task.counters"

# pool.created's api: which kind of pool.
POOL_API_POOL = "pool"
POOL_API_EXECUTOR = "executor"

#: Request lines the collector may write on a process's stream (see the schema's request definitions).
REQUEST_STACKS = "request.stacks"

# Why a stacks record was made.
REASON_REQUEST = "request"  # the collector asked (the extension's button, an API call)
REASON_SIGQUIT = "sigquit"  # Ctrl-\ in the launcher's terminal
REASON_TIMER = "timer"  # the launcher's --dump-after

ROLE_MAIN = "main"
ROLE_PROCESS = "process"
ROLE_POOL_WORKER = "pool-worker"
ROLE_EXECUTOR_WORKER = "executor-worker"
ROLE_MANAGER = "manager"
ROLE_RESOURCE_TRACKER = "resource-tracker"
ROLE_FORKSERVER = "forkserver"
ROLE_FORK = "fork"
ROLE_LAUNCHER = "launcher"

START_FORK = "fork"
START_SPAWN = "spawn"
START_FORKSERVER = "forkserver"

REPORTER_SELF = "self"
REPORTER_PARENT = "parent"
REPORTER_LAUNCHER = "launcher"
REPORTER_COLLECTOR = "collector"

# String limits from the schema (maxLength), in UTF-16 code units.
MAX_TOKEN = 256
MAX_NAME = 512
MAX_PATH = 4096
MAX_ARG = 4096
MAX_ARGV_ITEMS = 256
MAX_SHORT = 64
MAX_SIGNAL = 32
MAX_QUALNAME = 512
MAX_ARGS_REPR = 4096
MAX_EXC_TYPE = 512
MAX_EXC_MESSAGE = 8192
MAX_TRACEBACK = 65536
MAX_WHERE = 256
MAX_ERROR_MESSAGE = 4096

#: The collector drops longer lines; the runtime never builds one.
MAX_LINE_BYTES = 1 << 20

# task.submitted's method: the API call that submitted tasks.
METHOD_APPLY = "apply"
METHOD_APPLY_ASYNC = "apply_async"
METHOD_MAP = "map"
METHOD_MAP_ASYNC = "map_async"
METHOD_STARMAP = "starmap"
METHOD_STARMAP_ASYNC = "starmap_async"
METHOD_IMAP = "imap"
METHOD_IMAP_UNORDERED = "imap_unordered"
METHOD_SUBMIT = "submit"

# Queues, pipes, synchronization primitives, managers and shared memory (hooks/queues.py, pipes.py,
# sync.py, managers.py, sharedmem.py).
QUEUE_CREATED = "queue.created"
QUEUE_COUNTERS = "queue.counters"
QUEUE_BLOCKED = "queue.blocked"
QUEUE_LEFTOVER = "queue.leftover"
PIPE_CREATED = "pipe.created"
PIPE_COUNTERS = "pipe.counters"
PIPE_BLOCKED = "pipe.blocked"
SYNC_CREATED = "sync.created"
SYNC_WAIT = "sync.wait"
MANAGER_CREATED = "manager.created"
SHARED_CREATED = "shared.created"

# queue.created's queue_kind.
QUEUE_KIND_QUEUE = "Queue"
QUEUE_KIND_JOINABLE = "JoinableQueue"
QUEUE_KIND_SIMPLE = "SimpleQueue"
QUEUE_KIND_MANAGER = "manager-queue"
