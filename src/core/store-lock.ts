/**
 * One process at a time opens a store: `<db>.lock` (mode 0600) holds the pid of the process that has it open.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Another live process has the store open: two writers would interleave their logs. */
export class StoreInUseError extends Error {
  readonly code = 'ESTOREINUSE';
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(
      `${path} is in use by process ${pid}: stop that sandbox, or give this one another --db (SANDBOX_DB). If process ${pid} is not a sandbox, delete ${path}.lock`,
    );
  }
}

/**
 * `<db>.lock` holds the pid of the process that has the store open. A lock whose process is gone (a
 * crash, kill -9) is taken over, and so is one with this process's own pid (a container's sandbox is
 * always pid 1; tests reopen a store they never closed, as after a crash).
 */
export class StoreLock {
  private constructor(readonly file: string) {}

  static acquire(dbPath: string): StoreLock {
    const file = `${dbPath}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return new StoreLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) throw new StoreInUseError(dbPath, holder);
      rmSync(file, { force: true });
    }
    throw new Error(`${dbPath}: could not take ${file}`);
  }

  release(): void {
    try {
      if (Number.parseInt(readFileSync(this.file, 'utf8'), 10) === process.pid) rmSync(this.file, { force: true });
    } catch {
      // Already gone.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
