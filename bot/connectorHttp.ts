// The HTTP client the Bot Connector calls go through (replies, card edits, roster lookups). The SDK's own
// pipeline retries a connection that fails three times with backoff: an unreachable serviceUrl held a
// turn 4.4 s per send (twice, with the error reply) before anything else happened in that chat. Here a
// request has a deadline, and a connection that cannot be made fails at once, without retries; the
// pipeline still retries what the connector itself answers (429 with Retry-After, 5xx). An unreachable
// connector is logged once, until it answers again.
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
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
  /** Deadline of one request, connection and answer together. */
  timeoutMs: number;
  log: Logger;
}

export function connectorHttpClient({ timeoutMs, log }: ConnectorHttpOptions): ConnectorHttpClient {
  const down = new Set<string>();
  return {
    async sendRequest(request: WebResource): Promise<CompatResponse> {
      const host = hostOf(request.url);
      const signals: AbortSignal[] = [AbortSignal.timeout(request.timeout > 0 ? Math.min(request.timeout, timeoutMs) : timeoutMs)];
      if (request.abortSignal instanceof AbortSignal) signals.push(request.abortSignal);
      let res: Response;
      try {
        res = await fetch(request.url, {
          method: request.method,
          headers: request.headers.rawHeaders(),
          body: bodyOf(request.body),
          signal: AbortSignal.any(signals),
          redirect: 'manual',
        });
      } catch (err) {
        const reason = failureReason(err);
        if (!down.has(host)) {
          down.add(host);
          log.warn({ host, reason }, 'Bot Connector unreachable: sends to it fail at once until it answers again');
        }
        throw new ConnectorUnreachable(host, reason);
      }
      if (down.delete(host)) log.info({ host }, 'Bot Connector reachable again');
      const bodyAsText = await res.text();
      return { request, status: res.status, headers: new Headers(res.headers), bodyAsText } as CompatResponse;
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '?';
  }
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
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return 'timeout';
  if (e?.name === 'AbortError') return 'aborted';
  return e?.cause?.code ?? e?.name ?? 'network error';
}

/** core-http's HttpHeaders shape, over the fetch answer's headers. */
class Headers implements HeadersLike {
  private readonly map = new Map<string, { name: string; value: string }>();

  constructor(from?: globalThis.Headers | Record<string, string>) {
    if (from instanceof globalThis.Headers) from.forEach((value, name) => this.set(name, value));
    else if (from) for (const [name, value] of Object.entries(from)) this.set(name, value);
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
