/**
 * One OpenAPI 3.1 document per vendor, built from what the sandbox runs on: the vendor's operations and
 * base paths (its VendorModule), its contracts (schemas.ts), its envelope's error table (each canonical
 * code rendered by the vendor's own envelope) and its notes (the port's `openapi`, declared in each vendor folder). scripts/generate-openapi.ts
 * writes them to openapi/<slug>.json; GET /__sandbox/openapi/<vendor> serves the same document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTRACTS_DIR, Contracts } from '../core/contracts.js';
import { CANONICAL_CODES, SandboxError } from '../core/errors.js';
import type { VendorModule } from '../core/vendor.js';
import { docExamples, type RequestExample } from './examples.js';
import { componentRef, vendorSchemas, type Schema } from './schemas.js';

/** The sandbox's default address (it listens on 127.0.0.1:4010, the CLI's default URL too). */
/** Who answers for these documents: the sandbox's own project (not the vendor). */
export const CONTACT = { name: 'card-sandbox (an emulation, not the vendor)' };

export const DEFAULT_SERVER = 'http://127.0.0.1:4010';

interface ErrorRow {
  status: number;
  code: string;
  body: unknown;
  canonical: string[];
}

export interface DocumentOptions {
  /** The servers' origin (default DEFAULT_SERVER). */
  server?: string;
  /** Request examples by operation name (examples.ts). */
  examples?: ReadonlyMap<string, readonly RequestExample[]>;
}

export function vendorDocument(vendor: VendorModule, { server = DEFAULT_SERVER, examples }: DocumentOptions = {}): Schema {
  const { components, contracts } = vendorSchemas(vendor.slug, vendor.contractsDir);
  const notes = vendor.openapi;
  const errors = errorTable(vendor);
  const hasError = contracts.has('envelope.error');
  const paths: Schema = {};
  for (const op of vendor.operations) {
    const request = `${op.name}.request`;
    const response = `${op.name}.response`;
    const responses: Schema = {};
    for (const status of [...new Set(errors.map((e) => e.status))].sort((a, b) => a - b)) {
      const rows = errors.filter((e) => e.status === status);
      const errorSchema = hasError ? componentRef('envelope.error') : {};
      const schema = status === 200 && contracts.has(response) ? { anyOf: [componentRef(response), errorSchema] } : errorSchema;
      responses[String(status)] = {
        description: status === 200 ? 'Success, or a business error in the envelope (see the error codes)' : `Refused: ${rows.map((r) => r.code).join(', ')}`,
        content: { 'application/json': { schema } },
      };
    }
    if (!responses['200'] && contracts.has(response))
      responses['200'] = { description: 'Success', content: { 'application/json': { schema: componentRef(response) } } };
    // Fault injection (docs/faults.md) answers these at any operation, with the vendor's internal-error body.
    const faultBody = { 'application/json': { schema: hasError ? componentRef('envelope.error') : {} } };
    responses['429'] ??= { description: 'Only when a rate_limit fault rule applies: with Retry-After', content: faultBody };
    responses['5XX'] ??= { description: 'Only when an http_error fault rule applies', content: faultBody };
    const note = notes?.operationNote?.(op.path);
    paths[op.path] = {
      post: {
        operationId: op.name,
        summary: op.name,
        description: [
          `${vendor.title}'s \`${op.path}\`, as contracts/${vendor.slug}/${op.name}.request and .response describe it.`,
          note,
          op.idempotencyKey && `Idempotent on \`${op.idempotencyKey}\`: a repeat replays the first answer.`,
        ]
          .filter(Boolean)
          .join('\n\n'),
        tags: [op.path.split('/')[1] || 'default'],
        ...(contracts.has(request) ? { requestBody: { required: true, content: { 'application/json': requestMedia(request, examples?.get(op.name)) } } } : {}),
        responses,
        ...notes?.operationExtensions?.(op.path),
      },
    };
  }
  const webhooks: Schema = {};
  for (const name of [...contracts].filter((c) => c.startsWith('webhook.')).sort()) {
    const event = name.slice('webhook.'.length);
    webhooks[event] = {
      post: {
        operationId: `webhook_${event}`,
        summary: `${event} webhook`,
        ...(notes ? { description: notes.webhooks } : {}),
        requestBody: { required: true, content: { 'application/json': { schema: componentRef(name) } } },
        responses: { '200': { description: 'Acknowledged (see the description for the body the vendor expects)' } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: `${vendor.title} (card-sandbox)`,
      version: '1.0.0',
      license: { name: 'MIT', identifier: 'MIT' },
      contact: CONTACT,
      description: description(vendor, errors),
    },
    servers: vendor.basePaths.flatMap((base) => [base, `/${vendor.slug}${base}`]).map((base) => serverOf(server, base)),
    ...(notes ? { security: notes.security } : {}),
    tags: [...new Set(vendor.operations.map((op) => op.path.split('/')[1] || 'default'))].sort().map((name) => ({ name, description: `${name} operations` })),
    paths,
    webhooks,
    components: {
      schemas: used(components, [paths, webhooks]),
      ...(notes && Object.keys(notes.securitySchemes).length ? { securitySchemes: notes.securitySchemes } : {}),
    },
  };
}

/** The components the document refers to, directly or through other components (a common definition no contract uses is left out). */
function used(components: Record<string, Schema>, roots: unknown[]): Record<string, Schema> {
  const seen = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object')
      for (const [key, v] of Object.entries(value)) {
        const name = key === '$ref' && typeof v === 'string' ? /^#\/components\/schemas\/([^/]+)/.exec(v)?.[1] : undefined;
        if (name === undefined) visit(v);
        else if (!seen.has(name)) {
          seen.add(name);
          visit(components[name]);
        }
      }
  };
  roots.forEach(visit);
  return Object.fromEntries(Object.entries(components).filter(([name]) => seen.has(name)));
}

function requestMedia(contract: string, examples: readonly RequestExample[] | undefined): Schema {
  if (!examples?.length) return { schema: componentRef(contract) };
  return {
    schema: componentRef(contract),
    examples: Object.fromEntries(examples.map((e, i) => [`example${i + 1}`, { summary: e.summary, value: e.value as Schema }])),
  };
}

function serverOf(server: string, base: string): Schema {
  const variables: Schema = {};
  const path = base.replace(/:(\w+)/g, (_m, name: string) => {
    variables[name] = { default: name === 'version' ? 'v1' : name, description: `the ${name} path segment` };
    return `{${name}}`;
  });
  return { url: `${server}${path}`, ...(Object.keys(variables).length ? { variables } : {}) };
}

/** Every canonical error as the vendor's envelope renders it, one row per distinct (HTTP status, vendor code). */
function errorTable(vendor: VendorModule): ErrorRow[] {
  const rows: ErrorRow[] = [];
  for (const canonical of CANONICAL_CODES) {
    const { status, body } = vendor.envelope.error(new SandboxError(canonical));
    const code = String((body as Record<string, unknown> | null)?.[vendor.envelope.codeField] ?? '');
    const row = rows.find((r) => r.status === status && r.code === code);
    if (row) row.canonical.push(canonical);
    else rows.push({ status, code, body, canonical: [canonical] });
  }
  return rows;
}

function description(vendor: VendorModule, errors: ErrorRow[]): string {
  const notes = vendor.openapi;
  const table = [
    `| HTTP | ${vendor.envelope.codeField} | body | sandbox causes |`,
    '|---|---|---|---|',
    ...errors.map((e) => `| ${e.status} | ${e.code} | \`${JSON.stringify(e.body).replace(/\|/g, '\\|')}\` | ${e.canonical.join(', ')} |`),
  ];
  return [
    `The ${vendor.title} API as card-sandbox emulates it, generated from the sandbox's operation registry and contracts (contracts/${vendor.slug}). Every operation is a POST of a JSON body, at each server listed (the vendor's base paths, and the same under /${vendor.slug}).`,
    ...(notes ? ['## Authentication', notes.auth] : []),
    '## Errors',
    `Every refusal is the vendor's error envelope (components/schemas/envelope.error) with an \`X-Sandbox-Diagnostic\` header explaining it. The codes, as the sandbox answers them (a parameter error appends the field and rule to the message):`,
    table.join('\n'),
    ...(notes ? ['## Webhooks', notes.webhooks] : []),
  ].join('\n\n');
}

/** The package root (from src/openapi or dist/openapi alike), where openapi/ and the docs are. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The document as committed under openapi/: two-space JSON and a final newline, with the docs' request examples. */
export function openapiText(vendor: VendorModule, root = PACKAGE_ROOT): string {
  const examples = docExamples(root, vendor, Contracts.load([CONTRACTS_DIR, ...(vendor.contractsDir ? [vendor.contractsDir] : [])]));
  return `${JSON.stringify(vendorDocument(vendor, { examples }), null, 2)}\n`;
}

/** The committed document of a vendor of the package, if there is one (an installed package has no docs to take examples from). */
export function committedDocument(slug: string, root = PACKAGE_ROOT): Schema | undefined {
  const file = join(root, 'openapi', `${slug}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Schema) : undefined;
}
