// Where the collector listens. POSIX: a Unix socket inside a fresh directory only the user can
// enter (0700), so other local users cannot even reach it. Windows: loopback TCP on a random
// port (other local users can connect there, which is why every stream must present the token).
import { constants as fsConstants, accessSync, statSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

export type TransportKind = 'unix' | 'tcp';

export function transportFor(platform: NodeJS.Platform): TransportKind {
  return platform === 'win32' ? 'tcp' : 'unix';
}

/** Where `net.Server.listen` should bind, plus what to clean up afterwards. */
export interface ListenTarget {
  readonly kind: TransportKind;
  /** Unix socket path (unix only). */
  readonly socketPath?: string;
  /** The private directory holding the socket (unix only); removed on dispose. */
  readonly privateDir?: string;
}

// sun_path holds 108 bytes on Linux and 104 on macOS, including the terminating NUL.
const MAX_SOCKET_PATH_BYTES = 103;
const SOCKET_NAME = 'collector.sock';

const SHARED_MEMORY_DIR = '/dev/shm';
/** The sticky bit of a directory's mode (Node has no constant for it). */
const STICKY_BIT = 0o1000;

/**
 * The parent of the private directory. Every process of a run creates its stack dump file there
 * as it starts (a forked child inside `os.fork()`), and creating a file in a disk-backed temp
 * directory costs about 0.2 ms against 6 µs on tmpfs (runtime/mpscope/launcher/privatedir.py,
 * the launcher's twin of this choice). So on Linux: `/dev/shm` when it is a sticky, writable
 * directory and the user did not pick a temp directory with TMPDIR; elsewhere `os.tmpdir()`.
 */
export function defaultPrivateParent(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  candidate: string = SHARED_MEMORY_DIR,
): string {
  if (platform !== 'linux' || env.TMPDIR) return os.tmpdir();
  try {
    const info = statSync(candidate);
    if (!info.isDirectory() || (info.mode & STICKY_BIT) === 0) return os.tmpdir();
    accessSync(candidate, fsConstants.W_OK | fsConstants.X_OK);
    return candidate;
  } catch {
    return os.tmpdir();
  }
}

export async function prepareListenTarget(kind: TransportKind, tmpdir: string = defaultPrivateParent()): Promise<ListenTarget> {
  if (kind === 'tcp') {
    return { kind };
  }
  let privateDir = await makePrivateDir(tmpdir);
  let socketPath = path.join(privateDir, SOCKET_NAME);
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES && tmpdir !== '/tmp') {
    // macOS's per-user temp dir can be too deep for a socket path; /tmp always fits.
    await fs.rm(privateDir, { recursive: true, force: true });
    privateDir = await makePrivateDir('/tmp');
    socketPath = path.join(privateDir, SOCKET_NAME);
  }
  return { kind, socketPath, privateDir };
}

async function makePrivateDir(parent: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(parent, 'mpscope-'));
  // mkdtemp already uses 0700; saying it again protects against an unusual umask or platform.
  await fs.chmod(dir, 0o700);
  return dir;
}

/** The `MPSCOPE_ADDR` value for a listening server. */
export function formatAddress(target: ListenTarget, port: number | undefined): string {
  if (target.kind === 'unix') {
    return `unix:${target.socketPath}`;
  }
  return `tcp:127.0.0.1:${port}`;
}
