// The HTTP client the Bot Connector calls go through (replies, card edits, roster lookups). The SDK's own
// pipeline retries a connection that fails three times with backoff: an unreachable serviceUrl held a
// turn 4.4 s per send (twice, with the error reply) before anything else happened in that chat. Here a
// request has a deadline, and a connection that cannot be made fails at once, without retries; the
// pipeline still retries what the connector itself answers (429 with Retry-After, 5xx). An unreachable
// connector is logged once, until it answers again.
//
// The bot's own requests (card edits, typed commands' answers) go through a pipeline of this module's, not
// the SDK's connector client: botbuilder is compiled to generator functions (TypeScript's __awaiter), and V8
// gives every generator closure maps of its own in the old generation, which hold what it captured (the
// request, its 10 KB body) until the next full collection: through the SDK each edit and answer outlived
// two scavenges and was promoted (the README's benchmarks, "The SDK's generators").
import type { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import {
  createEmptyPipeline,
  createHttpHeaders,
  createPipelineRequest,
  defaultRetryPolicy,
  HttpClient,
  Pipeline,
  PipelineRequest,
  PipelineResponse,
  proxyPolicy,
  RestError,
  setClientRequestIdPolicy,
  userAgentPolicy,
} from '@azure/core-rest-pipeline';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Logger } from '../services/log';

type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]>;
export type ConnectorHttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type WebResource = Parameters<ConnectorHttpClient['sendRequest']>[0];
type CompatResponse = Awaited<ReturnType<ConnectorHttpClient['sendRequest']>>;
type HeadersLike = CompatResponse['headers'];
type ConnectorClient = Awaited<ReturnType<ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>['create']>>;
/** What signs a request to a connector: the SDK's credentials of a connector client (a token from Entra). */
export type ConnectorCredentials = ConnectorClient['credentials'];

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

/** One request of the bot's own to a connector, and its answer (whatever its status, once retried). */
export interface ConnectorRequest {
  method: 'PUT' | 'POST';
  url: string;
  /** JSON text. */
  body: string;
  credentials: ConnectorCredentials;
}
/** Sends a request; its answer's body on success, else a RestError with the connector's own message. */
export type ConnectorSend = (request: ConnectorRequest) => Promise<string>;

/** A connector's activities (v3/conversations/{id}/activities[/{activityId}]), as the SDK's client names them. */
export function activitiesUrl(serviceUrl: string, conversationId: string, activityId?: string): string {
  const base = serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`;
  const activity = activityId ? `/${encodeURIComponent(activityId)}` : '';
  return `${base}v3/conversations/${encodeURIComponent(conversationId)}/activities${activity}`;
}

export interface ConnectorHttp {
  /** The SDK's connector clients' HTTP client (ConfigurationBotFrameworkAuthentication's httpClient). */
  sdk: ConnectorHttpClient;
  /** The bot's own requests: signed by the credentials given, retried as the SDK's pipeline retries. */
  send: ConnectorSend;
}

export function connectorHttp({ timeoutMs, log }: ConnectorHttpOptions): ConnectorHttp {
  const down = new Set<string>();
  // Kept-alive connections, as the SDK's own client keeps them; a proxy's agent (HTTPS_PROXY, set on the
  // request by either pipeline's proxy policy) takes their place.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const once = async (request: Outgoing): Promise<Answer> => {
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
      const answer = await exchange(request, url, deadline.signal, agents);
      if (down.delete(host)) log.info({ host }, 'Bot Connector reachable again');
      return answer;
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
  };
  const sdk: ConnectorHttpClient = {
    async sendRequest(request: WebResource): Promise<CompatResponse> {
      const { status, headers, bodyAsText } = await once({
        url: request.url,
        method: request.method,
        headers: request.headers.rawHeaders(),
        body: bodyOf(request.body),
        timeout: request.timeout,
        abortSignal: request.abortSignal,
        agent: request.agent as http.Agent | undefined,
      });
      return { request, status, headers: new CompatHeaders(headers), bodyAsText } as CompatResponse;
    },
  };
  const client: HttpClient = {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const { status, headers, bodyAsText } = await once({
        url: request.url,
        method: request.method,
        headers: request.headers.toJSON({ preserveCase: true }),
        body: bodyOf(request.body),
        timeout: request.timeout,
        abortSignal: request.abortSignal,
        agent: request.agent as http.Agent | undefined,
      });
      return { request, status, headers: createHttpHeaders(headers), bodyAsText };
    },
  };
  // One pipeline per credentials (a connector client's, kept by the adapter): signed at each try.
  const pipelines = new WeakMap<object, Pipeline>();
  const send: ConnectorSend = async ({ method, url, body, credentials }) => {
    let pipeline = pipelines.get(credentials);
    if (!pipeline) pipelines.set(credentials, (pipeline = connectorPipeline(credentials)));
    // The SDK's connector client sends these too (its factory sets the accept header).
    const headers = createHttpHeaders({ 'Content-Type': 'application/json; charset=utf-8', Accept: '*/*' });
    const response = await pipeline.sendRequest(client, createPipelineRequest({ url, method, headers, body }));
    const answer = { status: response.status, bodyAsText: response.bodyAsText ?? '' };
    if (answer.status < 200 || answer.status >= 300) throw connectorFailure(answer);
    return answer.bodyAsText;
  };
  return { sdk, send };
}

/** A connector's answer that is not a success, as the error the SDK's client would throw for it. */
function connectorFailure({ status, bodyAsText }: { status: number; bodyAsText: string }): RestError {
  return new RestError(connectorMessage(bodyAsText) ?? `the Bot Connector answered ${status}`, { statusCode: status });
}

/** The message of the connector's error answer (`{ error: { code, message } }`), when it gave one. */
function connectorMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } })?.error?.message;
    return typeof message === 'string' && message ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The policies of the SDK's connector clients that change what is sent: retries (429 after its
 * Retry-After, 5xx with backoff), the proxy, a request id, the Bot Framework's user agent; and each try
 * signed by the credentials.
 */
function connectorPipeline(credentials: ConnectorCredentials): Pipeline {
  const pipeline = createEmptyPipeline();
  pipeline.addPolicy(setClientRequestIdPolicy());
  pipeline.addPolicy(userAgentPolicy({ userAgentPrefix: USER_AGENT }));
  pipeline.addPolicy(proxyPolicy());
  pipeline.addPolicy(defaultRetryPolicy(), { phase: 'Retry' });
  pipeline.addPolicy(
    {
      name: 'connectorCredentials',
      async sendRequest(request, next) {
        // The credentials sign a request of the SDK's shape; only its headers are read and written.
        const headers = new CompatHeaders();
        await credentials.signRequest({ headers } as unknown as Parameters<ConnectorCredentials['signRequest']>[0]);
        for (const [name, value] of Object.entries(headers.rawHeaders())) request.headers.set(name, value);
        return next(request);
      },
    },
    { phase: 'Sign' },
  );
  return pipeline;
}

/** What one try sends. */
interface Outgoing {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  timeout: number;
  abortSignal?: AbortSignalLike;
  agent?: http.Agent;
}

interface AbortSignalLike {
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  bodyAsText: string;
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** One HTTP request and its whole answer, decompressed as the SDK's own client does it. */
function exchange(request: Outgoing, url: URL, signal: AbortSignal, agents: { http: http.Agent; https: https.Agent }): Promise<Answer> {
  const secure = url.protocol === 'https:';
  const headers = { ...request.headers };
  const { body } = request;
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length'))
    headers['Content-Length'] = String(Buffer.byteLength(body));
  const agent = request.agent ?? (secure ? agents.https : agents.http);
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
          const out: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
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

/** The user agent's first word in Bot Framework requests (the SDK's own starts so). */
const USER_AGENT = 'Microsoft-BotFramework/3.1 Notulist';

/** core-http's HttpHeaders shape (the SDK's compat client and its credentials use it). */
class CompatHeaders implements HeadersLike {
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
  clone(): CompatHeaders {
    return new CompatHeaders(this.rawHeaders());
  }
  toJson(options: { preserveCase?: boolean } = {}): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, h] of this.map) out[options.preserveCase ? h.name : key] = h.value;
    return out;
  }
}
