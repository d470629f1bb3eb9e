/** A reader of server-sent events for tests: GET /__sandbox/requests/stream read in the background. */
export interface Sse {
  events: Array<{ id?: string; event?: string; data: any }>;
  comments: string[];
  done: boolean;
}

/** Opens the stream and reads it in the background; `until` waits for a condition on what arrived. */
export async function openSse(url: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const seen: Sse = { events: [], comments: [], done: false };
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: Sse['events'][number] = { data: undefined };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) seen.comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) event.id = line.slice(4);
            else if (line.startsWith('event: ')) event.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              event.data = JSON.parse(line.slice(6));
              isEvent = true;
            }
          }
          if (isEvent) seen.events.push(event);
        }
        wake();
      }
    } catch {
      // aborted by the test
    }
    seen.done = true;
    wake();
  })();
  const until = async (test: (s: Sse) => boolean) => {
    while (!test(seen)) {
      if (seen.done) throw new Error(`the stream ended first: ${JSON.stringify(seen)}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
    return seen;
  };
  return { res, seen, until, close: () => abort.abort(), reading };
}
