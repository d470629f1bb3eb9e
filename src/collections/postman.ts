/**
 * A Postman collection (format v2.1) built from one of our own OpenAPI documents and a profile of the
 * vendor (src/collections/profiles/): the document gives every operation's path, description and request
 * example; the profile gives the credentials as collection variables, the headers, the success answer,
 * the order of a run from a fresh reset and the ids one request hands the next.
 */
import type { Schema } from '../openapi/schemas.js';

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** Where a request's body value comes from: a literal, or `{{name}}` (a collection variable). */
export type BodyValue = unknown;

export interface Step {
  /** The operationId in the OpenAPI document. */
  operation: string;
  /** What this request is for, where an operation is sent twice. */
  title?: string;
  /** Fields set over the document's example (or the whole body, where the document has none). */
  body?: Record<string, BodyValue>;
  /** Collection variables this request's test script sets from its answer: name → dotted path in the JSON. */
  save?: Record<string, string>;
  /** This request's own pre-request script (after the collection's), e.g. a fresh transaction id. */
  prerequest?: readonly string[];
}

export interface Profile {
  slug: string;
  /** The collection variables, from the default scenario's tenant of this vendor (credentials and ids). */
  variables(credentials: Record<string, string>): Record<string, string>;
  /** Variables sent as JSON numbers (`"x": {{x}}` rather than `"x": "{{x}}"`). */
  numeric?: readonly string[];
  headers: ReadonlyArray<{ key: string; value: string }>;
  /** Body fields every request carries (credentials, or what the pre-request script computes). */
  bodyFields: Record<string, BodyValue>;
  /** The collection-level pre-request script, given the document (e.g. Finext's signing). */
  prerequest?(doc: Schema): string[];
  /** The success answer: `field` of the JSON body equals `value`, with HTTP 200. */
  success: { field: string; value: string | number };
  /** The requests in the order a run from a fresh reset takes; every operation of the document at least once. */
  steps: readonly Step[];
}

export interface CollectionOptions {
  credentials: Record<string, string>;
  /** The sandbox's origin, the `baseUrl` variable. */
  baseUrl: string;
}

interface Operation {
  path: string;
  description: string;
  example: Record<string, unknown> | undefined;
}

/** The collection for `doc`, in run order, every operation of the document included. */
export function postmanCollection(doc: Schema, profile: Profile, { credentials, baseUrl }: CollectionOptions): Schema {
  const operations = operationsOf(doc);
  const missing = [...operations.keys()].filter((id) => !profile.steps.some((s) => s.operation === id));
  const unknown = profile.steps.filter((s) => !operations.has(s.operation)).map((s) => s.operation);
  if (missing.length || unknown.length)
    throw new Error(`${profile.slug} collection: steps missing for ${missing.join(', ') || '-'}; steps for no operation: ${unknown.join(', ') || '-'}`);
  const prefix = serverPath(doc);
  const info = doc.info as { title: string; description?: string };
  const variables = { baseUrl, ...profile.variables(credentials) };
  return {
    info: {
      name: `${info.title} (card-sandbox)`,
      description: [
        `Every operation of ${info.title} as card-sandbox serves it, generated from openapi/${profile.slug}.json (npm run collections).`,
        "Run in this order against a freshly reset sandbox (POST /__sandbox/reset), every request answers success; the variables hold the default merchant's credentials and the ids one request hands the next.",
      ].join('\n\n'),
      schema: POSTMAN_SCHEMA,
    },
    item: profile.steps.map((step) => requestItem(step, operations.get(step.operation)!, prefix, profile)),
    event: profile.prerequest ? [script('prerequest', profile.prerequest(doc))] : [],
    variable: Object.entries(variables).map(([key, value]) => ({ key, value, type: 'string' })),
  };
}

function requestItem(step: Step, op: Operation, prefix: string, profile: Profile): Schema {
  const body = { ...(op.example ?? {}), ...profile.bodyFields, ...(step.body ?? {}) };
  const segments = [...prefix.split('/'), ...op.path.split('/')].filter(Boolean);
  const tests = [
    `pm.test('HTTP 200', function () { pm.response.to.have.status(200); });`,
    // The title in single quotes: the field is a name and the value's JSON has no single quote.
    `pm.test('${profile.success.field} is ${JSON.stringify(profile.success.value)}', function () {`,
    `  pm.expect(pm.response.json().${profile.success.field}).to.eql(${JSON.stringify(profile.success.value)});`,
    `});`,
    ...Object.entries(step.save ?? {}).map(([name, path]) => `pm.collectionVariables.set(${JSON.stringify(name)}, String(pm.response.json().${path}));`),
  ];
  return {
    name: step.title ? `${step.operation} (${step.title})` : step.operation,
    event: [...(step.prerequest ? [script('prerequest', [...step.prerequest])] : []), script('test', tests)],
    request: {
      method: 'POST',
      header: [{ key: 'Content-Type', value: 'application/json' }, ...profile.headers],
      body: { mode: 'raw', raw: rawBody(body, profile.numeric ?? []), options: { raw: { language: 'json' } } },
      url: { raw: `{{baseUrl}}/${segments.join('/')}`, host: ['{{baseUrl}}'], path: segments },
      description: `POST ${prefix}${op.path}\n\n${op.description}`,
    },
  };
}

/** Two-space JSON, where a numeric variable's placeholder stands unquoted (the JSON is complete once Postman fills it in). */
function rawBody(body: Record<string, unknown>, numeric: readonly string[]): string {
  let text = JSON.stringify(body, null, 2);
  for (const name of numeric) text = text.replaceAll(`"{{${name}}}"`, `{{${name}}}`);
  return text;
}

function script(listen: 'prerequest' | 'test', exec: string[]): Schema {
  return { listen, script: { type: 'text/javascript', exec } };
}

function operationsOf(doc: Schema): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Schema>>)) {
    for (const op of Object.values(methods)) {
      const media = (op.requestBody as Schema | undefined)?.content as Record<string, Schema> | undefined;
      const examples = media?.['application/json']?.examples as Record<string, { value: Record<string, unknown> }> | undefined;
      out.set(op.operationId as string, {
        path,
        description: (op.description as string | undefined) ?? '',
        example: examples ? Object.values(examples)[0]?.value : undefined,
      });
    }
  }
  return out;
}

/** The operationIds of a document, in its order. */
export function operationIds(doc: Schema): string[] {
  return [...operationsOf(doc).keys()];
}

/** The path of the document's main server: the shortest (the others add `/<slug>` or a longer base), its variables at their defaults. */
function serverPath(doc: Schema): string {
  const servers = doc.servers as Array<{ url: string; variables?: Record<string, { default: string }> }>;
  const paths = servers.map((s) => {
    let url = s.url;
    for (const [name, v] of Object.entries(s.variables ?? {})) url = url.replaceAll(`{${name}}`, v.default);
    return new URL(url).pathname.replace(/\/$/, '');
  });
  return paths.sort((a, b) => a.length - b.length)[0] ?? '';
}
