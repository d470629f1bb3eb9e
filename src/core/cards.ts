/**
 * Cards as the control plane lists them (GET /__sandbox/cards): one shape for every vendor's card, made
 * by the vendor's `listCards` port method, and the state changes its card machine allows now.
 */
import { ACCOUNTS, available, type Account } from './ledger.js';
import type { Minor } from './money.js';
import type { Machine } from './state-machine.js';
import type { ReadView } from './records.js';
import type { CardAction } from './wire-types.js';

export type { CardAction } from './wire-types.js';

export interface CardSummary {
  tenantId: string;
  /** The card's id as the vendor shows it. */
  cardId: string;
  /** Its card machine's state name. */
  state: string;
  /** The cardholder's name, where the vendor has one. */
  holder: string | null;
  /** The card number as BIN + ****** + last 4, where the vendor has one. */
  masked: string | null;
  last4: string | null;
  currency: string;
  /** Exact amounts in minor units, by name (`available`, `held`, …); the control plane formats them. */
  balances: Record<string, Minor>;
  createdAt: number;
  /** The state changes its state allows now, through the vendor's own operations. */
  actions: CardAction[];
}

/** A state change a vendor's card offers through one of its operations; `body` names the card. */
export interface ActionSpec<C> {
  name: string;
  event: string;
  operation: string;
  path: string;
  body(card: C): Record<string, unknown>;
}

/** The actions among `specs` that `machine` allows from `state` and that change it (self-loops say where money may move, they are not actions). */
export function allowedActions<C>(machine: Machine<string, string>, state: string, specs: readonly ActionSpec<C>[], card: C): CardAction[] {
  const edges: Partial<Record<string, string>> = machine.table[state] ?? {};
  return specs.flatMap((s) => {
    const to = edges[s.event];
    return to === undefined || to === state ? [] : [{ name: s.name, event: s.event, to, operation: s.operation, path: s.path, body: s.body(card) }];
  });
}

/** A card account's balances in minor units (zeros while it has no account yet, a card not issued). */
export function accountBalances(store: ReadView, tenantId: string, accountId: string): Record<'available' | 'held' | 'balance', Minor> {
  const account = store.get(ACCOUNTS, tenantId, accountId) as Account | undefined;
  return account ? { available: available(account), held: account.held, balance: account.balance } : { available: 0, held: 0, balance: 0 };
}

/** A name made of its present parts, or null when none is. */
export function fullName(...parts: ReadonlyArray<unknown>): string | null {
  const name = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '').join(' ');
  return name === '' ? null : name;
}
