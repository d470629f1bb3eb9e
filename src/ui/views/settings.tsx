/**
 * A merchant's settings in the Overview's merchants table, in a row of their own under the merchant's:
 * each setting its vendor declares with the merchant's value, the default and what it does (GET
 * /__sandbox/tenants), changed one at a time in place (PATCH /__sandbox/tenants/<id> {"settings"}). The
 * page checks nothing itself: the control plane decides, and a refusal is shown with its diagnostic.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { patch } from '../api.js';
import { Choice, Field, OutcomeNote, useAction } from '../components.js';
import type { SettingRule, Tenant } from '../types.js';

/** The merchants-table cell that shows or hides the merchant's settings row (with how many it changed). */
export function SettingsToggle({
  tenant,
  rules,
  open,
  controls,
  onToggle,
}: {
  tenant: Tenant;
  rules: Record<string, SettingRule>;
  open: boolean;
  controls: string;
  onToggle: () => void;
}) {
  const names = Object.keys(rules);
  if (names.length === 0) return <span class="muted">none</span>;
  const changed = names.filter((name) => Object.hasOwn(tenant.settings, name) && tenant.settings[name] !== rules[name]!.default).length;
  return (
    <button type="button" class="small" aria-expanded={open} aria-controls={controls} onClick={onToggle}>
      <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>
      {names.length} setting{names.length === 1 ? '' : 's'}
      <span class="visually-hidden"> of {tenant.id}</span>
      {changed > 0 && `, ${changed} changed`}
    </button>
  );
}

/** The row under a merchant's, across the table: each of its settings, changed in place. */
export function SettingsRow({
  id,
  tenant,
  rules,
  columns,
  onChanged,
}: {
  id: string;
  tenant: Tenant;
  rules: Record<string, SettingRule>;
  columns: number;
  onChanged: () => void;
}) {
  return (
    <tr id={id} class="settings-row" data-settings={tenant.id}>
      <td colSpan={columns}>
        <section aria-label={`Settings of ${tenant.id}`}>
          <dl class="settings">
            {Object.keys(rules).map((name) => (
              <Setting key={name} tenant={tenant} name={name} rule={rules[name]!} onChanged={onChanged} />
            ))}
          </dl>
        </section>
      </td>
    </tr>
  );
}

function Setting({ tenant, name, rule, onChanged }: { tenant: Tenant; name: string; rule: SettingRule; onChanged: () => void }) {
  const own = Object.hasOwn(tenant.settings, name);
  const value = own ? tenant.settings[name] : rule.default;
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [outcome, busy, run] = useAction();
  const form = useRef<HTMLFormElement>(null);
  const change = useRef<HTMLButtonElement>(null);
  const label = `${name} of ${tenant.id}`;
  useEffect(() => {
    // Focus on the value, selected, so that typing replaces it.
    const control = editing ? form.current?.querySelector<HTMLInputElement | HTMLSelectElement>('input, select') : null;
    control?.focus();
    if (control instanceof HTMLInputElement) control.select();
  }, [editing]);
  const edit = () => {
    setText(value === null || value === undefined ? '' : String(value));
    setEditing(true);
  };
  const close = () => {
    setEditing(false);
    setTimeout(() => change.current?.focus());
  };
  const save = (event: Event) => {
    event.preventDefault();
    const sent = parse(rule, text);
    run(async () => {
      await patch(`/tenants/${encodeURIComponent(tenant.id)}`, { settings: { [name]: sent } });
      close();
      onChanged();
      return `${tenant.id}: ${name} is now ${shown(sent)}.`;
    });
  };
  return (
    <div data-setting={name}>
      <dt>
        <code>{name}</code>
      </dt>
      <dd>
        {editing ? (
          <form class="row" ref={form} onSubmit={save} noValidate>
            {rule.type === 'enum' ? (
              <Choice label={label} name={name} value={text} options={rule.values} onChange={(v) => setText(v ?? '')} />
            ) : (
              <Field label={label} hint={rule.nullable ? 'empty for null' : undefined}>
                <input type="number" step={1} name={name} value={text} size={12} onInput={(e) => setText(e.currentTarget.value)} />
              </Field>
            )}
            <button type="submit" class="small" disabled={busy}>
              Save
            </button>
            <button type="button" class="small" onClick={close}>
              Cancel
            </button>
          </form>
        ) : (
          <span class="secret">
            <code class="setting-value">{shown(value)}</code>
            {!own && <span class="muted">(the default)</span>}
            <button type="button" class="small" ref={change} aria-label={`Change ${label}`} onClick={edit}>
              Change
            </button>
          </span>
        )}
        <OutcomeNote outcome={outcome} />
      </dd>
      <dd class="setting-doc">
        <span class="muted">
          {describe(rule)}; default <code>{shown(rule.default)}</code>.
        </span>{' '}
        {rule.doc}
      </dd>
    </div>
  );
}

/** What the control plane is sent: an integer setting's text as a number (empty: null), an enum's as is; it judges the value. */
function parse(rule: SettingRule, text: string): unknown {
  if (rule.type === 'enum') return text;
  const trimmed = text.trim();
  return trimmed === '' ? null : Number(trimmed);
}

function shown(value: unknown): string {
  return value === null || value === undefined ? 'null' : String(value);
}

/** The rule in words, as docs/scenarios-and-tenants.md lists it. */
function describe(rule: SettingRule): string {
  if (rule.type === 'enum') return `one of ${rule.values.join(', ')}`;
  const range = rule.max === undefined ? `an integer ≥ ${rule.min ?? 0}` : `an integer from ${rule.min ?? 0} to ${rule.max}`;
  return rule.nullable ? `${range}, or null` : range;
}
