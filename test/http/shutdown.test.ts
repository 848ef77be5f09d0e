// SIGTERM to the real entry point (node dist/bot/index.js): a turn in flight finishes and is answered; a
// request already received but not yet started (its body still arriving) is answered 503 with
// Retry-After instead of having its connection reset; the process exits 0.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_USERS } from '../support/botHarness';
import { ChildBot, freePort, killChildBots } from '../support/childBot';
import { Connector } from '../support/connector';
import { TeamsClient } from '../support/teamsClient';

/** Sends a request's head and the first part of its body now; `finish()` sends the rest and reads the answer. */
function slowRequest(port: number, body: string): { finish(): Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  const ended = new Promise<string>((resolve, reject) => {
    socket.once('end', () => resolve(received));
    socket.once('close', () => resolve(received));
    socket.once('error', (err) => (received ? resolve(received) : reject(err)));
  });
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  socket.write(
    `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${bytes.length}\r\n\r\n`,
  );
  socket.write(bytes.subarray(0, half));
  return {
    finish() {
      socket.write(bytes.subarray(half));
      return ended;
    },
  };
}

describe('HTTP: SIGTERM to the running bot', function () {
  this.timeout(60000);
  let dir: string;
  let connector: Connector;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-sigterm-'));
    connector = await Connector.start(Object.values(TEST_USERS));
  });
  after(async () => {
    killChildBots();
    await connector?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('finishes the turn in flight, answers a received request 503 with Retry-After, and exits 0', async () => {
    const port = await freePort();
    const bot = await ChildBot.start({ port, dataDir: join(dir, 'data'), cwd: dir, env: {}, logLevel: 'info' });
    const t = new TeamsClient({ botUrl: bot.url, connector, users: TEST_USERS });
    // The connector answers slowly: the first turn is still sending its reply when SIGTERM comes.
    connector.delayMs = 1500;
    const mark = connector.mark();
    const inFlight = t.say('member', 'help');
    const pending = slowRequest(port, JSON.stringify(t.base('member', { type: 'message', text: '<at>Notulist</at> help' })));
    await connector.waitFor(() => connector.log.length > mark || bot.output.includes('turn handled'), 5000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const exited = bot.stop(30_000);
    await connector.waitFor(() => bot.output.includes('stopping: finishing turns in flight'), 5000);
    const raw = await pending.finish();
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
    assert.equal(status, 503, `the received request: ${raw.slice(0, 300) || '(connection closed without an answer)'}`);
    assert.match(raw, /\r\nretry-after: \d+\r\n/i);
    const answer = await inFlight;
    assert.equal(answer.status, 200, 'the turn in flight was answered');
    assert.ok(connector.sent(t.conversationId, mark).length >= 1, 'and its reply sent');
    const { code } = await exited;
    assert.equal(code, 0, bot.output);
    connector.delayMs = 0;
  });
});
