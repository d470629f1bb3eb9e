// @ts-check
/**
 * The log's entries: their lines in the segments `<db>.wal.<n>`, how a segment is read back, and how an
 * entry is applied to the collections in memory (and undone). Plain JavaScript, type-checked from its
 * JSDoc. Appending the lines is store-log.ts's; the snapshot is store-snapshot.mjs's.
 *
 *   <db>.wal.<n>  one JSON line per committed transaction (a large one is cut into "part" lines that
 *                 count only once its last line is there), possibly followed by zeros laid ahead of the
 *                 log (durability 'fsync'); a torn last line is a write never acknowledged
 *
 * Every store file is read line by line through a fixed buffer (readLines, which the snapshot's reader
 * uses too), so that no string or buffer grows with the store or a segment (V8 cannot build a string
 * past ~512 MiB): only a single line is held whole, and lines are bounded by the records in them.
 */
import { closeSync, openSync, readdirSync, readSync, truncateSync } from 'node:fs';
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
/**
 * What `applyEntry` replaced, step by step: a record's value before, the collections before a clear, or the
 * order of a tenant's records before a delete (a record put back would otherwise go to the end).
 * @typedef {Array<{ c: string; t: string; id: string; before: StoredRecord | undefined } | { cleared: Collections } | { c: string; t: string; order: string[] }>} Undo
 */
/** @typedef {{ bufferBytes?: number; maxLineBytes?: number }} ReadOptions */

/** Bytes read from a file at a time. */
export const READ_BUFFER_BYTES = 1024 * 1024;
/**
 * The longest line read: a record can hold a whole request body (16 MB, up to 6× that once JSON-escaped),
 * and a string of this length is still well below V8's limit.
 */
const MAX_LINE_BYTES = 256 * 1024 * 1024;
/** A log line holds changes up to about this many characters (a single larger change gets a line of its own). */
const ENTRY_LINE_CHARS = 1024 * 1024;

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
export function replaySegment(
  /** @type {string} */ segment,
  /** @type {Collections} */ collections,
  /** @type {number} */ seq,
  /** @type {ReadOptions & { truncateTorn?: boolean }} */ { truncateTorn = false, ...options } = {},
) {
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
