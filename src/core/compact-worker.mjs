// @ts-check
/**
 * The compaction worker: folds the snapshot and the sealed log segments named in `workerData` into a new
 * snapshot, from the files alone, and answers `{ seq, bytes }`. Off the main thread, so that serialising
 * a large store never holds up requests (see Store#compact).
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { compactFiles } from './store-snapshot.mjs';

/**
 * Compaction is background work: on Linux, where a nice value belongs to a thread, this thread yields
 * the CPU to the request path (and to whatever load the machine has) while both want it.
 */
const BACKGROUND_NICE = 10;
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, BACKGROUND_NICE);
} catch {
  // Not Linux (or not allowed): run at normal priority.
}

const { path, segments, read } = /** @type {{ path: string; segments: string[]; read: { bufferBytes: number } }} */ (workerData);
parentPort?.postMessage(await compactFiles(path, segments, read));
