// @ts-check
/**
 * The store's files, read and written the same way by the store itself (at start) and by the compaction
 * worker (src/core/compact-worker.mjs), which cannot load TypeScript: so this module is plain JavaScript,
 * type-checked from its JSDoc.
 *
 *   <db>          the snapshot (format 3): a header line {"format":"card-sandbox/3","seq":n}, one line
 *                 per record ["<collection>",{record}], and a trailer {"records":n} that says it is whole
 *   <db>.wal.<n>  log segments: one JSON line per committed transaction (a large one is cut into "part"
 *                 lines that count only once its last line is there), possibly followed by zeros laid
 *                 ahead of the log (durability 'fsync'); a torn last line is a write never acknowledged
 *   <db>.tmp      a snapshot being written; renamed over <db> once whole and synced
 *
 * Every file is read line by line through a fixed buffer and written in bounded chunks, so that no
 * string or buffer grows with the store or a segment (V8 cannot build a string past ~512 MiB): only a
 * single line is held whole, and lines are bounded by the records in them.
 */
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, truncateSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** @typedef {{ id: string; tenantId: string }} StoredRecord */
/** @typedef {Map<string, Map<string, Map<string, StoredRecord>>>} Collections collection → tenant → id → record */
/**
 * One change in a log entry: a put carries the record (whose `tenantId` and `id` say where it goes), a
 * delete says where. Lines written before this shape also carried `t` and `id` on puts; they replay the
 * same way.
 * @typedef {{ c: string; v: StoredRecord; t?: string; id?: string } | { c: string; t: string; id: string; v: null }} Change
 */
/** @typedef {{ seq: number; clear?: true; changes: Change[] }} LogEntry */
/** What an entry replaced, newest last: a record's previous value (undefined: there was none) or, for a clear, every collection. */
/**
 * What `applyEntry` replaced, step by step: a record's value before, the collections before a clear, or the
 * order of a tenant's records before a delete (a record put back would otherwise go to the end).
 * @typedef {Array<{ c: string; t: string; id: string; before: StoredRecord | undefined } | { cleared: Collections } | { c: string; t: string; order: string[] }>} Undo
 */
/** @typedef {{ bufferBytes?: number; maxLineBytes?: number }} ReadOptions */

export const FORMAT = 'card-sandbox/3';
/** Bytes read from a file at a time. */
export const READ_BUFFER_BYTES = 1024 * 1024;
/**
 * The longest line read: a record can hold a whole request body (16 MB, up to 6× that once JSON-escaped),
 * and a string of this length is still well below V8's limit.
 */
const MAX_LINE_BYTES = 256 * 1024 * 1024;
/** A log line holds changes up to about this many characters (a single larger change gets a line of its own). */
const ENTRY_LINE_CHARS = 1024 * 1024;
/** The snapshot writer hands the file this many characters at a time. */
const WRITE_CHUNK_CHARS = 1024 * 1024;

/** Applies one log entry to the collections; with `undo`, records what it replaced there. */
export function applyEntry(/** @type {Collections} */ collections, /** @type {LogEntry} */ entry, /** @type {Undo | undefined} */ undo = undefined) {
  if (entry.clear) {
    undo?.push({ cleared: new Map(collections) });
    collections.clear();
  }
  /** @type {Set<string> | undefined} the tenants' collections whose order `undo` holds already */
  let ordered;
  for (const change of entry.changes) {
    const v = change.v;
    const t = v === null ? change.t : v.tenantId;
    const id = v === null ? change.id : v.id;
    if (v === null) {
      // A tenant or collection left empty is dropped, so that deleted tenants do not leave maps behind.
      const tenants = collections.get(change.c);
      const records = tenants?.get(t);
      const before = records?.get(id);
      if (!tenants || !records || before === undefined) continue;
      if (undo) {
        if (!ordered?.has(`${change.c}\0${t}`)) {
          (ordered ??= new Set()).add(`${change.c}\0${t}`);
          undo.push({ c: change.c, t, order: [...records.keys()] });
        }
        undo.push({ c: change.c, t, id, before });
      }
      records.delete(id);
      if (records.size > 0) continue;
      tenants.delete(t);
      if (tenants.size === 0) collections.delete(change.c);
      continue;
    }
    const records = recordsOf(collections, change.c, t);
    undo?.push({ c: change.c, t, id, before: records.get(id) });
    records.set(id, v);
  }
}

/** The records of tenant `t` in collection `c`, their maps made if need be. */
function recordsOf(/** @type {Collections} */ collections, /** @type {string} */ c, /** @type {string} */ t) {
  let tenants = collections.get(c);
  if (!tenants) collections.set(c, (tenants = new Map()));
  let records = tenants.get(t);
  if (!records) tenants.set(t, (records = new Map()));
  return records;
}

/** Puts back what `applyEntry` recorded in `undo`, newest step first: each record in its place. */
export function undoEntry(/** @type {Collections} */ collections, /** @type {Undo} */ undo) {
  for (let i = undo.length - 1; i >= 0; i--) {
    const step = undo[i];
    if ('cleared' in step) {
      collections.clear();
      for (const [c, tenants] of step.cleared) collections.set(c, tenants);
      continue;
    }
    if ('order' in step) {
      const records = collections.get(step.c)?.get(step.t);
      if (!records) continue;
      const current = new Map(records);
      records.clear();
      for (const id of step.order) {
        const record = current.get(id);
        if (record !== undefined) records.set(id, record);
      }
      continue;
    }
    if (step.before !== undefined) {
      recordsOf(collections, step.c, step.t).set(step.id, step.before);
      continue;
    }
    const tenants = collections.get(step.c);
    const records = tenants?.get(step.t);
    if (!tenants || !records) continue;
    records.delete(step.id);
    if (records.size > 0) continue;
    tenants.delete(step.t);
    if (tenants.size === 0) collections.delete(step.c);
  }
}

/**
 * The lines of a file, read through one buffer of `bufferBytes`, up to the first NUL (zeros laid ahead
 * of a log). Each line comes with the byte offsets of its start and end (after its newline); a last line
 * with no newline comes with `complete: false`.
 * @returns {Generator<{ text: string; start: number; end: number; complete: boolean }>}
 */
export function* readLines(/** @type {string} */ path, /** @type {ReadOptions} */ { bufferBytes = READ_BUFFER_BYTES, maxLineBytes = MAX_LINE_BYTES } = {}) {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(bufferBytes);
    /** @type {Buffer[]} the start of a line that began in an earlier read */
    let parts = [];
    let partBytes = 0;
    let start = 0;
    let position = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, bufferBytes, position);
      if (read === 0) break;
      let chunk = buffer.subarray(0, read);
      const nul = chunk.indexOf(0);
      if (nul >= 0) chunk = chunk.subarray(0, nul);
      let from = 0;
      for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, from)) {
        const piece = chunk.subarray(from, nl);
        const text = (parts.length > 0 ? Buffer.concat([...parts, piece]) : piece).toString('utf8');
        parts = [];
        partBytes = 0;
        from = nl + 1;
        yield { text, start, end: position + from, complete: true };
        start = position + from;
      }
      if (from < chunk.length) {
        partBytes += chunk.length - from;
        if (partBytes > maxLineBytes) throw new Error(`${path}: the line at byte ${start} is longer than ${maxLineBytes} bytes`);
        parts.push(Buffer.from(chunk.subarray(from)));
      }
      if (nul >= 0) break;
      position += read;
    }
    if (parts.length > 0) yield { text: Buffer.concat(parts).toString('utf8'), start, end: start + partBytes, complete: false };
  } finally {
    closeSync(fd);
  }
}

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
  if (trailer !== count) throw new Error(`${path}: the snapshot is cut short (${count} records read, ${trailer === undefined ? 'no trailer' : `its trailer says ${trailer}`})`);
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

/** The log lines of one entry: one line, or "part" lines (each up to about ENTRY_LINE_CHARS) and a last line. */
export function entryLines(/** @type {LogEntry} */ entry, maxLineChars = ENTRY_LINE_CHARS) {
  const head = `{"seq":${entry.seq}${entry.clear ? ',"clear":true' : ''}`;
  /** @type {string[]} */
  const lines = [];
  /** @type {string[]} */
  let batch = [];
  let chars = 0;
  for (const change of entry.changes) {
    const text = JSON.stringify(change);
    if (batch.length > 0 && chars + text.length > maxLineChars) {
      lines.push(`${head},"part":true,"changes":[${batch.join(',')}]}\n`);
      batch = [];
      chars = 0;
    }
    batch.push(text);
    chars += text.length + 1;
  }
  lines.push(`${head},"changes":[${batch.join(',')}]}\n`);
  return lines;
}

/**
 * Applies the entries of one segment that come after `seq`, a line at a time, and returns the last seq
 * applied (or `seq`) and where the log ends in the file. The log ends at the first NUL (zeros laid ahead
 * of it), at a torn last line, or before the parts of an entry whose last line never came: a write that
 * was never acknowledged. With `truncateTorn` that is cut off the file, so that nothing is ever appended
 * after it.
 */
export function replaySegment(/** @type {string} */ segment, /** @type {Collections} */ collections, /** @type {number} */ seq, /** @type {ReadOptions & { truncateTorn?: boolean }} */ { truncateTorn = false, ...options } = {}) {
  /** @type {{ seq: number; start: number; clear: boolean; changes: Change[] } | undefined} */
  let group;
  let end = 0;
  const cut = (/** @type {number} */ at) => {
    if (truncateTorn) truncateSync(segment, at);
    return { seq, bytes: at };
  };
  for (const line of readLines(segment, options)) {
    if (line.text.length === 0) {
      end = line.end;
      continue;
    }
    /** @type {LogEntry & { part?: true }} */
    let entry;
    try {
      entry = JSON.parse(line.text);
    } catch {
      return cut(group?.start ?? line.start);
    }
    if (group && group.seq !== entry.seq) return cut(group.start);
    if (entry.part) {
      group ??= { seq: entry.seq, start: line.start, clear: false, changes: [] };
      group.clear ||= entry.clear === true;
      for (const change of entry.changes) group.changes.push(change);
      continue;
    }
    if (group) {
      for (const change of entry.changes) group.changes.push(change);
      entry = { seq: entry.seq, changes: group.changes, ...(group.clear || entry.clear ? { clear: true } : {}) };
      group = undefined;
    }
    if (entry.seq > seq) {
      applyEntry(collections, entry);
      seq = entry.seq;
    }
    end = line.end;
  }
  return group ? cut(group.start) : { seq, bytes: end };
}

/**
 * Writes a snapshot of `collections` (which nothing else changes meanwhile) in format 3, a chunk of
 * lines at a time. Temp file (mode 0600: records hold keys and card data), fsync, rename, fsync of the
 * folder: a crash leaves the old snapshot or the new one. Returns its size in bytes.
 */
export async function writeSnapshot(/** @type {string} */ path, /** @type {number} */ seq, /** @type {Collections} */ collections) {
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
    for (let done = 0; done < data.length; ) done += (await file.write(data, done, data.length - done)).bytesWritten;
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
 * new snapshot. Run in the compaction worker, so that serialising the store never holds up requests.
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
