/** Store files in fresh temporary folders, removed after each test of the file that calls `tempStores`. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';

export function tempStores(prefix: string): { tempDir: () => string; dbPath: () => string } {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  return { tempDir, dbPath: () => join(tempDir(), 'sandbox.json') };
}

/** The log segments beside the store at `path`, by name. */
export function walFiles(path: string): string[] {
  return readdirSync(dirname(path))
    .filter((f) => f.includes('.wal.'))
    .sort();
}
