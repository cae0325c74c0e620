// Where the collector listens. POSIX: a Unix socket inside a fresh directory only the user can
// enter (0700), so other local users cannot even reach it. Windows: loopback TCP on a random
// port (other local users can connect there, which is why every stream must present the token).
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

export async function prepareListenTarget(kind: TransportKind, tmpdir: string = os.tmpdir()): Promise<ListenTarget> {
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
