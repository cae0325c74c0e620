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
