// @ts-check
/**
 * The store's files, read and written the same way by the store itself (at start) and by the compaction
 * worker (src/core/compact-worker.mjs), which cannot load TypeScript: so this module is plain JavaScript,
 * type-checked from its JSDoc.
 *
 *   <db>          the snapshot: one JSON document, read with lowdb
 *   <db>.wal.<n>  log segments: one JSON line per committed transaction, possibly followed by zeros laid
 *                 ahead of the log (durability 'fsync'); a torn last line is a write never acknowledged
 */
import { readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';

/** @typedef {{ id: string; tenantId: string }} StoredRecord */
/** @typedef {Map<string, Map<string, Map<string, StoredRecord>>>} Collections collection → tenant → id → record */
/**
 * One change in a log entry: a put carries the record (whose `tenantId` and `id` say where it goes), a
 * delete says where. Lines written before this shape also carried `t` and `id` on puts; they replay the
 * same way.
 * @typedef {{ c: string; v: StoredRecord; t?: string; id?: string } | { c: string; t: string; id: string; v: null }} Change
 */
/** @typedef {{ seq: number; clear?: true; changes: Change[] }} LogEntry */
/**
 * Format 2 keeps each tenant's records as an array, in insertion order. Format 1 (still read) kept them
 * in an object keyed by id, where JSON.parse puts integer-like ids first.
 * @typedef {{ format: 'card-sandbox/2' | 'card-sandbox/1'; seq: number; collections: Record<string, Record<string, StoredRecord[] | Record<string, StoredRecord>>> }} Snapshot
 */

/** Applies one log entry to the collections. */
export function applyEntry(/** @type {Collections} */ collections, /** @type {LogEntry} */ entry) {
  if (entry.clear) collections.clear();
  for (const change of entry.changes) {
    const v = change.v;
    if (v === null) {
      // A tenant or collection left empty is dropped, so that deleted tenants do not leave maps behind.
      const tenants = collections.get(change.c);
      const records = tenants?.get(change.t);
      if (!tenants || !records?.delete(change.id) || records.size > 0) continue;
      tenants.delete(change.t);
      if (tenants.size === 0) collections.delete(change.c);
      continue;
    }
    let tenants = collections.get(change.c);
    if (!tenants) collections.set(change.c, (tenants = new Map()));
    let records = tenants.get(v.tenantId);
    if (!records) tenants.set(v.tenantId, (records = new Map()));
    records.set(v.id, v);
  }
}

/**
 * Reads the snapshot at `path` into `collections` (lowdb's file adapter, compact JSON).
 * @returns {Promise<{ seq: number; bytes: number } | undefined>} undefined when there is none yet
 */
export async function readSnapshot(/** @type {string} */ path, /** @type {Collections} */ collections) {
  /** @type {Low<Snapshot | null>} */
  const db = new Low(new DataFile(path, { parse: (text) => JSON.parse(text), stringify: (data) => JSON.stringify(data) }), null);
  await db.read();
  const snapshot = db.data;
  if (!snapshot) return undefined;
  if (snapshot.format !== 'card-sandbox/2' && snapshot.format !== 'card-sandbox/1') throw new Error(`${path}: not a card-sandbox store`);
  for (const [c, byTenant] of Object.entries(snapshot.collections)) {
    /** @type {Map<string, Map<string, StoredRecord>>} */
    const tenants = new Map();
    for (const [t, records] of Object.entries(byTenant)) {
      const list = Array.isArray(records) ? records : Object.values(records);
      tenants.set(t, new Map(list.map((r) => [r.id, r])));
    }
    collections.set(c, tenants);
  }
  return { seq: snapshot.seq, bytes: statSync(path).size };
}

/** The log segments of the store at `dbPath`, oldest first. */
export function logSegments(/** @type {string} */ dbPath) {
  const dir = dirname(dbPath);
  const prefix = `${basename(dbPath)}.wal.`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && /^\d+$/.test(f.slice(prefix.length)))
    .map((f) => join(dir, f))
    .sort((a, b) => segmentNumber(a) - segmentNumber(b));
}

export function segmentNumber(/** @type {string} */ path) {
  return Number(path.slice(path.lastIndexOf('.') + 1));
}

/**
 * Applies the entries of one segment that come after `seq`, and returns the last seq applied (or `seq`).
 * The log ends at the first NUL (zeros laid ahead of it) or at a torn last line, which is a write that
 * was never acknowledged: with `truncateTorn` it is cut off the file, so that nothing is ever appended
 * after it.
 */
export function replaySegment(/** @type {string} */ segment, /** @type {Collections} */ collections, /** @type {number} */ seq, { truncateTorn = false } = {}) {
  let text = readFileSync(segment, 'utf8');
  const zeros = text.indexOf('\0');
  if (zeros >= 0) text = text.slice(0, zeros);
  let offset = 0;
  for (const line of text.split('\n')) {
    const end = offset + Buffer.byteLength(line) + 1;
    if (line.length > 0) {
      /** @type {LogEntry} */
      let entry;
      try {
        entry = JSON.parse(line);
      } catch {
        if (truncateTorn) truncateSync(segment, offset);
        return seq;
      }
      if (entry.seq > seq) {
        applyEntry(collections, entry);
        seq = entry.seq;
      }
    }
    offset = end;
  }
  return seq;
}

const SNAPSHOT_CHUNK = 1000;

/**
 * Writes a snapshot of `collections` (which nothing else changes meanwhile) in the file format lowdb reads
 * back (one JSON document), a chunk of records at a time with the event loop free in between. Temp file, fsync, rename, fsync of the folder: a crash
 * leaves the old snapshot or the new one. Returns its size in bytes.
 */
export async function writeSnapshot(/** @type {string} */ path, /** @type {number} */ seq, /** @type {Collections} */ collections) {
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w');
  let bytes = 0;
  const write = async (/** @type {string} */ text) => {
    bytes += (await file.write(text)).bytesWritten;
  };
  try {
    await write(`{"format":"card-sandbox/2","seq":${seq},"collections":{`);
    for (const [ci, [collection, tenants]] of [...collections].entries()) {
      await write(`${ci ? ',' : ''}${JSON.stringify(collection)}:{`);
      for (const [ti, [tenantId, byId]] of [...tenants].entries()) {
        await write(`${ti ? ',' : ''}${JSON.stringify(tenantId)}:[`);
        const records = [...byId.values()];
        for (let i = 0; i < records.length; i += SNAPSHOT_CHUNK) {
          const chunk = records.slice(i, i + SNAPSHOT_CHUNK).map((r) => JSON.stringify(r));
          await write(`${i ? ',' : ''}${chunk.join(',')}`);
        }
        await write(']');
      }
      await write('}');
    }
    await write('}}');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
  const folder = await open(dirname(path), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return bytes;
}

/**
 * A compaction from the files alone: the snapshot at `path` plus the given (sealed) log segments become a
 * new snapshot. Run in the compaction worker, so that serialising the store never holds up requests.
 * @returns {Promise<{ seq: number; bytes: number }>}
 */
export async function compactFiles(/** @type {string} */ path, /** @type {string[]} */ segments) {
  /** @type {Collections} */
  const collections = new Map();
  let seq = (await readSnapshot(path, collections))?.seq ?? 0;
  for (const segment of segments) seq = replaySegment(segment, collections, seq);
  const bytes = await writeSnapshot(path, seq, collections);
  return { seq, bytes };
}
