/** `card-sandbox wait`: the CI step between starting the sandbox in the background and running the tests. */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox.js';
import { runCli } from '../helpers/process.js';

/** A port nothing listens on: one the system just handed out and that was closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('card-sandbox wait', () => {
  it('exits 0 with the health answer once the sandbox is healthy', async () => {
    const sb = await createSandbox({ logLevel: 'silent' });
    try {
      const url = await sb.listen(0, '127.0.0.1');
      const { code, stdout, stderr } = await runCli(['wait', '--url', url, '--timeout', '20s']).output;
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ status: 'ok' });
    } finally {
      await sb.close();
    }
  });

  it('exits 1 saying why after the timeout when nothing answers', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await runCli(['wait', '--timeout', '300ms', '--interval', '50ms'], { SANDBOX_URL: `http://127.0.0.1:${port}` }).output;
    expect(code).toBe(1);
    expect(stdout).toBe('');
    // The last attempt's reason: refused, or (on a loaded machine) cut short by the deadline.
    expect(stderr).toMatch(
      new RegExp(`^card-sandbox: http://127\\.0\\.0\\.1:${port}/__sandbox/health not healthy after 300 ms: (ECONNREFUSED|no answer within \\d+ ms)\n$`),
    );
  });

  it('exits 2 on a wrong --url or --timeout', async () => {
    const badUrl = await runCli(['wait', '--url', 'ftp://127.0.0.1:1']).output;
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url must be an http(s) URL');
    const badTimeout = await runCli(['wait', '--timeout', 'soon']).output;
    expect(badTimeout.code).toBe(2);
    expect(badTimeout.stderr).toContain('give ms or a duration');
  });
});
