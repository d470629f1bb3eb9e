/**
 * Sandbox.close() on a listening sandbox: it stops at once even with a connection that has sent nothing
 * yet (browsers and fetch open spare connections ahead of need; Node's closeIdleConnections leaves those
 * be, and the server would wait up to its headers timeout, longer than this suite's test timeout), while
 * a request already under way still gets its answer.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox.js';

async function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await once(socket, 'connect');
  return socket;
}

describe('close() on a listening sandbox', () => {
  it('closes a connection that has sent no request, instead of waiting for it', async () => {
    const sb = await createSandbox({ db: ':memory:', logLevel: 'silent' });
    const socket = await openSocket(await sb.listen(0, '127.0.0.1'));
    const closed = once(socket, 'close');
    await sb.close();
    await closed;
    expect(socket.destroyed).toBe(true);
  });

  it('still answers a request whose headers arrived before close()', async () => {
    const sb = await createSandbox({ db: ':memory:', logLevel: 'silent' });
    const socket = await openSocket(await sb.listen(0, '127.0.0.1'));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write('GET /__sandbox/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    // The request has reached the server once its answer begins.
    await once(socket, 'data');
    await sb.close();
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
