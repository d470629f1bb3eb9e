/**
 * The OpenAPI 3.1 document of the control plane (/__sandbox). Its routes are listed here by hand, each
 * with what docs/control-plane.md says of it; test/openapi/control.test.ts fails when this list and the
 * routes the control plane registers differ, so a route cannot be added or removed without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACTS_DIR } from '../core/contracts.js';
import { CONTACT, DEFAULT_SERVER } from './document.js';
import type { Schema } from './schemas.js';

interface Route {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** Express form: `/tenants/:id`. */
  path: string;
  summary: string;
  query?: readonly string[];
  /** The JSON body, described; an object schema with these optional fields. */
  body?: Record<string, Schema>;
  status?: number;
  /** The answer's JSON Schema, by its file name under contracts/sandbox (`cards.response`); a plain object when none. */
  response?: string;
  /** What it answers, when not JSON. */
  produces?: { type: string; description: string };
}

/** The name the control plane's document goes by, beside the vendors': openapi/control-plane.json, /__sandbox/openapi/control-plane. */
export const CONTROL_PLANE = 'control-plane';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const obj = { type: 'object' } as const;

export const CONTROL_ROUTES: readonly Route[] = [
  { method: 'get', path: '/health', summary: 'Health: status, uptime, vendors, clock, store (open even with an admin token); 503 once the store fails' },
  { method: 'get', path: '/clock', summary: 'The sandbox clock: {now, mode}' },
  {
    method: 'post',
    path: '/clock',
    response: 'clock.response',
    summary:
      'Freeze the clock at `now`, advance a frozen clock by `advanceMs` (running what falls due), or set `mode` system/frozen; answers {now, mode, ran}: what fell due and ran, in order (settlements, webhook attempts, expiries)',
    body: { now: int, advanceMs: int, mode: { enum: ['system', 'frozen'] } },
  },
  { method: 'get', path: '/scenarios', summary: 'The scenario packs' },
  { method: 'post', path: '/scenarios/:name', summary: "Load a pack by name, replacing the whole state (or one tenant's records)", body: { tenant: str } },
  { method: 'post', path: '/scenarios', summary: 'Load a pack sent as the body (a snapshot, or your own)', query: ['tenant'], body: {} },
  { method: 'get', path: '/snapshot', summary: 'The whole state as a pack, clock included' },
  { method: 'post', path: '/reset', summary: 'Load a pack (default "default"), for the whole sandbox or one tenant', body: { scenario: str, tenant: str } },
  {
    method: 'get',
    path: '/tenants',
    summary:
      'Every merchant: vendor, id, credentials, webhook URL, settings (`tenants`); and per vendor, the settings its merchants take, each with its rule (`type`: integer or enum; `min`, `max`, `nullable` or `values`), `default` and `doc` (`settings`)',
  },
  {
    method: 'post',
    path: '/tenants',
    summary: 'A new merchant with fresh credentials and its own data',
    body: { vendor: str, scenario: str, name: str },
    status: 201,
  },
  {
    method: 'patch',
    path: '/tenants/:id',
    summary: "Change a merchant's webhook URLs, credentials or settings",
    body: { webhookUrl: { type: ['string', 'null'] }, webhookUrls: obj, credentials: obj, settings: obj },
  },
  { method: 'delete', path: '/tenants/:id', summary: 'Remove a merchant and every record it owns' },
  {
    method: 'get',
    path: '/webhooks',
    response: 'webhooks.response',
    summary:
      'The webhook log: every delivery with each attempt (URL, status, answer or error) and its next attempt, oldest first; `state` is pending, retrying, delivered, failed or no_url',
    query: ['vendor', 'tenant', 'event', 'state', 'limit', 'after'],
  },
  {
    method: 'post',
    path: '/webhooks/:id/resend',
    summary: 'Send a delivered or failed delivery again, now, with the retries from the start; 409 while pending or retrying',
  },
  {
    method: 'post',
    path: '/simulate/:action',
    summary: "A card-network event (authorize, clear, reverse, refund) on any vendor's card",
    body: { vendor: str, cardId: str, amount: str, currency: str, merchantName: str, mcc: str, transactionId: str, tenant: str },
  },
  {
    method: 'get',
    path: '/requests',
    summary: 'The request journal, newest first',
    query: ['vendor', 'operation', 'tenant', 'code', 'status', 'since', 'until', 'limit'],
  },
  {
    method: 'get',
    path: '/requests/stream',
    summary:
      'A live tail of the journal as server-sent events (text/event-stream): one `request` event per new entry matching the filters, masked as GET /requests shows it, `id` its sequence number (Last-Event-ID replays the kept entries after it); a comment every `heartbeat` seconds (15); `limit` ends it after that many events',
    query: ['vendor', 'operation', 'tenant', 'code', 'status', 'since', 'until', 'limit', 'heartbeat'],
    produces: {
      type: 'text/event-stream',
      description: 'Server-sent events: `event: request`, `id: <sequence>`, `data: <journal entry as JSON>`; comment lines as heartbeats',
    },
  },
  { method: 'delete', path: '/requests', summary: 'Empty the request journal' },
  {
    method: 'get',
    path: '/cards',
    response: 'cards.response',
    summary:
      'Every card of every vendor, a page at a time: vendor, tenant, cardId, state, holder, masked number, currency, balances (exact decimal strings), createdAt; `q` matches card id, last 4 digits and holder, case-insensitive',
    query: ['vendor', 'tenant', 'q', 'state', 'page', 'size'],
  },
  {
    method: 'get',
    path: '/cards/:vendor/:cardId',
    response: 'card.response',
    summary:
      "One card as the listing shows it, with its pending records whose outcome can be forced (`pending`) and the state changes its state allows through the vendor's own operations (`actions`)",
    query: ['tenant'],
  },
  { method: 'get', path: '/cards/:vendor/:cardId/timeline', summary: "One card's life: requests, transitions, ledger, webhooks", query: ['tenant'] },
  { method: 'get', path: '/faults', summary: 'The fault rules' },
  {
    method: 'post',
    path: '/faults',
    summary: 'Add a fault rule',
    body: { vendor: str, operation: str, fault: str, status: int, times: int, tenant: str },
    status: 201,
  },
  { method: 'delete', path: '/faults', summary: 'Remove every fault rule' },
  { method: 'delete', path: '/faults/:id', summary: 'Remove one fault rule' },
  { method: 'get', path: '/magic-values', summary: 'Per vendor, every request value that forces an outcome' },
  { method: 'get', path: '/outcomes', summary: 'The kinds of pending record whose outcome can be forced' },
  { method: 'post', path: '/outcomes', summary: "Force a pending record's outcome now", body: { vendor: str, kind: str, id: str, outcome: str, tenant: str } },
  { method: 'get', path: '/openapi', summary: 'The OpenAPI documents, one per vendor' },
  { method: 'get', path: '/openapi/:vendor', summary: "One vendor's OpenAPI 3.1 document, with this sandbox as its server" },
  { method: 'get', path: '/collections', summary: 'The Postman collections, one per vendor' },
  { method: 'get', path: '/collections/:vendor', summary: "One vendor's Postman collection (v2.1), with this sandbox as its baseUrl variable" },
  {
    method: 'get',
    path: '/docs',
    summary: 'The docs page: these documents in Swagger UI, trying requests against this sandbox (open even with an admin token)',
    produces: { type: 'text/html', description: 'The page' },
  },
  {
    method: 'get',
    path: '/docs/assets/:name',
    summary: "One of the docs page's files (Swagger UI, js-md5, the page's script and style), served from the package",
    produces: { type: 'application/octet-stream', description: 'The file, with its own content type' },
  },
  {
    method: 'get',
    path: '/ui',
    summary: 'The dashboard: the sandbox in a web page (open even with an admin token: the page asks for it); its files are under /__sandbox/ui/',
    produces: { type: 'text/html', description: 'The page' },
  },
  {
    method: 'get',
    path: '/ui/vendor/:file',
    summary: "One of the library files the dashboard's import map names (Preact, js-md5), served from the package's dependencies",
    produces: { type: 'text/javascript', description: 'The ES module' },
  },
  {
    method: 'post',
    path: '/:vendor/:kind/:id',
    summary: "Force one pending record's outcome, answering the record as the vendor shows it (POST /__sandbox/finext/kyc/lili12)",
    body: { outcome: str, tenant: str, reason: str },
  },
];

const ERROR: Schema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'field', 'message'],
      properties: {
        code: { type: 'string', description: 'a canonical error code (invalid_param, resource_not_found, invalid_state, …)' },
        field: { type: ['string', 'null'] },
        message: { type: 'string' },
      },
    },
  },
};

/** The control plane's document; `server` is the sandbox's origin. */
export function controlDocument(server = DEFAULT_SERVER): Schema {
  const paths: Record<string, Schema> = {};
  for (const route of CONTROL_ROUTES) {
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const operationId = `${route.method}${route.path.replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase()).replace(/[^\w]/g, '')}`;
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId,
      summary: `${route.method.toUpperCase()} /__sandbox${path}`,
      description: route.summary,
      tags: [route.path.split('/')[1]!.startsWith(':') ? 'outcomes' : route.path.split('/')[1]!],
      parameters: [
        ...params.map((name) => ({ name, in: 'path', required: true, schema: str })),
        ...(route.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: str })),
      ],
      ...(route.body ? { requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: route.body } } } } } : {}),
      responses: {
        [String(route.status ?? 200)]: route.produces
          ? { description: route.produces.description, content: { [route.produces.type]: { schema: str } } }
          : {
              description: 'The answer, plain JSON',
              content: { 'application/json': { schema: route.response ? { $ref: `#/components/schemas/${schemaName(route.response)}` } : obj } },
            },
        '4XX': {
          description: 'Refused: the error names a canonical code and the field at fault; X-Sandbox-Diagnostic explains',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }
  const tags = [...new Set(Object.values(paths).flatMap((p) => Object.values(p).map((o) => (o as { tags: string[] }).tags[0]!)))].sort();
  return {
    openapi: '3.1.0',
    info: {
      title: 'card-sandbox control plane',
      version: '1.0.0',
      license: { name: 'MIT', identifier: 'MIT' },
      contact: CONTACT,
      description:
        'Drives the sandbox: scenarios and snapshots, tenants, the clock, network simulation, outcomes, faults, the journal, timelines and webhooks. Plain JSON, never a vendor envelope. With an admin token (--admin-token), every route but GET /health needs `Authorization: Bearer <token>`.',
    },
    servers: [{ url: `${server}/__sandbox` }],
    security: [{}, { adminToken: [] }],
    tags: tags.map((name) => ({ name, description: `${name} routes` })),
    paths,
    components: {
      schemas: { Error: ERROR, ...answerSchemas() },
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'Only when the sandbox runs with --admin-token' } },
    },
  };
}

/** `cards.response` → `CardsResponse`. */
function schemaName(contract: string): string {
  return contract.replace(/(^|[.-])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

/** The answers' schemas from contracts/sandbox, their references between files turned into the document's own. */
function answerSchemas(): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  for (const route of CONTROL_ROUTES) {
    if (!route.response) continue;
    const {
      $schema: _s,
      $id: _id,
      definitions,
      ...schema
    } = JSON.parse(readFileSync(join(CONTRACTS_DIR, 'sandbox', `${route.response}.schema.json`), 'utf8')) as Schema;
    const name = schemaName(route.response);
    const text = JSON.stringify({ ...schema, ...(definitions ? { $defs: definitions } : {}) })
      .replace(/"#\/definitions\//g, `"#/components/schemas/${name}/$defs/`)
      .replace(/"([\w.-]+\.response)#\/definitions\//g, (_m, file: string) => `"#/components/schemas/${schemaName(file)}/$defs/`);
    out[name] = JSON.parse(text) as Schema;
  }
  return out;
}
