// A Bot Connector that records each request as it arrived (headers, body, time) and answers as scripted:
// for comparing the bot's own requests with the SDK's, and for its retries. The full fake connector
// (connector.ts) answers as Teams does; this one answers what a test says.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectorClient } from 'botframework-connector';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  accept?: string;
  userAgent?: string;
  /** Date.now() when it arrived. */
  at: number;
  body: string;
}

export interface ScriptedAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RecordingConnector {
  /** Its service URL, with a trailing slash. */
  url: string;
  seen: RecordedRequest[];
  close(): void;
}

/** `answer(n)` answers the n-th request (1-based). */
export async function recordingConnector(answer: (n: number) => ScriptedAnswer): Promise<RecordingConnector> {
  const seen: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        accept: req.headers.accept,
        userAgent: req.headers['user-agent'],
        at: Date.now(),
        body,
      });
      const { status, body: out, headers } = answer(seen.length);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen, close: () => server.close() };
}

/** Credentials that sign each request with a fixed token, as the SDK's do with one from Entra. */
export const SIGNED = 'Bearer signed-by-the-credentials';
export const signingCredentials = {
  signRequest: async <R extends { headers: { set(name: string, value: string): void } }>(request: R) => {
    request.headers.set('Authorization', SIGNED);
    return request;
  },
} as unknown as ConstructorParameters<typeof ConnectorClient>[0];
