/**
 * A Postman collection (format v2.1) built from one of our own OpenAPI documents and a profile of the
 * vendor (`postman` in its module, src/vendors/<slug>/postman.ts): the document gives every operation's path, description and request
 * example; the profile gives the credentials as collection variables, the headers, the success answer,
 * the order of a run from a fresh reset and the ids one request hands the next.
 */
import type { PostmanProfile, PostmanStep } from '../core/vendor.js';
import type { Schema } from '../openapi/schemas.js';

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

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
export function postmanCollection(doc: Schema, slug: string, profile: PostmanProfile, { credentials, baseUrl }: CollectionOptions): Schema {
  const operations = operationsOf(doc);
  const missing = [...operations.keys()].filter((id) => !profile.steps.some((s) => s.operation === id));
  const unknown = profile.steps.filter((s) => !operations.has(s.operation)).map((s) => s.operation);
  if (missing.length || unknown.length)
    throw new Error(`${slug} collection: steps missing for ${missing.join(', ') || '-'}; steps for no operation: ${unknown.join(', ') || '-'}`);
  const prefix = serverPath(doc);
  const info = doc.info as { title: string; description?: string };
  const variables = { baseUrl, ...profile.variables(credentials) };
  return {
    info: {
      name: `${info.title} (card-sandbox)`,
      description: [
        `Every operation of ${info.title} as card-sandbox serves it, generated from openapi/${slug}.json (npm run collections).`,
        "Run in this order against a freshly reset sandbox (POST /__sandbox/reset), every request answers success; the variables hold the default merchant's credentials and the ids one request hands the next.",
      ].join('\n\n'),
      schema: POSTMAN_SCHEMA,
    },
    item: profile.steps.map((step) => requestItem(step, operations.get(step.operation)!, prefix, profile)),
    event: profile.prerequest ? [script('prerequest', profile.prerequest())] : [],
    variable: Object.entries(variables).map(([key, value]) => ({ key, value, type: 'string' })),
  };
}

function requestItem(step: PostmanStep, op: Operation, prefix: string, profile: PostmanProfile): Schema {
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
