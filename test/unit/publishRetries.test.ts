// The SharePoint publisher's retry policy (withRetries), driven with a fake request and small settings:
// a Retry-After is waited in full and never cut short; one asking for longer than the bot waits, or
// beyond what is left of the publish's waiting time, ends the step at once with a reason that says so.
// Only lower bounds on time are asserted: "fails at once" is shown by the request count, and by the
// test's own timeout where the wait asked for is far longer than it.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { GraphError } from '@microsoft/microsoft-graph-client';
import { STALE_PUBLISH_MS } from '../../services/minutes/minutesService';
import { DEFAULT_RETRY, PublishError, RetryBudget, RetrySettings, withRetries } from '../../services/minutes/graphRetries';

const STEP = 'upload of x.docx';

/** Graph's answer as the Graph client throws it. */
function graphError(status: number, code: string, retryAfter?: string): GraphError {
  const err = new GraphError(status, `${code} (fake)`);
  err.code = code;
  if (retryAfter !== undefined) err.headers = new Headers({ 'Retry-After': retryAfter });
  return err;
}

function dropped(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** A request that fails with `failures` in turn, then answers 'done'; `calls` holds when each attempt began. */
function fakeRequest(failures: Error[]): { request: () => Promise<string>; calls: number[]; failedAt: number[] } {
  const calls: number[] = [];
  const failedAt: number[] = [];
  let next = 0;
  const request = async (): Promise<string> => {
    calls.push(performance.now());
    const failure = failures[next++];
    if (!failure) return 'done';
    failedAt.push(performance.now());
    throw failure;
  };
  return { request, calls, failedAt };
}

async function rejection(promise: Promise<unknown>): Promise<PublishError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof PublishError, `a PublishError: ${String(err)}`);
    return err;
  }
  assert.fail('the step should have failed');
}

const small = (overrides: Partial<RetrySettings>): RetrySettings => ({ ...DEFAULT_RETRY, baseDelayMs: 50, ...overrides });

describe('publish retries (withRetries)', () => {
  it('by default waits what SharePoint asks (up to 120 s), and all waits of a publish stay well within the stale-publish limit', () => {
    assert.equal(DEFAULT_RETRY.maxDelaySeconds, 120);
    assert.ok(DEFAULT_RETRY.maxTotalDelaySeconds >= DEFAULT_RETRY.maxDelaySeconds, 'one full wait fits in the budget');
    assert.ok(DEFAULT_RETRY.maxTotalDelaySeconds * 1000 <= STALE_PUBLISH_MS / 2, 'at most half the stale-publish limit');
  });

  it('a Retry-After within the limit is waited in full: the request is not sent again earlier', async () => {
    // The limit scaled down to 1 s; a Retry-After of exactly the limit is still waited, not cut short.
    const { request, calls, failedAt } = fakeRequest([
      graphError(429, 'TooManyRequests', '1'),
      graphError(503, 'serviceNotAvailable', '1'),
    ]);
    const result = await withRetries(STEP, { idempotent: true }, request, small({ maxDelaySeconds: 1, maxTotalDelaySeconds: 10 }));
    assert.equal(result, 'done');
    assert.equal(calls.length, 3);
    for (let i = 0; i < failedAt.length; i++) {
      const waited = calls[i + 1] - failedAt[i];
      assert.ok(waited >= 1000, `attempt ${i + 2} was sent ${waited.toFixed(1)} ms after the answer asking for 1 s`);
    }
  });

  it('a Retry-After above the limit fails the step at once, saying how long SharePoint asked to wait', async function () {
    // The default limit (120 s): waiting 121 s would run far past this test's timeout.
    this.timeout(5_000);
    const { request, calls } = fakeRequest([graphError(429, 'TooManyRequests', '121')]);
    const err = await rejection(withRetries(STEP, { idempotent: true }, request));
    assert.equal(calls.length, 1, 'not sent again');
    assert.equal(err.step, STEP);
    assert.equal(err.status, 429);
    assert.match(err.message, /^upload of x\.docx failed: SharePoint asked to wait 121 seconds \(429 TooManyRequests/);
  });

  it('a Retry-After given as a date is read as the wait until then', async function () {
    this.timeout(5_000);
    const inTenMinutes = new Date(Date.now() + 600_000).toUTCString();
    const { request, calls } = fakeRequest([graphError(503, 'serviceNotAvailable', inTenMinutes)]);
    const err = await rejection(withRetries(STEP, { idempotent: true }, request));
    assert.equal(calls.length, 1);
    assert.match(err.message, /SharePoint asked to wait (599|600) seconds \(503 serviceNotAvailable/);
  });

  it('a wait beyond what is left of the waiting budget fails at once; the budget is shared by the steps that pass it', async () => {
    const settings = small({ maxDelaySeconds: 1, maxTotalDelaySeconds: 1.5 });
    const budget: RetryBudget = { waitedMs: 0 };
    // The first step waits its 1 s and succeeds.
    const first = fakeRequest([graphError(429, 'TooManyRequests', '1')]);
    assert.equal(await withRetries('saving decision 1', { idempotent: true }, first.request, settings, undefined, budget), 'done');
    assert.ok(first.calls[1] - first.failedAt[0] >= 1000);
    // The next step of the same publish would go past 1.5 s in all: it is not sent again.
    const second = fakeRequest([graphError(429, 'TooManyRequests', '1')]);
    const err = await rejection(withRetries('saving decision 2', { idempotent: true }, second.request, settings, undefined, budget));
    assert.equal(second.calls.length, 1);
    assert.match(err.message, /^saving decision 2 failed: SharePoint asked to wait 1 second more, after 1 second of waiting \(429/);
    // Without a shared budget a step has a budget of its own.
    const alone = fakeRequest([graphError(429, 'TooManyRequests', '1')]);
    assert.equal(await withRetries('saving decision 3', { idempotent: true }, alone.request, settings), 'done');
  });

  it('without a Retry-After it backs off exponentially, as before', async () => {
    const { request, calls, failedAt } = fakeRequest([dropped(), dropped(), dropped()]);
    assert.equal(await withRetries(STEP, { idempotent: true }, request, small({ baseDelayMs: 50 })), 'done');
    assert.equal(calls.length, 4);
    // 50, 100, 200 ms, each with up to 20 % jitter either way.
    for (let i = 0; i < failedAt.length; i++) assert.ok(calls[i + 1] - failedAt[i] >= 0.8 * 50 * 2 ** i, `back-off ${i + 1}`);
  });

  it('a 401 is sent once more with a new token; refused again, the step fails naming it', async () => {
    let renewals = 0;
    const renewToken = () => void renewals++;
    const once = fakeRequest([graphError(401, 'InvalidAuthenticationToken')]);
    assert.equal(await withRetries(STEP, { idempotent: false, renewToken }, once.request, small({})), 'done');
    assert.equal(once.calls.length, 2);
    assert.equal(renewals, 1);

    const twice = fakeRequest([graphError(401, 'InvalidAuthenticationToken'), graphError(401, 'InvalidAuthenticationToken')]);
    const err = await rejection(withRetries(STEP, { idempotent: true, renewToken }, twice.request, small({})));
    assert.equal(twice.calls.length, 2, 'one renewal per request, not one per attempt');
    assert.equal(renewals, 2);
    assert.equal(err.status, 401);
    assert.match(err.message, /^upload of x\.docx failed \(after 2 attempts\): 401 InvalidAuthenticationToken/);

    // Without a way to a new token (a client not made by createGraphClient) it fails at once.
    const none = fakeRequest([graphError(401, 'InvalidAuthenticationToken')]);
    const plain = await rejection(withRetries(STEP, { idempotent: true }, none.request, small({})));
    assert.equal(none.calls.length, 1);
    assert.match(plain.message, /^upload of x\.docx failed: 401 InvalidAuthenticationToken/);
  });
});
