/** The part of newman's library API the collection tests use (newman ships no types). */
declare module 'newman' {
  interface Assertion {
    assertion: string;
    error?: { message: string };
  }
  interface Execution {
    item: { name: string };
    response?: { code: number; stream?: Buffer };
    assertions?: Assertion[];
  }
  export interface Summary {
    run: {
      stats: { requests: { total: number; failed: number }; assertions: { total: number; failed: number } };
      failures: Array<{ error: { message: string; test?: string }; source?: { name?: string } }>;
      executions: Execution[];
    };
  }
  export function run(
    options: { collection: unknown; reporters?: string | string[]; envVar?: Array<{ key: string; value: string }>; timeoutRequest?: number },
    callback: (err: Error | null, summary: Summary) => void,
  ): unknown;
}
