/**
 * State tables. A machine is data: for each state, the events it accepts and where each leads. Every
 * status change in the sandbox goes through `transition`, so an illegal move is always the same error.
 */
import { SandboxError } from './errors.js';

export interface Machine<S extends string, E extends string> {
  readonly name: string;
  readonly states: readonly S[];
  readonly events: readonly E[];
  readonly table: { readonly [state in S]: Partial<Record<E, S>> };
}

export function defineMachine<const S extends string, const E extends string>(machine: Machine<S, E>): Machine<S, E> {
  for (const [from, edges] of Object.entries(machine.table) as Array<[S, Partial<Record<E, S>>]>) {
    for (const to of Object.values(edges) as S[]) {
      if (!machine.states.includes(to)) throw new Error(`${machine.name}: ${from} leads to unknown state ${to}`);
    }
  }
  return machine;
}

export interface HistoryEntry<S extends string = string, E extends string = string> {
  from: S;
  to: S;
  event: E;
  at: number;
}

/** The state `event` leads to from `from`, or `invalid_state` naming what `from` does allow. */
export function transition<S extends string, E extends string>(machine: Machine<S, E>, from: S, event: E): S {
  const to = machine.table[from]?.[event];
  if (to === undefined) {
    const allowed = Object.keys(machine.table[from] ?? {});
    throw new SandboxError('invalid_state', {
      detail: `${machine.name} status ${from} does not allow ${event}`,
      diagnostic: `${machine.name} is ${from}; ${event} is not allowed (allowed from ${from}: ${allowed.join(', ') || 'none'})`,
    });
  }
  return to;
}

export function canTransition<S extends string, E extends string>(machine: Machine<S, E>, from: S, event: E): boolean {
  return machine.table[from]?.[event] !== undefined;
}

/**
 * Applies `event` to a record with a status field and a `history`, returning the updated copy, or the
 * same record when the event is a self-loop (a permission check such as DEPOSIT on ACTIVE): history
 * keeps status changes only, so it stays as small as a card's life.
 */
export function applyTransition<S extends string, E extends string, R extends { history: HistoryEntry<S, E>[] }>(
  machine: Machine<S, E>,
  record: R,
  statusKey: keyof R,
  event: E,
  at: number,
): R {
  const from = record[statusKey] as S;
  const to = transition(machine, from, event);
  if (to === from) return record;
  return { ...record, [statusKey]: to, history: [...record.history, { from, to, event, at }] };
}
