// @ts-check
/**
 * The compaction worker: folds the snapshot and the sealed log segments named in `workerData` into a new
 * snapshot, from the files alone, and answers `{ seq, bytes }`. Off the main thread, so that serialising
 * a large store never holds up requests (see Store#compact).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compactFiles } from './store-files.mjs';

const { path, segments } = /** @type {{ path: string; segments: string[] }} */ (workerData);
parentPort?.postMessage(await compactFiles(path, segments));
