// The retry policy of every Graph request the SharePoint publisher and the setup make: bounded attempts,
// a Retry-After waited in full (up to a limit, and within one budget per publish), a dropped connection
// sent again only when that is safe, and a refused token (401) renewed once. The Graph client's own
// RetryHandler is switched off so that this is the only policy.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, GraphError, GraphRequest, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { isRecord } from './driveItems';
import type { PublisherLog } from './publisher';

export interface RetrySettings {
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /**
   * The longest single wait. A Retry-After up to this is waited in full (never cut short: asking again
   * early only prolongs the throttling); one asking for more fails the step at once. Also caps the back-off.
   */
  maxDelaySeconds: number;
  /**
   * All waits of one publish together (of one withRetries call when it is used alone): a wait that would
   * go past this fails the step at once, so a throttled publish ends well before it counts as interrupted.
   */
  maxTotalDelaySeconds: number;
  /** First back-off when the answer carries no Retry-After (doubles per attempt). */
  baseDelayMs: number;
}

/** A publish step that failed for good; the message names the step. */
export class PublishError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly status?: number,
    readonly lostAnswer = false,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

export const RETRYABLE_STATUS = new Set([429, 503, 504]);
// Our own loop is the only retry policy: the client's RetryHandler would nest its retries inside ours
// (and it skips octet-stream bodies anyway).
const NO_CLIENT_RETRY = new RetryHandlerOptions(0, 0);

export interface Failure {
  status?: number;
  retryAfterSeconds?: number;
  network: boolean;
  message: string;
}

// SharePoint asks for up to 120 s when it throttles. Five minutes of waiting in all keeps a publish well
// within the ten minutes after which MinutesService takes it for interrupted.
export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 5, maxDelaySeconds: 120, maxTotalDelaySeconds: 300, baseDelayMs: 1000 };

/** What the retries have waited so far: of one publish (shared by its steps), or of one withRetries call. */
export interface RetryBudget {
  waitedMs: number;
}

export interface RetryHow<T> {
  /** Safe to send again after a dropped connection (GET, PUT, PATCH, DELETE, or a create that fails on a repeat). */
  idempotent: boolean;
  /** After a dropped connection: finds what the write did, if it landed (then that is the result). */
  onLostAnswer?: () => Promise<T | undefined>;
  /** After a 401: makes the next attempt carry a new token (then the request is sent once more). */
  renewToken?: () => void;
}

/** A request through the Graph client with the client's own retries off: withRetries is the one policy. */
export function graphApi(client: Client, path: string): GraphRequest {
  return client.api(path).middlewareOptions([NO_CLIENT_RETRY]);
}

/**
 * Sends one request with bounded retries: 429/503/504 after the whole Retry-After (or at once failing
 * when that is longer than the bot waits, see RetrySettings), a dropped connection again only when the
 * request is idempotent or, when the caller can tell, after checking whether the write landed, and a
 * 401 once more with a new token when the caller can get one. Fails with a PublishError whose message
 * names the step.
 */
export async function withRetries<T>(
  step: string,
  how: RetryHow<T>,
  request: () => Promise<T>,
  settings: RetrySettings = DEFAULT_RETRY,
  log?: PublisherLog,
  budget: RetryBudget = { waitedMs: 0 },
): Promise<T> {
  let renewed = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (err) {
      const failure = describeFailure(err);
      // The token was refused (revoked, say) before anything was done, so any request may be sent again;
      // with the cached token it would only be refused again. Once: a new token refused too is the answer.
      if (failure.status === 401 && how.renewToken && !renewed && attempt < settings.maxAttempts) {
        renewed = true;
        how.renewToken();
        log?.warn({ step, attempt, reason: failure.message }, 'token refused; retrying with a new one');
        continue;
      }
      if (failure.network && how.onLostAnswer) {
        const landed = await how.onLostAnswer();
        if (landed !== undefined) {
          log?.info({ step }, 'the answer was lost but the write landed');
          return landed;
        }
      }
      const retryable =
        failure.status !== undefined
          ? RETRYABLE_STATUS.has(failure.status)
          : failure.network && (how.idempotent || how.onLostAnswer !== undefined);
      if (!retryable || attempt >= settings.maxAttempts) {
        throw new PublishError(step, `${step} failed${afterAttempts(attempt)}: ${failure.message}`, failure.status, failure.network);
      }
      await pauseBeforeRetry(step, failure, attempt, settings, budget, log);
    }
  }
}

function afterAttempts(attempt: number): string {
  return attempt > 1 ? ` (after ${attempt} attempts)` : '';
}

function seconds(n: number): string {
  const whole = Math.round(n);
  return whole === 1 ? '1 second' : `${whole} seconds`;
}

/**
 * Waits before attempt `attempt + 1`: the Retry-After in full, else an exponential back-off. A Retry-After
 * above maxDelaySeconds, or any wait beyond what is left of maxTotalDelaySeconds, is not waited: the step
 * fails at once, saying how long SharePoint asked for, and the secretary publishes again later.
 */
export async function pauseBeforeRetry(
  step: string,
  failure: Failure,
  attempt: number,
  settings: RetrySettings,
  budget: RetryBudget,
  log?: PublisherLog,
): Promise<void> {
  const { maxDelaySeconds, maxTotalDelaySeconds, baseDelayMs } = settings;
  const asked = failure.retryAfterSeconds;
  const ms =
    asked !== undefined ? asked * 1000 : Math.min(baseDelayMs * 2 ** (attempt - 1), maxDelaySeconds * 1000) * (0.8 + Math.random() * 0.4);
  const tooLong = asked !== undefined && asked > maxDelaySeconds;
  if (tooLong || budget.waitedMs + ms > maxTotalDelaySeconds * 1000) {
    const tries = afterAttempts(attempt);
    const already = tooLong ? '' : ` more, after ${seconds(budget.waitedMs / 1000)} of waiting`;
    const message =
      asked !== undefined
        ? `${step} failed${tries}: SharePoint asked to wait ${seconds(Math.ceil(asked))}${already} (${failure.message})`
        : `${step} failed${tries}: ${failure.message}`;
    log?.warn({ step, attempt, askedMs: Math.round(ms), waitedMs: Math.round(budget.waitedMs) }, 'not waiting that long');
    throw new PublishError(step, message, failure.status, failure.network);
  }
  budget.waitedMs += ms;
  log?.warn({ step, attempt, waitMs: Math.round(ms), reason: failure.message }, 'retrying');
  await sleepAtLeast(ms);
}

/** A timer may fire a little early (it counts from the event loop's cached time): a retry never may. */
async function sleepAtLeast(ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (let left = ms; left > 0; left = until - performance.now()) await sleep(Math.ceil(left));
}

const NETWORK_CODES = /ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_|socket hang up|other side closed/;

function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as Error & { code?: unknown }).code;
    if (e.name === 'TimeoutError') return true;
    if (e.message === 'fetch failed' || NETWORK_CODES.test(e.message) || (typeof code === 'string' && NETWORK_CODES.test(code)))
      return true;
  }
  return false;
}

function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

export function describeFailure(err: unknown): Failure {
  if (err instanceof GraphError) {
    if (err.statusCode > 0) {
      const what = [err.statusCode, err.code].filter(Boolean).join(' ');
      return {
        status: err.statusCode,
        retryAfterSeconds: retryAfterSeconds(err.headers?.get('Retry-After')),
        network: false,
        message: `${what}: ${err.message || 'no message'}`,
      };
    }
    // No status: the request never got an answer, or the token could not be had (code is the error's name).
    if (err.code && /Authentication|Credential/.test(err.code)) {
      return { network: false, message: `could not get a token from Entra ID: ${err.message}` };
    }
    return { network: isNetworkError(err), message: err.message || String(err.code) };
  }
  if (err instanceof Error) return { network: isNetworkError(err), message: err.message };
  return { network: false, message: String(err) };
}

export async function failureFromResponse(res: Response, what: string): Promise<Failure> {
  const text = await res.text().catch(() => '');
  let detail = text.slice(0, 300);
  try {
    const body: unknown = JSON.parse(text);
    const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
    if (error) detail = `${String(error.code ?? '')}: ${String(error.message ?? '')}`;
  } catch {
    // not JSON: keep the text
  }
  return {
    status: res.status,
    retryAfterSeconds: retryAfterSeconds(res.headers.get('Retry-After')),
    network: false,
    message: `${what}: ${res.status} ${detail}`.trim(),
  };
}
