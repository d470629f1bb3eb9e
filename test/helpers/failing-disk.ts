/**
 * A disk that fails on demand, in this process: fs.writeSync throws ENOSPC (a full disk) and fs.fdatasync
 * answers EIO (an I/O error), through the module object, pushed to the ESM bindings the store imports.
 * Only the store's files fail (a path under the temporary folders of `storeDb()`), never a log line.
 * Every test file that imports this must call `heal()` after each test (`useFailingDisk()` does).
 */
import fs, { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';

export type Failure = 'write' | 'sync';

const PREFIX = join(tmpdir(), 'store-failure-');
const state = { write: 0, sync: 0, tear: false, held: undefined as undefined | ((callback: () => void) => void) };

function storeFile(fd: number): boolean {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`).startsWith(PREFIX);
  } catch {
    return true;
  }
}

const writeSync = fs.writeSync;
const fdatasync = fs.fdatasync;
fs.writeSync = ((...args: Parameters<typeof fs.writeSync>) => {
  if (state.tear && storeFile(args[0]) && Buffer.isBuffer(args[1])) {
    // Half of what was asked goes to the file; the write for the rest finds the disk full.
    const [fd, buffer, offset = 0, length = buffer.length - offset, position] = args as unknown as [number, Buffer, number?, number?, number?];
    state.tear = false;
    state.write = 1;
    return (writeSync as (...a: unknown[]) => number)(fd, buffer, offset, Math.floor(length / 2), position);
  }
  if (state.write > 0 && storeFile(args[0])) {
    state.write--;
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  }
  return (writeSync as (...a: unknown[]) => number)(...args);
}) as typeof fs.writeSync;
fs.fdatasync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
  if (state.held && storeFile(fd)) {
    const hold = state.held;
    state.held = undefined;
    return hold(() => callback(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })));
  }
  if (state.sync > 0 && storeFile(fd)) {
    state.sync--;
    return process.nextTick(() => callback(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })));
  }
  return fdatasync(fd, callback);
}) as typeof fs.fdatasync;
syncBuiltinESMExports();

export const disk = {
  /** The next `times` writes (or fdatasyncs) of a store file fail; Infinity: every one until `heal()`. */
  fail(kind: Failure, times = Infinity): void {
    state[kind] = times;
  },
  /** The next write of a store file writes half its bytes, and the write of the rest fails (ENOSPC). */
  tearNextWrite(): void {
    state.tear = true;
  },
  /** The next fdatasync of a store file waits, in flight, until `fail()`, and then answers EIO. */
  holdNextSync(): { started: Promise<void>; fail(): void } {
    let fail!: () => void;
    const started = new Promise<void>((resolve) => {
      state.held = (answer) => {
        fail = answer;
        resolve();
      };
    });
    return { started, fail: () => fail() };
  },
  heal(): void {
    state.write = 0;
    state.sync = 0;
    state.tear = false;
    state.held = undefined;
  },
};

const dirs: string[] = [];

/** A store path in a fresh temporary folder (removed after the file's tests, once their sandboxes are closed). */
export function storeDb(): string {
  const dir = mkdtempSync(PREFIX);
  dirs.push(dir);
  return join(dir, 'sandbox.json');
}

/** Heals the disk after each test of the calling file, and removes its folders after the last. */
export function useFailingDisk(): void {
  afterEach(() => disk.heal());
  afterAll(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
}

/** The durability under which a failure of `kind` reaches a commit: a failed fdatasync fails the commit waiting on it with 'fsync'. */
export function durabilityFor(kind: Failure): 'write' | 'fsync' {
  return kind === 'write' ? 'write' : 'fsync';
}
