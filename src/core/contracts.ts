/**
 * One ajv instance over every schema in contracts/ (JSON Schema draft-07). The same files check requests
 * in the pipeline, check our responses in strict mode and in tests, and are published for consumers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { SandboxError } from './errors.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

/** contracts/ at the package root, from src/core or dist/core alike. */
export const CONTRACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../contracts');

export interface ContractsOptions {
  /** Every problem of a body rather than the first (the test kit's validators; the sandbox stops at the first). */
  allErrors?: boolean;
}

export class Contracts {
  static readonly #loaded = new Map<string, Contracts>();
  readonly ajv: Ajv;
  readonly ids: string[] = [];

  /** One compiled set per list of folders and process: schemas compile once, however many sandboxes start. */
  static load(dirs: string | readonly string[] = CONTRACTS_DIR, options: ContractsOptions = {}): Contracts {
    const list = typeof dirs === 'string' ? [dirs] : [...new Set(dirs)];
    const key = JSON.stringify([list, options.allErrors ?? false]);
    let contracts = Contracts.#loaded.get(key);
    if (!contracts) Contracts.#loaded.set(key, (contracts = new Contracts(list, options)));
    return contracts;
  }

  /** Every schema under `dirs` (a vendor defined outside the package brings its own folder). */
  constructor(dirs: string | readonly string[] = CONTRACTS_DIR, options: ContractsOptions = {}) {
    this.ajv = new Ajv({ strict: true, allErrors: options.allErrors ?? false, allowUnionTypes: true });
    addFormats(this.ajv);
    for (const file of (typeof dirs === 'string' ? [dirs] : dirs).flatMap((dir) => [...walk(dir)])) {
      const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id?: string };
      if (!schema.$id) throw new Error(`${file}: schema has no $id`);
      this.ajv.addSchema(schema);
      this.ids.push(schema.$id);
    }
  }

  has(id: string): boolean {
    return this.ajv.getSchema(id) !== undefined;
  }

  validator(id: string): ValidateFunction {
    const v = this.ajv.getSchema(id);
    if (!v) throw new Error(`no contract ${id}`);
    return v;
  }

  /** Checks a request body, throwing `invalid_param` that names the first offending field. */
  checkRequest(id: string, body: unknown): void {
    const v = this.validator(id);
    if (v(body)) return;
    const error = v.errors![0];
    const field = fieldOf(error);
    throw new SandboxError('invalid_param', {
      field,
      detail: `${field} ${error.message}`,
      diagnostic: `request does not match ${id}: ${field} ${error.message} (${error.schemaPath})`,
    });
  }

  /** Every problem of a body against a schema, as readable lines (empty when it conforms). */
  problems(id: string, body: unknown): string[] {
    const v = this.validator(id);
    if (v(body)) return [];
    return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} (${e.schemaPath})`);
  }
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return path ? `${path}.${missing}` : missing;
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return path ? `${path}.${extra}` : extra;
  }
  return path || 'body';
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith('.schema.json')) yield path;
  }
}
