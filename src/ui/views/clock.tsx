/** The sandbox clock: system or frozen, set it, advance it by a duration, and what fell due meanwhile. */
import { useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { Badge, ErrorNote, Field, fire, time, useLoad } from '../components.js';
import type { Clock, ClockChange, RanJob as Job } from '../types.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h30m", "2d" or a plain number of milliseconds; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const parts = [...trimmed.matchAll(/(\d+)\s*(ms|s|m|h|d)/g)];
  if (
    parts.length === 0 ||
    parts
      .map((p) => p[0])
      .join('')
      .replace(/\s/g, '') !== trimmed.replace(/\s/g, '')
  )
    return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
}

export function ClockPanel() {
  const clock = useLoad(() => get<Clock>('/clock'), []);
  const [answer, setAnswer] = useState<{ before: number; clock: ClockChange }>();
  const [error, setError] = useState<unknown>();
  const [duration, setDuration] = useState('1h');
  const [at, setAt] = useState('');
  const change = async (body: Record<string, unknown>) => {
    setError(undefined);
    try {
      const before = clock.data?.now ?? 0;
      const next = await post<ClockChange>('/clock', body);
      setAnswer({ before, clock: next });
      clock.reload();
    } catch (e) {
      setError(e);
    }
  };
  const advance = (event: Event) => {
    event.preventDefault();
    const ms = parseDuration(duration);
    if (ms === undefined) setError(new Error(`"${duration}" is not a duration: write 90s, 15m, 1h30m, 2d or milliseconds`));
    else fire(change({ advanceMs: ms }));
  };
  const set = (event: Event) => {
    event.preventDefault();
    const ms = Date.parse(`${at}Z`);
    if (Number.isNaN(ms)) setError(new Error('choose a date and time (UTC)'));
    else fire(change({ now: ms }));
  };
  const c = clock.data;
  return (
    <section aria-labelledby="clock-h" class="panel">
      <h2 id="clock-h">Clock</h2>
      {c && (
        <dl class="facts">
          <dt>Mode</dt>
          <dd>
            <Badge state={c.mode} />
          </dd>
          <dt>Now</dt>
          <dd>
            <time data-clock-now={c.now}>{time(c.now)}</time>
          </dd>
        </dl>
      )}
      <div class="row">
        <button type="button" onClick={() => fire(change({ mode: 'frozen' }))} disabled={c?.mode === 'frozen'}>
          Freeze
        </button>
        <button type="button" onClick={() => fire(change({ mode: 'system' }))} disabled={c?.mode === 'system'}>
          Use system time
        </button>
      </div>
      <form class="inline-form" onSubmit={advance}>
        <Field label="Advance by" hint="90s, 15m, 1h30m, 2d">
          <input name="advance" value={duration} onInput={(e) => setDuration(e.currentTarget.value)} size={8} />
        </Field>
        <button type="submit" disabled={c?.mode !== 'frozen'}>
          Advance
        </button>
      </form>
      <form class="inline-form" onSubmit={set}>
        <Field label="Set to (UTC)">
          <input type="datetime-local" name="at" step={1} value={at} onInput={(e) => setAt(e.currentTarget.value)} />
        </Field>
        <button type="submit">Set and freeze</button>
      </form>
      {c?.mode !== 'frozen' && <p class="hint">Freeze the clock to advance it.</p>}
      {error !== undefined && <ErrorNote error={error} />}
      <div role="status" aria-live="polite">
        {answer && <Ran before={answer.before} clock={answer.clock} />}
      </div>
    </section>
  );
}

function Ran({ before, clock }: { before: number; clock: ClockChange }) {
  const ran = clock.ran;
  return (
    <div class="ran">
      <p>
        The clock moved from {time(before)} to {time(clock.now)}.
        {ran === undefined ? '' : ran.length === 0 ? ' Nothing fell due.' : ` ${ran.length} job${ran.length === 1 ? '' : 's'} fell due:`}
      </p>
      {ran && ran.length > 0 && (
        <ul class="ran-list">
          {ran.map((job, i) => (
            <li key={i}>
              <RanJob job={job} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** One thing that ran: a settlement (its job and record), a webhook attempt (its answer and next retry), or another job. */
function RanJob({ job }: { job: Job }) {
  const text = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return (
    <span data-ran={text(job.kind)}>
      <time>{time(job.at as number)}</time> <strong>{text(job.kind)}</strong> <code>{text(job.job)}</code>
      {job.tenant ? <span class="muted"> {text(job.tenant)}</span> : null}
      {job.kind === 'webhook' ? (
        <>
          {' '}
          {text(job.event)} attempt {text(job.attempt)}{' '}
          {job.status !== null && job.status !== undefined && <Badge state={job.status as number} label="HTTP status" />}{' '}
          {job.state !== undefined && <Badge state={text(job.state)} />}
          {job.error ? <span class="diagnostic"> {text(job.error)}</span> : null}
          {typeof job.nextAttemptAt === 'number' && <span class="muted"> next retry {time(job.nextAttemptAt)}</span>}
        </>
      ) : (
        job.payload !== undefined && <code class="muted"> {text(job.payload)}</code>
      )}
      {job.error && job.kind !== 'webhook' ? <span class="diagnostic"> {text(job.error)}</span> : null}
    </span>
  );
}
