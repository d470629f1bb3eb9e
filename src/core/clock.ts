/**
 * The only source of "now" in the sandbox. In `system` mode it reads the wall clock; in `frozen` mode it
 * stands still until it is set or advanced (advancing, and running what falls due, is the scheduler's job).
 */
export type ClockMode = 'system' | 'frozen';
export type ClockState = { mode: 'system' } | { mode: 'frozen'; frozenAt: number };

export class Clock {
  #mode: ClockMode = 'system';
  #frozenAt = 0;

  constructor(frozenAt?: number) {
    if (frozenAt !== undefined) this.freeze(frozenAt);
  }

  get mode(): ClockMode {
    return this.#mode;
  }

  now(): number {
    return this.#mode === 'frozen' ? this.#frozenAt : Date.now();
  }

  /** Freezes at `at` (default: the current instant). */
  freeze(at: number = this.now()): void {
    this.#mode = 'frozen';
    this.#frozenAt = Math.trunc(at);
  }

  /** Moves a frozen clock to `at`; never backwards past what the scheduler has run is the caller's concern. */
  set(at: number): void {
    if (this.#mode !== 'frozen') throw new Error('clock is not frozen');
    this.#frozenAt = Math.trunc(at);
  }

  useSystem(): void {
    this.#mode = 'system';
  }

  /** What a replica shares of the clock (docs/design/shared-store.md §5.5): frozen at an instant, or the system's. */
  state(): ClockState {
    return this.#mode === 'frozen' ? { mode: 'frozen', frozenAt: this.#frozenAt } : { mode: 'system' };
  }

  /** Takes another replica's clock as this one's. */
  adopt(state: ClockState): void {
    if (state.mode === 'frozen') this.freeze(state.frozenAt);
    else this.useSystem();
  }

  toJSON(): { now: number; mode: ClockMode } {
    return { now: this.now(), mode: this.#mode };
  }
}
