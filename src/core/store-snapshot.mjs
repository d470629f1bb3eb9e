// @ts-check
/**
 * The store's snapshot: read at start (in format 3 a line at a time; formats 1 and 2, written by earlier
 * versions, whole), written in bounded chunks (by the store, from its records in memory), and compacted
 * from the files alone (snapshot + sealed log segments, see store-entries.mjs; the crash tests lay down
 * a compaction's steps with it). Plain JavaScript, type-checked from its JSDoc, like store-entries.mjs.
 *
 *   <db>          the snapshot (format 3): a header line {"format":"card-sandbox/3","seq":n}, one line
 *                 per record ["<collection>",{record}], and a trailer {"records":n} that says it is whole
 *   <db>.tmp      a snapshot being written; renamed over <db> once whole and synced
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readLines, replaySegment } from './store-entries.mjs';

/** @typedef {import('./store-entries.mjs').StoredRecord} StoredRecord */
/** @typedef {import('./store-entries.mjs').Collections} Collections */
/** @typedef {import('./store-entries.mjs').ReadOptions} ReadOptions */

export const FORMAT = 'card-sandbox/3';
/** The snapshot writer hands the file this many characters at a time. */
const WRITE_CHUNK_CHARS = 1024 * 1024;

/**
 * Reads the snapshot at `path` into `collections`, a line at a time.
 * @returns {{ seq: number; bytes: number } | undefined} undefined when there is none yet
 */
export function readSnapshot(/** @type {string} */ path, /** @type {Collections} */ collections, /** @type {ReadOptions} */ options = {}) {
  /** @type {number} */
  let fd;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return undefined;
    throw error;
  }
  const head = Buffer.alloc(64);
  let headBytes;
  try {
    headBytes = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const bytes = statSync(path).size;
  if (!head.subarray(0, headBytes).toString('latin1').startsWith(`{"format":"${FORMAT}"`)) {
    return { seq: readLegacySnapshot(path, collections), bytes };
  }
  let seq = -1;
  let count = 0;
  /** @type {number | undefined} */
  let trailer;
  let collection = '';
  /** @type {Map<string, Map<string, StoredRecord>> | undefined} */
  let tenants;
  let tenantId = '';
  /** @type {Map<string, StoredRecord> | undefined} */
  let records;
  for (const line of readLines(path, options)) {
    if (!line.complete) break; // cut short: no trailer
    if (seq < 0) {
      seq = /** @type {{ seq: number }} */ (JSON.parse(line.text)).seq;
      continue;
    }
    if (!line.text.startsWith('[')) {
      trailer = /** @type {{ records: number }} */ (JSON.parse(line.text)).records;
      break;
    }
    const [c, record] = /** @type {[string, StoredRecord]} */ (JSON.parse(line.text));
    if (c !== collection || !tenants) {
      collection = c;
      tenants = collections.get(c);
      if (!tenants) collections.set(c, (tenants = new Map()));
      records = undefined;
    }
    if (record.tenantId !== tenantId || !records) {
      tenantId = record.tenantId;
      records = tenants.get(tenantId);
      if (!records) tenants.set(tenantId, (records = new Map()));
    }
    records.set(record.id, record);
    count++;
  }
  if (trailer !== count)
    throw new Error(`${path}: the snapshot is cut short (${count} records read, ${trailer === undefined ? 'no trailer' : `its trailer says ${trailer}`})`);
  return { seq, bytes };
}

/**
 * Formats 1 and 2, written by earlier versions as one JSON document, are read whole: so they load only
 * while under V8's string limit (~512 MiB), as they did in those versions. The first compaction rewrites
 * the store as format 3, which is read a line at a time. Format 2 keeps each tenant's records as an
 * array in insertion order; format 1 kept them in an object keyed by id (JSON.parse puts integer-like
 * ids first). Returns the snapshot's seq.
 * @returns {number}
 */
function readLegacySnapshot(/** @type {string} */ path, /** @type {Collections} */ collections) {
  /** @type {{ format: string; seq: number; collections: Record<string, Record<string, StoredRecord[] | Record<string, StoredRecord>>> }} */
  const snapshot = JSON.parse(readFileSync(path, 'utf8'));
  if (snapshot?.format !== 'card-sandbox/2' && snapshot?.format !== 'card-sandbox/1') throw new Error(`${path}: not a card-sandbox store`);
  for (const [c, byTenant] of Object.entries(snapshot.collections)) {
    /** @type {Map<string, Map<string, StoredRecord>>} */
    const tenants = new Map();
    for (const [t, records] of Object.entries(byTenant)) {
      const list = Array.isArray(records) ? records : Object.values(records);
      tenants.set(t, new Map(list.map((r) => [r.id, r])));
    }
    collections.set(c, tenants);
  }
  return snapshot.seq;
}

/**
 * Writes a snapshot of `collections` (which nothing else changes meanwhile: the store hands a view of
 * its records, an array per tenant) in format 3, a chunk of lines at a time, awaiting each write so that
 * the event loop turns between chunks. Temp file (mode 0600: records hold keys and card data), fsync, rename, fsync of the
 * folder: a crash leaves the old snapshot or the new one. Returns its size in bytes.
 */
export async function writeSnapshot(
  /** @type {string} */ path,
  /** @type {number} */ seq,
  /** @type {ReadonlyMap<string, ReadonlyMap<string, ReadonlyMap<string, StoredRecord> | readonly StoredRecord[]>>} */ collections,
) {
  const temp = `${path}.tmp`;
  const file = await open(temp, 'w', 0o600);
  let bytes = 0;
  let count = 0;
  /** @type {string[]} */
  let pending = [];
  let pendingChars = 0;
  const flush = async () => {
    const data = Buffer.from(pending.join(''));
    pending = [];
    pendingChars = 0;
    for (let done = 0; done < data.length;) done += (await file.write(data, done, data.length - done)).bytesWritten;
    bytes += data.length;
  };
  const line = async (/** @type {string} */ text) => {
    pending.push(text);
    pendingChars += text.length;
    if (pendingChars >= WRITE_CHUNK_CHARS) await flush();
  };
  try {
    await file.chmod(0o600); // a temp file left by an earlier version may have other modes
    await line(`${JSON.stringify({ format: FORMAT, seq })}\n`);
    for (const [collection, tenants] of collections) {
      const prefix = `[${JSON.stringify(collection)},`;
      for (const records of tenants.values()) {
        for (const record of records.values()) {
          await line(`${prefix}${JSON.stringify(record)}]\n`);
          count++;
        }
      }
    }
    await line(`${JSON.stringify({ records: count })}\n`);
    await flush();
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
 * new snapshot. The store compacts from memory (see StoreDisk#compact); this serves tools and the crash tests.
 * @returns {Promise<{ seq: number; bytes: number }>}
 */
export async function compactFiles(/** @type {string} */ path, /** @type {string[]} */ segments, /** @type {ReadOptions} */ options = {}) {
  /** @type {Collections} */
  const collections = new Map();
  let seq = readSnapshot(path, collections, options)?.seq ?? 0;
  for (const segment of segments) seq = replaySegment(segment, collections, seq, options).seq;
  const bytes = await writeSnapshot(path, seq, collections);
  return { seq, bytes };
}
