// Tokens over HTTP, against a loopback stand-in of Microsoft's OpenID metadata and key set (our own RSA
// key), so signatures are really checked: a token the stand-in's key signed runs the turn; every forged,
// expired or misdirected one is 401 with nothing internal in the body and one log line (no stack trace,
// nothing on the console); OpenID metadata that cannot be fetched is 503.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Notulist, startNotulist } from '../../bot/index';
import { loadConfig } from '../../services/config';
import { TEST_USERS } from '../support/botHarness';
import { ChildBot, freePort, killChildBots } from '../support/childBot';
import { Connector } from '../support/connector';
import { CHANNEL_ISSUER, jwt, OpenIdStandIn, rsaKeyPair, TRUSTED_KID } from '../support/openIdStandIn';
import { TeamsClient } from '../support/teamsClient';

const APP_ID = '00000000-0000-4000-8000-00000000b07a';
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
/** Text that must never reach a client: SDK and library messages, stack frames, hosts. */
const INTERNAL = /jwt|signature|invalid|token|ENOTFOUND|ECONNREFUSED|request to|getaddrinfo|openid|Unauthorized\.|at \w+ \(|login\./i;

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}

interface Bot {
  app: Notulist;
  logs: Record<string, unknown>[];
  dataDir: string;
  post(activity: Record<string, unknown>, authorization?: string): Promise<Answer>;
  stop(): Promise<void>;
}

async function startBot(env: Record<string, string>): Promise<Bot> {
  const dataDir = await mkdtemp(join(tmpdir(), 'notulist-auth-'));
  const logs: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const config = {
    ...loadConfig({
      PORT: '3978',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-offline',
      ...env,
    }),
    port: 0,
  };
  const app = await startNotulist(config, { log });
  return {
    app,
    logs,
    dataDir,
    async post(activity, authorization) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (authorization !== undefined) headers.authorization = authorization;
      const res = await fetch(`${app.url}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
      return { status: res.status, text: await res.text(), headers: res.headers };
    },
    async stop() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Records console output of the SDK (it writes stack traces and keys there) while `work` runs. */
async function consoleDuring<T>(work: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log, info: console.info };
  const capture = (...args: unknown[]) =>
    void lines.push(args.map((a) => (a instanceof Error ? (a.stack ?? a.message) : String(a))).join(' '));
  Object.assign(console, { error: capture, warn: capture, log: capture, info: capture });
  try {
    return { result: await work(), lines };
  } finally {
    Object.assign(console, saved);
  }
}

describe('HTTP: Bot Framework tokens, checked against a stand-in of the OpenID metadata', function () {
  this.timeout(60000);
  let standIn: OpenIdStandIn;
  let connector: Connector;
  let bot: Bot;
  let client: TeamsClient;

  before(async () => {
    standIn = await OpenIdStandIn.start();
    connector = await Connector.start(Object.values(TEST_USERS));
    bot = await startBot({
      ToBotFromChannelOpenIdMetadataUrl: standIn.channelMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: standIn.emulatorMetadataUrl,
    });
    client = new TeamsClient({ botUrl: bot.app.url, connector, users: TEST_USERS, tenantId: 'tenant-auth' });
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
    await standIn?.stop();
  });

  const helpClick = (extra: Record<string, unknown> = {}) =>
    client.base('member', {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: 'help', data: { verb: 'help' } }, trigger: 'manual' },
      ...extra,
    });
  const planMessage = () =>
    client.base('secretary', { type: 'message', text: 'vergadering\ntitel: Vervalst\ndatum: 01-01-2030', textFormat: 'plain' });

  it('a token signed by the published key runs the turn', async () => {
    const token = standIn.token(APP_ID, connector.url);
    const answer = await bot.post(helpClick(), `Bearer ${token}`);
    assert.equal(answer.status, 200, answer.text);
    const body = JSON.parse(answer.text) as { statusCode?: number; value?: { type?: string } };
    assert.equal(body.statusCode, 200);
    assert.equal(body.value?.type, 'AdaptiveCard');
    assert.ok(standIn.requests.includes('/v1/.well-known/keys'), 'the keys were fetched from the stand-in');
  });

  it('every forged, expired or misdirected token is 401, says nothing internal, logs one line and never runs a turn', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: CHANNEL_ISSUER, aud: APP_ID, serviceurl: connector.url, nbf: now - 60, iat: now - 60, exp: now + 3600 };
    const valid = standIn.token(APP_ID, connector.url);
    const [h, p, sig] = valid.split('.') as [string, string, string];
    const other = rsaKeyPair();
    const publicPem = standIn.trusted.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const forged: [string, string | undefined][] = [
      ['no Authorization header', undefined],
      ['an empty header', ''],
      ['"Bearer" alone', 'Bearer '],
      ['Basic credentials', 'Basic dXNlcjpwYXNz'],
      ['a valid token under a lower-case scheme', `bearer ${valid}`],
      ['not a JWT', 'Bearer hello'],
      ['two parts', `Bearer ${h}.${p}`],
      ['four parts', `Bearer ${valid}.${sig}`],
      ['a header that is not JSON', `Bearer ${b64('not json')}.${p}.${sig}`],
      ['alg none without signature', `Bearer ${jwt({ alg: 'none', typ: 'JWT', kid: TRUSTED_KID }, claims)}`],
      ['alg none with a signature part', `Bearer ${b64({ alg: 'none', typ: 'JWT', kid: TRUSTED_KID })}.${p}.${sig}`],
      ['HS256 keyed with the public key', `Bearer ${jwt({ alg: 'HS256', typ: 'JWT', kid: TRUSTED_KID }, claims, publicPem)}`],
      ['HS256 keyed with a guess', `Bearer ${jwt({ alg: 'HS256', typ: 'JWT', kid: TRUSTED_KID }, claims, 'secret')}`],
      ['RS256 by another key under the trusted kid', `Bearer ${jwt({ alg: 'RS256', kid: TRUSTED_KID }, claims, other.privateKey)}`],
      ['RS256 by another key under an unknown kid', `Bearer ${jwt({ alg: 'RS256', kid: 'attacker-1' }, claims, other.privateKey)}`],
      ['ES256 declared', `Bearer ${jwt({ alg: 'ES256', kid: TRUSTED_KID }, claims, standIn.trusted.privateKey, 'RS256')}`],
      ['RS512 declared, RS256 signed', `Bearer ${jwt({ alg: 'RS512', kid: TRUSTED_KID }, claims, standIn.trusted.privateKey, 'RS256')}`],
      ['no kid', `Bearer ${jwt({ alg: 'RS256', typ: 'JWT' }, claims, standIn.trusted.privateKey)}`],
      [
        'a spliced signature (another token for another bot)',
        `Bearer ${standIn.token('another-app', connector.url).split('.').slice(0, 2).join('.')}.${sig}`,
      ],
      ['claims changed after signing', `Bearer ${h}.${b64({ ...claims, serviceurl: 'https://evil.example/' })}.${sig}`],
      ['a signature cut short', `Bearer ${h}.${p}.${sig.slice(0, 40)}`],
      ['an empty signature', `Bearer ${h}.${p}.`],
      ['expired an hour ago', `Bearer ${standIn.token(APP_ID, connector.url, { exp: now - 3600, nbf: now - 7200 })}`],
      ['not valid for another hour', `Bearer ${standIn.token(APP_ID, connector.url, { nbf: now + 3600 })}`],
      ['no expiry', `Bearer ${standIn.token(APP_ID, connector.url, { exp: undefined })}`],
      ['expiry as text', `Bearer ${standIn.token(APP_ID, connector.url, { exp: String(now + 3600) })}`],
      ['an untrusted issuer', `Bearer ${standIn.token(APP_ID, connector.url, { iss: 'https://evil.example' })}`],
      [
        'an Entra ID issuer with the Bot Connector key',
        `Bearer ${standIn.token(APP_ID, connector.url, { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', ver: '1.0', appid: APP_ID })}`,
      ],
      ['another bot as audience', `Bearer ${standIn.token('another-app', connector.url)}`],
      ['another connector in the serviceurl claim', `Bearer ${standIn.token(APP_ID, 'https://evil.example/')}`],
      ['a 12 KB token', `Bearer ${h}.${b64({ ...claims, pad: 'x'.repeat(9000) })}.${sig}`],
    ];
    const marks = { logs: bot.logs.length, connector: connector.mark() };
    const { result: answers, lines: consoleLines } = await consoleDuring(async () => {
      const out: Answer[] = [];
      for (const [, authorization] of forged) out.push(await bot.post(planMessage(), authorization));
      return out;
    });
    forged.forEach(([what], i) => {
      const a = answers[i]!;
      assert.equal(a.status, 401, `${what}: HTTP ${a.status} ${a.text}`);
      assert.deepEqual(JSON.parse(a.text), { error: { code: 'Unauthorized', message: 'The request is not authenticated.' } }, what);
      assert.doesNotMatch(a.text.replace('The request is not authenticated.', ''), INTERNAL, what);
    });
    const logged = bot.logs.slice(marks.logs);
    const refusals = logged.filter((l) => l.msg === 'request refused: not authenticated');
    assert.equal(refusals.length, forged.length, `one log line per 401: ${JSON.stringify(logged.map((l) => l.msg))}`);
    for (const l of logged) assert.ok(!JSON.stringify(l).includes('    at '), `no stack trace in the log: ${JSON.stringify(l)}`);
    assert.deepEqual(consoleLines, [], 'nothing on the console');
    assert.equal(connector.mark(), marks.connector, 'no reply to a forged request');
    const series = await bot.app.meetings.read('tenant-auth', client.conversationId);
    assert.equal(series.meetings.length, 0, 'no turn ran');
  });

  it('a token whose key is not endorsed for the channel the activity names is 401', async () => {
    const answer = await bot.post(helpClick({ channelId: 'slack' }), `Bearer ${standIn.token(APP_ID, connector.url)}`);
    assert.equal(answer.status, 401, answer.text);
  });

  describe('OpenID metadata that cannot be fetched: 503, nothing internal in the body', () => {
    const cases: [string, (s: OpenIdStandIn) => Record<string, string>][] = [
      [
        'nothing listens there',
        () => ({
          ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/v1/.well-known/openidconfiguration',
          ToBotFromEmulatorOpenIdMetadataUrl: 'http://127.0.0.1:9/common/v2.0/.well-known/openid-configuration',
        }),
      ],
      [
        'it answers 500',
        (s) => {
          s.mode = 'fail';
          return { ToBotFromChannelOpenIdMetadataUrl: s.channelMetadataUrl };
        },
      ],
      [
        'it never answers',
        (s) => {
          s.mode = 'hang';
          return { ToBotFromChannelOpenIdMetadataUrl: s.channelMetadataUrl };
        },
      ],
    ];
    for (const [what, env] of cases) {
      it(what, async () => {
        const down = await OpenIdStandIn.start();
        const b = await startBot(env(down));
        try {
          const token = jwt(
            { alg: 'RS256', kid: TRUSTED_KID },
            { iss: CHANNEL_ISSUER, aud: APP_ID, exp: Date.now() / 1000 + 600 },
            down.trusted.privateKey,
          );
          const { result: answer, lines } = await consoleDuring(() => b.post(helpClick(), `Bearer ${token}`));
          assert.equal(answer.status, 503, answer.text);
          assert.ok(Number(answer.headers.get('retry-after')) > 0, 'Retry-After');
          assert.doesNotMatch(answer.text.replace('authenticated now', ''), INTERNAL);
          assert.deepEqual(lines, [], 'nothing on the console');
          // A token the gate refuses on its face is still 401, metadata or not.
          assert.equal((await b.post(helpClick(), 'Bearer hello')).status, 401);
        } finally {
          await b.stop();
          await down.stop();
        }
      });
    }
  });

  it("offline, with Microsoft's own metadata URLs: a plausible token is 503, a malformed one 401, nothing internal anywhere", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'notulist-auth-offline-'));
    // The real entry point, with a host guard that refuses every name but local ones (as offline).
    const child = await ChildBot.start({
      port: await freePort(),
      dataDir: join(dir, 'data'),
      cwd: dir,
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-used-offline', HOST: '127.0.0.1' },
      logLevel: 'info',
    });
    try {
      const post = async (authorization: string) => {
        const res = await fetch(`${child.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify(helpClick()),
        });
        return { status: res.status, text: await res.text() };
      };
      const now = Math.floor(Date.now() / 1000);
      const plausible = jwt(
        { alg: 'RS256', kid: 'some-key' },
        { iss: CHANNEL_ISSUER, aud: APP_ID, exp: now + 600 },
        rsaKeyPair().privateKey,
      );
      const answers = [await post(`Bearer ${plausible}`), await post(`Bearer ${plausible}`)];
      for (const a of answers) {
        assert.equal(a.status, 503, a.text);
        assert.doesNotMatch(a.text.replace('authenticated now', ''), INTERNAL);
      }
      for (const bad of [
        'Bearer x.y.z',
        'Bearer nope',
        `Bearer ${jwt({ alg: 'none' }, { iss: CHANNEL_ISSUER, aud: APP_ID, exp: now + 600 })}`,
      ]) {
        const a = await post(bad);
        assert.equal(a.status, 401, a.text);
        assert.doesNotMatch(a.text.replace('The request is not authenticated.', ''), INTERNAL);
      }
      assert.ok(child.outsideLookups().includes('login.botframework.com'), 'it did try the real metadata host');
      assert.ok(!child.output.includes('    at '), `no stack trace in the output:\n${child.output}`);
    } finally {
      await child.stop();
      killChildBots();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
