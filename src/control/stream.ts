/**
 * Large control-plane answers (snapshots, listings) written as they are made: JSON text a piece at a
 * time, in bounded batches, with the event loop free between batches and the client's pace respected
 * (a batch waits for 'drain' when the socket's buffer is full). No step holds the whole answer.
 */
import type { Response } from 'express';
import { once } from 'node:events';
import { setImmediate } from 'node:timers/promises';

/** Characters gathered before one write. */
const BATCH_CHARS = 64 * 1024;

/**
 * Sends `pieces` (JSON text whose concatenation is the answer) as a 200 application/json answer. A
 * failure once the answer has begun cannot become an error answer: the connection is cut, so that the
 * client sees a broken answer rather than a short one that parses.
 */
export async function sendJsonPieces(res: Response, pieces: Iterable<string> | AsyncIterable<string>): Promise<void> {
  res.status(200).type('application/json; charset=utf-8');
  let batch = '';
  try {
    for await (const piece of pieces) {
      batch += piece;
      if (batch.length < BATCH_CHARS) continue;
      if (!(await write(res, batch))) return;
      batch = '';
    }
    res.end(batch);
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error as Error);
  }
}

/** Writes one batch; waits for the socket to drain if need be, and lets the event loop turn. False once the client is gone. */
async function write(res: Response, text: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (res.write(text)) await setImmediate();
  else {
    const settled = new AbortController();
    await Promise.race([once(res, 'drain', { signal: settled.signal }), once(res, 'close', { signal: settled.signal })]);
    settled.abort();
  }
  return !res.destroyed;
}

/** `{"<key>":[` + each item's JSON + `]}`, a piece at a time. */
export function* jsonList(key: string, items: Iterable<unknown>): Generator<string> {
  yield `{${JSON.stringify(key)}:[`;
  let first = true;
  for (const item of items) {
    yield `${first ? '' : ','}${JSON.stringify(item)}`;
    first = false;
  }
  yield ']}';
}

/** The same over items read as they come (a database's pages). */
export async function* jsonListAsync(key: string, items: AsyncIterable<unknown>): AsyncGenerator<string> {
  yield `{${JSON.stringify(key)}:[`;
  let first = true;
  for await (const item of items) {
    yield `${first ? '' : ','}${JSON.stringify(item)}`;
    first = false;
  }
  yield ']}';
}
