/** Small pieces every view uses: loading, errors, badges, copy buttons, hidden secrets, times, JSON. */
import { cloneElement, type ComponentChildren, type VNode } from 'preact';
import { useCallback, useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when `deps` change and on reload(); the last answer wins. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const run = ++latest.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => run === latest.current && setState({ data, loading: false }),
      (error: unknown) => run === latest.current && setState({ error, loading: false }),
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** An action's outcome for a live region: what happened, or why it was refused. */
export type Outcome = { ok: true; text: string } | { ok: false; error: unknown } | undefined;

/** Runs an action, remembering its outcome (what it says it did, or its failure) and whether it is running. */
export function useAction(): [Outcome, boolean, (work: () => Promise<string>) => void] {
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);
  const run = useCallback((work: () => Promise<string>) => {
    setBusy(true);
    work().then(
      (text) => {
        setOutcome({ ok: true, text });
        setBusy(false);
      },
      (error: unknown) => {
        setOutcome({ ok: false, error });
        setBusy(false);
      },
    );
  }, []);
  return [outcome, busy, run];
}

/** Starts async work from an event handler; the work shows its own failures, so what escapes is a bug, logged. */
export function fire(work: Promise<unknown>): void {
  work.then(undefined, (error: unknown) => console.error(error));
}

export function OutcomeNote({ outcome }: { outcome: Outcome }) {
  return (
    <div class="outcome" role="status" aria-live="polite">
      {outcome?.ok === true && <p class="note note-ok">{outcome.text}</p>}
      {outcome?.ok === false && <ErrorNote error={outcome.error} />}
    </div>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (error instanceof ApiError)
    return (
      <div class="note note-error" role="alert">
        <p>
          <strong>{error.code}</strong>
          {error.field && (
            <>
              {' '}
              at <code class="pointer">{error.field}</code>
            </>
          )}
          : {error.message}
        </p>
        {error.diagnostic && error.diagnostic !== `${error.code}: ${error.message}` && <p class="diagnostic">{error.diagnostic}</p>}
      </div>
    );
  return (
    <div class="note note-error" role="alert">
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </div>
  );
}

/** A view's data: a loading line, an error, or the content. */
export function Loading<T>({ loaded, children }: { loaded: Loaded<T>; children: (data: T) => ComponentChildren }) {
  if (loaded.error !== undefined && loaded.data === undefined) return <ErrorNote error={loaded.error} />;
  if (loaded.data === undefined) return <p class="loading">Loading…</p>;
  return <>{children(loaded.data)}</>;
}

const TONES: Array<[RegExp, string]> = [
  [/^(active|ok|success|succeeded|s|delivered|approved|settled|cleared|completed|mailed|2\d\d)$/i, 'good'],
  [/^(frozen|pending|p|processing|retrying|opening|inactive|preparing|awaiting_kyc|cancelling|authorized|held|resubmit|reversed|refunded)$/i, 'wait'],
  [/^(failed|f|terminated|blocked|cancelled|declined|rejected|failing|card_issue|returned|replaced|error|[45]\d\d)$/i, 'bad'],
];

export function tone(state: string): string {
  return TONES.find(([pattern]) => pattern.test(state))?.[1] ?? 'plain';
}

/** A state as a coloured badge that also says it in words. */
export function Badge({ state, label }: { state: string | number | null | undefined; label?: string }) {
  const text = state === null || state === undefined || state === '' ? '—' : String(state);
  return (
    <span class={`badge badge-${tone(text)}`} title={label ? `${label}: ${text}` : undefined}>
      {text}
    </span>
  );
}

/** Sandbox milliseconds as an ISO time (UTC), without the milliseconds when they are zero. */
export function time(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('.000Z', 'Z').replace('T', ' ');
}

/** JSON, pretty-printed; focusable, since a long one scrolls and must scroll by keyboard too. */
export function Json({ value, label }: { value: unknown; label?: string }) {
  const text = typeof value === 'string' ? pretty(value) : JSON.stringify(value, null, 2);
  return (
    <pre class="json" tabIndex={0} aria-label={label}>
      {text}
    </pre>
  );
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Copies `value` to the clipboard; says so in a live region (the value itself is never shown). */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setSaid('Copied');
    } catch {
      setSaid('Copy failed: the browser refused the clipboard');
    }
    setTimeout(() => setSaid(''), 2000);
  };
  return (
    <>
      <button type="button" class="small" aria-label={`Copy ${label}`} onClick={() => fire(copy())}>
        Copy
      </button>
      <span class="copied" role="status">
        {said}
      </span>
    </>
  );
}

/** A credential: hidden until asked, copyable either way. */
export function Secret({ value, label }: { value: string; label: string }) {
  const [shown, setShown] = useState(false);
  return (
    <span class="secret">
      <code aria-label={shown ? label : `${label} (hidden)`}>{shown ? value : '•'.repeat(Math.min(12, value.length))}</code>
      <button type="button" class="small" aria-pressed={shown} aria-label={`${shown ? 'Hide' : 'Show'} ${label}`} onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
      </button>
      <CopyButton value={value} label={label} />
    </span>
  );
}

/**
 * A form control with its label (by `for`, so the control's name is the label alone, not the label plus
 * a select's options) and a hint the control is described by.
 */
export function Field({ label, children, hint }: { label: string; children: VNode<Record<string, unknown>>; hint?: string }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label class="field-label" for={id}>
        {label}
      </label>
      {cloneElement(children, { id, 'aria-describedby': hintId })}
      {hint && (
        <span class="hint" id={hintId}>
          {hint}
        </span>
      )}
    </div>
  );
}

/** Runs `tick` every `ms` while mounted. */
export function useInterval(tick: () => void, ms: number | null): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (ms === null) return;
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}

/** A labelled select of `options` (a value, or [value, text]); `all` adds a first, empty choice with that text. */
export function Choice(props: {
  label: string;
  name: string;
  value: string | undefined;
  options: ReadonlyArray<string | readonly [string, string]>;
  all?: string;
  hint?: string;
  onChange: (value: string | undefined) => void;
}) {
  return (
    <Field label={props.label} hint={props.hint}>
      <select name={props.name} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value || undefined)}>
        {props.all !== undefined && <option value="">{props.all}</option>}
        {props.options.map((o) => {
          const [value, text] = typeof o === 'string' ? [o, o] : o;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
    </Field>
  );
}

export type Column = string | { label: string; num?: boolean; hidden?: boolean };

/** A table with a caption for screen readers and one header row; a `hidden` column's header is for screen readers only. */
export function Table({ caption, columns, class: className, children }: { caption: string; columns: Column[]; class?: string; children: ComponentChildren }) {
  return (
    <table class={className}>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => {
            const { label, num, hidden } = typeof c === 'string' ? { label: c } : c;
            return (
              <th key={label} scope="col" class={num ? 'num' : undefined}>
                {hidden ? <span class="visually-hidden">{label}</span> : label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** The header of a column of buttons. */
export const ACTIONS: Column = { label: 'Actions', hidden: true };
