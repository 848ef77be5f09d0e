// The Bot Connector's HTTP client (bot/connectorHttp.ts): answers as the SDK's own client gives them
// (decompressed, headers readable), a proxy agent set on the request is used, a connection that cannot be
// made fails at once and is logged once per host, and every request has a deadline.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import pino from 'pino';
import { ConnectorHttpClient, connectorHttp, ConnectorUnreachable } from '../../bot/connectorHttp';
import { freePort } from '../support/childBot';

type Request = Parameters<ConnectorHttpClient['sendRequest']>[0];

function request(url: string, extra: Record<string, unknown> = {}): Request {
  const headers = { 'Content-Type': 'application/json', 'Accept-Encoding': 'gzip' };
  return {
    url,
    method: 'POST',
    body: JSON.stringify({ type: 'message', text: 'hallo' }),
    timeout: 0,
    headers: { rawHeaders: () => ({ ...headers }) },
    ...extra,
  } as unknown as Request;
}

describe('Bot Connector HTTP client', () => {
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void logs.push(JSON.parse(l) as Record<string, unknown>) });
  let server: http.Server;
  let url = '';
  let received: { body: string; length?: string }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString(), length: req.headers['content-length'] });
        res.writeHead(201, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-ms-thing': 'ok' });
        res.end(zlib.gzipSync(JSON.stringify({ id: 'act-1' })));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/v3/conversations/c/activities`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends the body with its length and gives the answer decompressed, with its status and headers', async () => {
    received = [];
    const client = connectorHttp({ timeoutMs: 2000, log }).sdk;
    const res = await client.sendRequest(request(url));
    assert.equal(res.status, 201);
    assert.deepEqual(JSON.parse(res.bodyAsText ?? ''), { id: 'act-1' });
    assert.equal(res.headers.get('X-MS-Thing'), 'ok');
    assert.equal(received[0]!.body, JSON.stringify({ type: 'message', text: 'hallo' }));
    assert.equal(received[0]!.length, String(received[0]!.body.length));
  });

  it("uses the agent the pipeline's proxy policy put on the request", async () => {
    let connections = 0;
    class CountingAgent extends http.Agent {
      override createConnection(...args: Parameters<http.Agent['createConnection']>) {
        connections++;
        return super.createConnection(...args);
      }
    }
    const client = connectorHttp({ timeoutMs: 2000, log }).sdk;
    await client.sendRequest(request(url, { agent: new CountingAgent() }));
    assert.equal(connections, 1);
  });

  it('a refused connection fails at once, logged once per host until the host answers again', async () => {
    const client = connectorHttp({ timeoutMs: 2000, log }).sdk;
    const dead = `http://127.0.0.1:${await freePort()}/v3/conversations/c/activities`;
    const mark = logs.length;
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await assert.rejects(
        client.sendRequest(request(dead)),
        (err: unknown) => err instanceof ConnectorUnreachable && err.reason === 'ECONNREFUSED',
      );
      assert.ok(Date.now() - started < 500);
    }
    assert.equal(logs.slice(mark).filter((l) => String(l.msg).startsWith('Bot Connector unreachable')).length, 1);
  });

  it('a connector that never answers fails at the deadline', async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const sockets: net.Socket[] = [];
    silent.on('connection', (s) => sockets.push(s));
    try {
      const client = connectorHttp({ timeoutMs: 300, log }).sdk;
      const started = Date.now();
      const target = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;
      await assert.rejects(
        client.sendRequest(request(target)),
        (err: unknown) => err instanceof ConnectorUnreachable && err.reason === 'timeout',
      );
      const took = Date.now() - started;
      assert.ok(took >= 250 && took < 1500, `${took} ms`);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
