// The HTTP client the Bot Connector calls go through (replies, card edits, roster lookups). The SDK's own
// pipeline retries a connection that fails three times with backoff: an unreachable serviceUrl held a
// turn 4.4 s per send (twice, with the error reply) before anything else happened in that chat. Here a
// request has a deadline, and a connection that cannot be made fails at once, without retries; the
// pipeline still retries what the connector itself answers (429 with Retry-After, 5xx). An unreachable
// connector is logged once, until it answers again.
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Logger } from '../services/log';

type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>;
export type ConnectorHttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type WebResource = Parameters<ConnectorHttpClient['sendRequest']>[0];
type CompatResponse = Awaited<ReturnType<ConnectorHttpClient['sendRequest']>>;
type HeadersLike = CompatResponse['headers'];

/** Sending to the connector failed before it answered (refused, unknown host, deadline passed). */
export class ConnectorUnreachable extends Error {
  constructor(
    readonly host: string,
    readonly reason: string,
  ) {
    super(`Bot Connector ${host} unreachable (${reason})`);
    this.name = 'ConnectorUnreachable';
  }
}

export interface ConnectorHttpOptions {
  /** Deadline of one request: connection, answer and its body together. */
  timeoutMs: number;
  log: Logger;
}

export function connectorHttpClient({ timeoutMs, log }: ConnectorHttpOptions): ConnectorHttpClient {
  const down = new Set<string>();
  // Kept-alive connections, as the SDK's own client keeps them; a proxy's agent (HTTPS_PROXY, set on the
  // request by the pipeline's proxy policy) takes their place.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  return {
    async sendRequest(request: WebResource): Promise<CompatResponse> {
      const url = new URL(request.url);
      const host = url.host;
      const deadline = new AbortController();
      const timer = setTimeout(
        () => deadline.abort(new TimeoutError()),
        request.timeout > 0 ? Math.min(request.timeout, timeoutMs) : timeoutMs,
      );
      const cancel = () => deadline.abort();
      request.abortSignal?.addEventListener('abort', cancel);
      try {
        const { status, headers, bodyAsText } = await exchange(request, url, deadline.signal, agents);
        if (down.delete(host)) log.info({ host }, 'Bot Connector reachable again');
        return { request, status, headers, bodyAsText } as CompatResponse;
      } catch (err) {
        const reason = failureReason(deadline.signal.reason ?? err);
        if (!down.has(host)) {
          down.add(host);
          log.warn({ host, reason }, 'Bot Connector unreachable: sends to it fail at once until it answers again');
        }
        // Not a RestError: the pipeline's retry policy passes it on at once.
        throw new ConnectorUnreachable(host, reason);
      } finally {
        clearTimeout(timer);
        request.abortSignal?.removeEventListener('abort', cancel);
      }
    },
  };
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** One HTTP request and its whole answer, decompressed as the SDK's own client does it. */
function exchange(
  request: WebResource,
  url: URL,
  signal: AbortSignal,
  agents: { http: http.Agent; https: https.Agent },
): Promise<{ status: number; headers: Headers; bodyAsText: string }> {
  const secure = url.protocol === 'https:';
  const headers = request.headers.rawHeaders();
  const body = bodyOf(request.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length'))
    headers['Content-Length'] = String(Buffer.byteLength(body));
  const agent = (request.agent as http.Agent | undefined) ?? (secure ? agents.https : agents.http);
  return new Promise((resolve, reject) => {
    const req = (secure ? https : http).request(
      { hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: request.method, headers, agent, signal },
      (res) => {
        const encoding = String(res.headers['content-encoding'] ?? '');
        const stream = encoding === 'gzip' ? res.pipe(zlib.createGunzip()) : encoding === 'deflate' ? res.pipe(zlib.createInflate()) : res;
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.once('error', reject);
        res.once('error', reject);
        stream.once('end', () => {
          const out = new Headers();
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) out.set(name, Array.isArray(value) ? value.join(', ') : value);
          resolve({ status: res.statusCode ?? 0, headers: out, bodyAsText: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

function bodyOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  // The connector's bodies are JSON text.
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  if (typeof body === 'function') throw new Error('streamed request bodies are not sent to the connector');
  return JSON.stringify(body);
}

function failureReason(err: unknown): string {
  const e = err as { name?: string; code?: string; cause?: { name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return 'timeout';
  if (e?.name === 'AbortError') return 'aborted';
  return e?.code ?? e?.name ?? 'network error';
}

/** core-http's HttpHeaders shape, over the fetch answer's headers. */
class Headers implements HeadersLike {
  private readonly map = new Map<string, { name: string; value: string }>();

  constructor(from?: Record<string, string>) {
    if (from) for (const [name, value] of Object.entries(from)) this.set(name, value);
  }
  set(name: string, value: string | number): void {
    this.map.set(name.toLowerCase(), { name, value: String(value) });
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.value;
  }
  contains(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  remove(name: string): boolean {
    return this.map.delete(name.toLowerCase());
  }
  rawHeaders(): Record<string, string> {
    return this.toJson({ preserveCase: true });
  }
  headersArray(): { name: string; value: string }[] {
    return [...this.map.values()];
  }
  headerNames(): string[] {
    return [...this.map.values()].map((h) => h.name);
  }
  headerValues(): string[] {
    return [...this.map.values()].map((h) => h.value);
  }
  clone(): Headers {
    return new Headers(this.rawHeaders());
  }
  toJson(options: { preserveCase?: boolean } = {}): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, h] of this.map) out[options.preserveCase ? h.name : key] = h.value;
    return out;
  }
}
