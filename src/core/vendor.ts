/** The port between the core and a vendor folder: what a vendor implements, once, to be served. */
import type { Faker } from '@faker-js/faker';
import type { CardSummary } from './cards.js';
import type { SandboxError } from './errors.js';
import type { CardTxn, NetworkCard } from './ledger.js';
import type { History } from './retention.js';
import type { MagicValue } from './magic.js';
import type { SettingRule } from './settings.js';
import type { HistoryEntry } from './state-machine.js';
import type { ReadView } from './records.js';
import type { Store, Transaction } from './store.js';
import type { Tenant } from './tenants.js';
import type { VendorWebhooks } from './webhooks.js';
import type { Clock } from './clock.js';

export interface RenderedError {
  status: number;
  body: unknown;
}

export interface Envelope {
  ok(data: unknown): unknown;
  error(err: SandboxError): RenderedError;
  /** The envelope's business-code field (`respCode`, `code`): the journal reads it, faults map codes through it. */
  codeField: string;
}

/** What an operation, a job or a network hook may touch while it changes state. */
export interface VendorContext {
  tx: Transaction;
  tenant: Tenant;
  now: number;
  /** Schedules one of this vendor's jobs for the tenant, `delayMs` from now. */
  schedule(type: string, payload: unknown, delayMs?: number): void;
  /** Queues a webhook event for the tenant, delivered once the transaction commits. */
  emit(event: string, body: unknown): void;
}

export interface OperationContext<Req = any> extends VendorContext {
  body: Req;
  headers: Record<string, string | string[] | undefined>;
}

export interface Operation<Req = any, Data = unknown> {
  /** The vendor's own action name; also the contract name (`<slug>/<name>.request|response`). */
  name: string;
  /** Path under each of the vendor's base paths. */
  path: string;
  /** The body field whose value makes repeats of this operation replay (or conflict), if any. */
  idempotencyKey?: string;
  /**
   * The handler only reads (a query, a listing). Where the store locks writers (PostgreSQL), it then runs
   * without the merchant's locks, in a snapshot taken after the requests before it committed, so that a
   * long listing does not hold up the merchant's writes. A handler so marked that writes is refused with
   * the internal error on every store (store-port.ts, RunOptions.readOnly).
   */
  readOnly?: boolean;
  /** Changes state through `ctx.tx` and returns the envelope's `data`. Synchronous: a request is atomic. */
  handler(ctx: OperationContext<Req>): Data;
}

/**
 * Ties an operation to its contract types (generated from contracts/ into contract-types.ts): the
 * handler reads the request as the schema describes it and must return the response schema's `data`.
 */
export function defineOperation<Req, Res extends { data?: unknown }>(op: Operation<Req, Res['data']>): Operation {
  return op as Operation;
}

export interface IncomingRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** The path under the base path. */
  path: string;
  /** Parameters of the base path (`/:version/openApi` → `{version}`). */
  params: Record<string, string>;
}

export interface VendorNetwork {
  /**
   * Every card the network knows by `cardId` (or the vendor's other card number), one per merchant that
   * holds one: ids repeat across tenants when a scenario's records are copied into several of them.
   */
  findCards(store: ReadView, cardId: string): NetworkCard[];
  /** Renders a network transaction in the vendor's terms (webhooks, its own records). */
  onTransaction(ctx: VendorContext, txn: CardTxn): void;
}

/** One card as its timeline needs it (GET /__sandbox/cards/<vendor>/<cardId>/timeline). */
export interface TimelineCard {
  tenantId: string;
  /** The card's id as the vendor shows it. */
  cardId: string;
  /** The body fields that name a card in this vendor's requests, answers and webhooks… */
  fields: readonly string[];
  /** …and the values that name this one there. */
  values: readonly string[];
  /** The card's ledger accounts. */
  accountIds: readonly string[];
  /** Its status changes, oldest first. */
  history: readonly HistoryEntry[];
}

/** A kind of record that settles later, whose outcome the control plane can force (POST /__sandbox/outcomes). */
export interface PendingKind {
  /** The store collection of these records; the id the control plane is given is the record's key there. */
  collection: string;
  /** What that id is, in the vendor's terms (`operateRecordId`, `order_id`, `username`). */
  id: string;
  /** The outcomes it can be forced to. */
  outcomes: readonly string[];
  /** Optional text fields the control plane passes on besides the outcome (a KYC decision's `reason`). */
  fields?: readonly string[];
  /**
   * Forces `outcome` (one of `outcomes`) on the tenant's record: settles it now, or throws `invalid_state`
   * when it is no longer pending. Answers the record as the vendor shows it.
   */
  force(ctx: VendorContext, record: any, outcome: string, fields: Record<string, string>): unknown;
  /**
   * While the record is pending: the cards it concerns (their ids as the vendor shows them) and since
   * when it is pending; undefined once it is settled. Lists it under those cards (GET /__sandbox/cards/<vendor>/<cardId>).
   */
  pendingOn?(record: any, store: ReadView): { cardIds: readonly string[]; since: number } | undefined;
  /**
   * The field values every pending record of this kind has (its status while pending: `{ status: 'P' }`),
   * so that a card's page looks at those records only (ReadView#filter: on PostgreSQL a scan that skips
   * the rest) instead of handing `pendingOn` the whole collection. Optional: without it, every record is.
   */
  pendingWhile?: Readonly<Record<string, string | number | boolean>>;
}

/** What a vendor's OpenAPI document needs beyond its contracts: how a request authenticates, how webhooks are signed and acknowledged. */
export interface OpenApiNotes {
  /** Markdown for info.description: how to authenticate. */
  auth: string;
  securitySchemes: Record<string, Record<string, string>>;
  /** The security requirement of every operation ([] when credentials are in the body only). */
  security: Array<Record<string, string[]>>;
  /** A note added to one operation's description (Finext: which fields its `sign` covers). */
  operationNote?(path: string): string | undefined;
  /** Extensions added to one operation (Finext: `x-sign-form` and its `x-sign-fields`). */
  operationExtensions?(path: string): Record<string, string | readonly string[]>;
  /** Markdown: how a webhook is signed and how the receiver acknowledges it. */
  webhooks: string;
}

/** One request of its Postman collection (src/collections), in the order a run takes. */
export interface PostmanStep {
  /** The operationId in the OpenAPI document. */
  operation: string;
  /** What this request is for, where an operation is sent twice. */
  title?: string;
  /** Fields set over the document's example (or the whole body, where the document has none). */
  body?: Record<string, unknown>;
  /** Collection variables this request's test script sets from its answer: name → dotted path in the JSON. */
  save?: Record<string, string>;
  /** This request's own pre-request script (after the collection's), e.g. a fresh transaction id. */
  prerequest?: readonly string[];
}

/**
 * How its Postman collection is made from its OpenAPI document (src/collections): the credentials as
 * collection variables, the headers, the success answer, and the order of a run from a fresh reset.
 */
export interface PostmanProfile {
  /** The collection variables, from the default scenario's tenant of this vendor (credentials and ids). */
  variables(credentials: Record<string, string>): Record<string, string>;
  /** Variables sent as JSON numbers (`"x": {{x}}` rather than `"x": "{{x}}"`). */
  numeric?: readonly string[];
  headers: ReadonlyArray<{ key: string; value: string }>;
  /** Body fields every request carries (credentials, or what the pre-request script computes). */
  bodyFields: Record<string, unknown>;
  /** The collection-level pre-request script (Finext: its signing). Body values may be `{{name}}` (a collection variable). */
  prerequest?(): string[];
  /** The success answer: `field` of the JSON body equals `value`, with HTTP 200. */
  success: { field: string; value: string | number };
  /** The requests in the order a run from a fresh reset takes; every operation of the document at least once. */
  steps: readonly PostmanStep[];
}

export interface VendorModule {
  slug: string;
  title: string;
  /** Real base paths; each is also served under `/<slug>`. */
  basePaths: string[];
  /**
   * The folder of its JSON Schemas when they are not under the package's contracts/<slug>/ (a vendor
   * defined outside the package, such as a test's); loaded beside the package's own.
   */
  contractsDir?: string;
  /** Request headers that carry its credentials or signature: the journal shows them, always masked, whatever their name. */
  credentialHeaders?: readonly string[];
  envelope: Envelope;
  /** Credentials → tenant, or a SandboxError. Runs after the body is parsed. */
  authenticate(req: IncomingRequest, store: Store, clock: Clock): Tenant;
  /** Body fields left out of idempotency fingerprints: per-request envelope such as nonces and signatures. */
  fingerprintIgnores?: readonly string[];
  /** A body field that must never repeat for a tenant (a nonce); a repeat is `duplicate_request`. */
  nonceField?: string;
  operations: Operation[];
  /** Deferred work (settlements), run by the scheduler as `<slug>.<name>` in the owning tenant's context. */
  jobs: Record<string, (ctx: VendorContext, payload: any) => void>;
  webhooks: VendorWebhooks;
  network: VendorNetwork;
  /** One of its cards by the id it shows (within one tenant when given), for the control plane's card timeline. */
  timelineCard?(store: ReadView, cardId: string, tenantId?: string): TimelineCard | undefined;
  /**
   * Every card it holds, in every merchant that still exists (or in `tenantId` only), oldest first:
   * GET /__sandbox/cards lists them, with the state changes each card's state allows.
   */
  listCards?(store: ReadView, tenantId?: string): CardSummary[];
  /** Request values that force an outcome, declared next to the code that honours them (GET /__sandbox/magic-values). */
  magicValues: readonly MagicValue[];
  /** Its OpenAPI document's auth and webhook notes (src/openapi); without them the document has neither. */
  openapi?: OpenApiNotes;
  /** How its Postman collection is made (src/collections); without it the vendor has none. */
  postman?: PostmanProfile;
  /** Its records that are history (transactions, settled operations): what --retention-history may forget. */
  history?: readonly History[];
  /** Records that settle later, by kind, whose outcome the control plane can force. */
  outcomes?: Record<string, PendingKind>;
  /** The merchant settings it reads, checked when the control plane changes them. */
  settings: Record<string, SettingRule>;
  /** A larger body limit than the sandbox's default (documents sent inline as base64). */
  bodyLimitBytes?: number;
  /** Writes this vendor's default merchants (credentials, funded accounts, catalogues) and nothing else: its part of the `empty` scenario. */
  seedMerchants(tx: Transaction, refDate: number): void;
  /** Writes this vendor's part of the default scenario: its merchants, then the docs' example records. */
  seed(tx: Transaction, faker: Faker, refDate: number): void;
  /** Fresh random credentials in the vendor's own format, for a merchant created by POST /__sandbox/tenants. */
  newCredentials(): Record<string, string>;
  /** The credential fields that together pick the merchant when a request arrives: no two merchants may share their values. */
  credentialKeys: readonly string[];
  /** Start-up lines: base URL and credentials of each tenant. */
  banner(baseUrl: string, tenants: Tenant[]): string[];
}

/** A vendor's start-banner lines: where it is served, then each merchant's credentials as `label: value`, and its id. */
export function bannerLines(
  slug: string,
  where: string,
  tenants: readonly Tenant[],
  credentials: ReadonlyArray<readonly [label: string, key: string]>,
): string[] {
  return [
    `  ${slug.padEnd(12)}${where}`,
    ...tenants.map((t) => `              ${credentials.map(([label, key]) => `${label}: ${t.credentials[key]}`).join('   ')}   (${t.id})`),
  ];
}
