/**
 * Request bodies drawn from a contract: a fast-check arbitrary for any request schema in contracts/
 * (the subset of JSON Schema they use: $ref, enum, const, union types, string length, pattern and
 * format, integer and number bounds, objects with required fields, arrays). The values are valid in
 * shape, not in meaning: ids name nothing, so most operations answer a business error.
 */
import fc from 'fast-check';
import type { Contracts } from '../../src/core/contracts.js';

export interface Schema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  maxProperties?: number;
}

/** The schema a `$ref` in `id`'s file points at (`common#/definitions/x`, `#/definitions/y`). */
export function resolveRef(contracts: Contracts, id: string, ref: string): Schema {
  const [file, pointer = ''] = ref.split('#');
  const doc = file ? `${id.split('/')[0]}/${file}` : id.split('#')[0]!;
  const found = contracts.ajv.getSchema(`${doc}#${pointer}`)?.schema;
  if (!found || typeof found !== 'object') throw new Error(`cannot resolve ${ref} from ${id}`);
  return found as Schema;
}

/** The schema itself when it is a $ref. */
export function deref(contracts: Contracts, id: string, schema: Schema): Schema {
  return schema.$ref ? deref(contracts, id, resolveRef(contracts, id, schema.$ref)) : schema;
}

export function requestSchema(contracts: Contracts, id: string): Schema {
  const schema = contracts.ajv.getSchema(id)?.schema;
  if (!schema || typeof schema !== 'object') throw new Error(`no contract ${id}`);
  return schema as Schema;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function stringArbitrary(s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 40);
  if (s.format === 'date') return fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(2040, 0, 1) }).map(day);
  if (s.format === 'email') return fc.emailAddress().filter((e) => e.length <= (s.maxLength ?? 254));
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
}

function typed(type: string, s: Schema, contracts: Contracts, id: string): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArbitrary(s);
    case 'integer':
      return fc.integer({ min: s.minimum ?? (s.exclusiveMinimum === undefined ? 0 : s.exclusiveMinimum + 1), max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.integer({ min: 1, max: 10_000_000 }).map((n) => n / 100);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(s.items ? arbitraryFor(contracts, id, s.items) : fc.anything(), { maxLength: Math.min(s.maxItems ?? 3, 3) });
    default:
      return objectArbitrary(contracts, id, s);
  }
}

function objectArbitrary(contracts: Contracts, id: string, s: Schema): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, arbitraryFor(contracts, id, v)]));
  return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Values valid against `schema` (a part of contract `id`). */
export function arbitraryFor(contracts: Contracts, id: string, schema: Schema): fc.Arbitrary<unknown> {
  const s = deref(contracts, id, schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const types = s.type === undefined ? ['object'] : Array.isArray(s.type) ? s.type : [s.type];
  return fc.oneof(...types.map((t) => typed(t, s, contracts, id)));
}
