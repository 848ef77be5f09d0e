// A chat whose serviceUrl cannot be reached (nothing listens there, or it never answers): its turns end
// quickly instead of after the SDK's retries, the failure is logged once, and other chats are not held.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Notulist, startNotulist } from '../../bot/index';
import { loadConfig } from '../../services/config';
import { strings } from '../../services/i18n';
import { TEST_USERS } from '../support/botHarness';
import { freePort } from '../support/childBot';
import { Connector } from '../support/connector';
import { TeamsClient } from '../support/teamsClient';

const CONNECTOR_TIMEOUT_MS = 800;

describe('HTTP: a Bot Connector that cannot be reached', function () {
  this.timeout(60000);
  let connector: Connector;
  let app: Notulist;
  let dataDir: string;
  let silent: net.Server;
  const silentSockets = new Set<net.Socket>();
  const logs: Record<string, unknown>[] = [];
  let refusedUrl = '';
  let silentUrl = '';

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'notulist-down-'));
    connector = await Connector.start(Object.values(TEST_USERS));
    refusedUrl = `http://127.0.0.1:${await freePort()}/`;
    // Accepts the connection and never answers.
    silent = net.createServer((socket) => {
      silentSockets.add(socket);
      socket.once('close', () => silentSockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/`;
    const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    const config = { ...loadConfig({ PORT: '3978', DATA_DIR: dataDir, LOG_LEVEL: 'info' }), port: 0 };
    app = await startNotulist(config, { log, connectorTimeoutMs: CONNECTOR_TIMEOUT_MS, liveCards: { intervalMs: 50, debounceMs: 10 } });
  });
  after(async () => {
    await app?.stop();
    await connector?.stop();
    for (const socket of silentSockets) socket.destroy();
    await new Promise((r) => silent?.close(r));
    await rm(dataDir, { recursive: true, force: true });
  });

  const client = () => new TeamsClient({ botUrl: app.url, connector, users: TEST_USERS, tenantId: 'tenant-down' });
  /** A typed message in `chat`, its serviceUrl replaced; resolves with status and milliseconds taken. */
  const sayVia = async (chat: TeamsClient, serviceUrl: string, text: string) => {
    const started = Date.now();
    const activity = chat.base('member', { type: 'message', textFormat: 'plain', text: `<at>Notulist</at> ${text}` });
    const answer = await chat.send({ ...activity, serviceUrl });
    return { status: answer.status, ms: Date.now() - started };
  };

  it('a refused connection fails at once: the turn ends in well under a second, logged once for the host', async () => {
    const down = client();
    const mark = logs.length;
    const first = await sayVia(down, refusedUrl, 'help');
    const second = await sayVia(down, refusedUrl, 'acties');
    for (const r of [first, second]) {
      assert.ok(r.status < 500, `HTTP ${r.status}`);
      assert.ok(r.ms < 1000, `the turn took ${r.ms} ms (the SDK's retries took 4.4 s per send)`);
    }
    const unreachable = logs.slice(mark).filter((l) => String(l.msg).startsWith('Bot Connector unreachable'));
    assert.equal(unreachable.length, 1, JSON.stringify(logs.slice(mark).map((l) => l.msg)));
    assert.equal(unreachable[0]!.host, new URL(refusedUrl).host);
  });

  it('a connector that never answers holds a turn for the deadline only, and other chats not at all', async () => {
    const held = client();
    const other = client();
    const started = Date.now();
    const slow = sayVia(held, silentUrl, 'help');
    // While that turn waits, another chat is answered as usual.
    await new Promise((r) => setTimeout(r, 50));
    const mark = connector.mark();
    const quick = await sayVia(other, connector.url, 'help');
    assert.equal(quick.status, 200);
    assert.ok(quick.ms < 1000, `the other chat waited ${quick.ms} ms`);
    assert.ok(connector.sent(other.conversationId, mark).length >= 1, 'the other chat got its answer');
    const r = await slow;
    assert.ok(r.status < 500, `HTTP ${r.status}`);
    // The reply and the error reply each wait for the deadline at most.
    assert.ok(Date.now() - started < 2 * CONNECTOR_TIMEOUT_MS + 1500, `held for ${Date.now() - started} ms`);
  });

  it('once the connector answers again, the chat works as before', async () => {
    const chat = client();
    await sayVia(chat, refusedUrl, 'help');
    const mark = connector.mark();
    const r = await sayVia(chat, connector.url, 'help');
    assert.equal(r.status, 200);
    assert.ok(connector.sent(chat.conversationId, mark).length >= 1);
  });

  it('a progress card the connector refuses does not hold up the publish: the result is posted when done', async () => {
    const chat = client();
    for (const line of [
      'vergadering\ntitel: Stuurgroep Zorg\ndatum: 02-03-2027\ntijd: 14:00-15:00',
      'agenda\nA Opening\nB Zorgcoördinatie\nC Sluiting',
      'start',
      'punt B',
      'besluit: De stuurgroep stemt in. [akkoord]',
      'sluiten',
    ])
      assert.equal((await chat.say('secretary', line)).status, 200, line);
    const S = strings('nl-NL');
    // 403, as for a bot no longer in the chat: the SDK retries a 500 itself, a 403 not.
    connector.refuseNext((a) => JSON.stringify(a.attachments ?? []).includes(S.card.publishing), 403);
    const mark = connector.mark();
    assert.equal((await chat.say('secretary', 'publiceren')).status, 200);
    assert.equal(connector.refused.length, 1, 'the progress card was refused');
    const done = S.card.published('').replace(/ \.$/, '');
    for (let i = 0; i < 100 && !chat.repliesText(mark).includes(done); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(chat.repliesText(mark).includes(done), `the result is posted:\n${chat.repliesText(mark)}`);
    const files = await readdir(join(dataDir, 'minutes'), { recursive: true });
    assert.ok(
      files.some((f) => /openbaar.*\.docx$/.test(f)),
      files.join(', '),
    );
    // And the meeting is not left busy: publishing again is taken up.
    const again = connector.mark();
    await chat.say('secretary', 'publiceren');
    assert.ok(!chat.repliesText(again).includes(S.done.publishBusy()), chat.repliesText(again));
  });
});
