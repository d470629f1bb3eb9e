/**
 * A PostgreSQL cluster of a suite's own (`.ci/postgres` on SANDBOX_PG_PORT), which the suite may stop
 * and start: the shared server of the test run (SANDBOX_TEST_PG) serves every PostgreSQL suite in
 * parallel and must never go away under them. Started only where the shared one is configured (so the
 * binaries are installed); skipped with the reason otherwise, or failing under SANDBOX_REQUIRE_POSTGRES=1.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe } from 'vitest';
import { POSTGRES_URL } from './postgres.js';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, '../../.ci/postgres');
const required = process.env.SANDBOX_REQUIRE_POSTGRES === '1';

export interface OwnCluster {
  /** The cluster's `sandbox_test` database. */
  readonly url: string;
  /** Stops the server (fast shutdown: its sessions are ended), keeping the data. */
  pause(): Promise<void>;
  /** Starts it again on the same port. */
  resume(): Promise<void>;
  /**
   * Suspends the server's processes (SIGSTOP): it accepts connections and answers nothing, as a hung
   * host or a network partition does. `thaw` lets them go on.
   */
  freeze(): void;
  thaw(): void;
}

function binariesInstalled(): boolean {
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((v) => existsSync(`${root}/${v}/bin/initdb`));
}

/** A describe block with a cluster of its own on `port` (or the next free one), deleted after the block. */
export function describeOwnCluster(name: string, port: number, body: (cluster: () => OwnCluster) => void): void {
  const missing = !POSTGRES_URL ? 'SANDBOX_TEST_PG is not set' : !binariesInstalled() ? 'no PostgreSQL binaries under /usr/lib/postgresql' : undefined;
  if (missing && !required) {
    console.warn(`${name}: skipped, ${missing} (eval "$(.ci/postgres)" installs and starts PostgreSQL; .ci/run does)`);
    describe.skip(name, () => body(() => undefined as never));
    return;
  }
  describe(name, () => {
    let cluster: OwnCluster | undefined;
    let data: string | undefined;
    // Its own directory only: the environment's SANDBOX_PG_DATA names the shared cluster.
    const script = (command: string) => run(SCRIPT, [command], { env: { ...process.env, SANDBOX_PG_DATA: data } }).then(() => undefined);
    beforeAll(async () => {
      if (missing) throw new Error(`SANDBOX_REQUIRE_POSTGRES=1 but ${missing}`);
      const { stdout } = await run(SCRIPT, [], { env: { ...process.env, SANDBOX_PG_PORT: String(port) } });
      const exported = (key: string) => new RegExp(`^export ${key}=(.*)$`, 'm').exec(stdout)?.[1];
      data = exported('SANDBOX_PG_DATA');
      const url = exported('SANDBOX_TEST_PG');
      if (!data || !url) throw new Error(`.ci/postgres printed no cluster: ${stdout}`);
      let frozen: number[] = [];
      cluster = {
        url,
        pause: () => script('pause'),
        resume: () => script('resume'),
        freeze() {
          frozen = serverProcesses(data!);
          for (const pid of frozen) process.kill(pid, 'SIGSTOP');
        },
        thaw() {
          for (const pid of frozen.splice(0)) process.kill(pid, 'SIGCONT');
        },
      };
    }, 120_000);
    afterAll(async () => {
      cluster?.thaw();
      if (data) await script('stop');
    }, 60_000);
    body(() => {
      if (!cluster) throw new Error('no cluster of its own was started');
      return cluster;
    });
  });
}

/** The cluster's postmaster (postmaster.pid's first line) and its children, by their ids. */
function serverProcesses(root: string): number[] {
  const postmaster = Number(readFileSync(`${root}/data/postmaster.pid`, 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent's id (after the command name in parentheses).
        return (
          Number(
            readFileSync(`/proc/${d}/stat`, 'utf8')
              .replace(/^.*\) /s, '')
              .split(' ')[1],
          ) === postmaster
        );
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}
