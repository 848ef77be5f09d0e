// Several instances behind one bot registration share a PostgreSQL database: Teams may deliver any
// activity to any instance. Two real bot servers on one real PostgreSQL: a meeting run across both,
// thirty members at once split over them, a draft link made by one opened on the other, a publish.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNotulist, type Notulist } from '../../bot/index';
import { loadConfig } from '../../services/config';
import { TEST_USERS } from '../support/botHarness';
import { Connector } from '../support/connector';
import { POSTGRES_SKIP_MESSAGE, startPostgres, type TestPostgres } from '../support/postgres';
import { docxText, findDocx } from '../support/botHarness';
import { findActions, TeamsClient, type TeamsUser } from '../support/teamsClient';

const MEMBERS: Record<string, TeamsUser> = Object.fromEntries(
  Array.from({ length: 30 }, (_, i) => [`m${i}`, { id: `29:lid-${i}`, name: `Lid ${i}`, aadObjectId: `aad-lid-${i}` }]),
);
// A crowd for the burst: a thousand members of one chat, each registering at the same moment.
const CROWD: Record<string, TeamsUser> = Object.fromEntries(
  Array.from({ length: 1000 }, (_, i) => [`c${i}`, { id: `29:menigte-${i}`, name: `Deelnemer ${i}`, aadObjectId: `aad-menigte-${i}` }]),
);
const USERS = { ...TEST_USERS, ...MEMBERS, ...CROWD };

describe('HTTP: two instances on one PostgreSQL database', function () {
  this.timeout(120_000);
  let pg: TestPostgres | null;
  let dir: string;
  let connector: Connector;
  let a: Notulist;
  let b: Notulist;
  let viaA: TeamsClient;
  let viaB: TeamsClient;

  before(async function () {
    pg = await startPostgres();
    if (!pg) {
      process.stdout.write(`      ${POSTGRES_SKIP_MESSAGE}\n`);
      this.skip();
    }
    dir = await mkdtemp(join(tmpdir(), 'notulist-two-'));
    connector = await Connector.start(Object.values(USERS));
    // Both instances: the same database, the same minutes folder (a shared disk), each its own port.
    const config = {
      ...loadConfig({ DATABASE_URL: pg!.url, DATA_DIR: join(dir, 'data'), MINUTES_DIR: join(dir, 'minutes'), LOG_LEVEL: 'silent' }),
      port: 0,
    };
    a = await startNotulist(config, { liveCards: { intervalMs: 100, debounceMs: 20 } });
    b = await startNotulist(config, { liveCards: { intervalMs: 100, debounceMs: 20 } });
    const conversationId = `19:meeting_two-${Date.now()}@thread.v2`;
    viaA = new TeamsClient({ botUrl: a.url, connector, users: USERS, tenantId: 'tenant-two', conversationId });
    viaB = new TeamsClient({ botUrl: b.url, connector, users: USERS, tenantId: 'tenant-two', conversationId });
  });

  after(async () => {
    await a?.stop();
    await b?.stop();
    await connector?.stop();
    await pg?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ok = async (client: TeamsClient, who: string, text: string) => {
    const answer = await client.say(who, text);
    assert.equal(answer.status, 200, `${text}: ${JSON.stringify(answer.body)}`);
  };
  const series = () => a.meetings.read('tenant-two', viaA.conversationId);

  it('a meeting planned on one instance is run on the other', async () => {
    await ok(viaA, 'secretary', 'vergadering\ntitel: DVO Twente\ndatum: 12-12-2027\ntijd: 10:30-12:00');
    await ok(viaB, 'secretary', 'agenda\nA Opening\nB Mededelingen\nD1 Platform IVZ [ter besluitvorming]\nF Sluiting');
    await ok(viaA, 'secretary', 'start');
    await ok(viaB, 'secretary', 'volgende');
    const meeting = (await series()).meetings[0]!;
    assert.equal(meeting.agenda.length, 4);
    assert.equal(meeting.agenda.find((i) => i.id === meeting.currentItemId)?.code, 'B');
  });

  it('thirty members at once, half on each instance: every announcement is stored once, numbered uniquely', async () => {
    const answers = await Promise.all(
      Object.keys(MEMBERS).map((key, i) => (i % 2 ? viaA : viaB).say(key, `mededeling: Bericht van ${MEMBERS[key]!.name}`)),
    );
    assert.ok(answers.every((r) => r.status === 200));
    const announcements = (await series()).meetings[0]!.announcements;
    assert.equal(announcements.length, 30);
    assert.equal(new Set(announcements.map((c) => c.id)).size, 30);
    assert.deepEqual(new Set(announcements.map((c) => c.author)), new Set(Object.values(MEMBERS).map((m) => m.name)));
  });

  it('a draft link made by one instance opens on the other; a publish on one is seen by both', async () => {
    await ok(viaA, 'secretary', 'punt D1');
    await ok(viaA, 'secretary', 'besluit: Het DVO stemt in. [akkoord]');
    await ok(viaB, 'secretary', 'sluiten');
    const mark = connector.mark();
    await ok(viaA, 'member', 'besluitenlijst');
    const card = connector
      .sent(viaA.conversationId, mark)
      .filter((e) => e.op === 'send')
      .flatMap((e) => e.activity?.attachments ?? [])
      .find((x) => x.content)?.content;
    const link = findActions(card).find((x) => x.type === 'Action.OpenUrl')?.url as string;
    assert.ok(link.startsWith(a.url), link);
    const onB = await fetch(link.replace(a.url, b.url));
    assert.equal(onB.status, 200);
    assert.match(await onB.text(), /Het DVO stemt in\./);

    await ok(viaB, 'secretary', 'publiceren');
    await connector.waitFor(async () => (await series()).meetings[0]!.minutes.publication?.state === 'published', 15_000);
    const fromB = await b.meetings.read('tenant-two', viaA.conversationId);
    assert.equal(fromB.meetings[0]!.minutes.publication?.state, 'published');
  });

  // Every writer of one chat rewrites its one series document; they used to race with eTag retries and
  // 945 of 1,000 gave up ("Er ging iets mis"). Now they queue on the series' lock, across both instances.
  it('a thousand members registering at the same moment over both instances: every announcement in the published minutes', async function () {
    this.timeout(240_000);
    const conversationId = `19:meeting_crowd-${Date.now()}@thread.v2`;
    const onA = new TeamsClient({ botUrl: a.url, connector, users: USERS, tenantId: 'tenant-two', conversationId });
    const onB = new TeamsClient({ botUrl: b.url, connector, users: USERS, tenantId: 'tenant-two', conversationId });
    await ok(onA, 'secretary', 'vergadering\ntitel: Drukke vergadering\ndatum: 13-12-2027\ntijd: 10:30-12:00');
    await ok(onB, 'secretary', 'agenda\nA Opening\nB Mededelingen\nF Sluiting');
    const mark = connector.mark();
    const keys = Object.keys(CROWD);
    const answers = await Promise.all(keys.map((key, i) => (i % 2 ? onA : onB).say(key, `mededeling: Melding nummer ${i} van de menigte`)));
    assert.deepEqual(
      answers.filter((r) => r.status !== 200).map((r) => r.status),
      [],
    );
    const replies = connector.sent(conversationId, mark).map((e) => e.activity?.text ?? '');
    assert.equal(replies.filter((t) => /Er ging iets mis/.test(t)).length, 0, 'no turn failed');
    const stored = (await a.meetings.read('tenant-two', conversationId)).meetings[0]!;
    assert.equal(stored.announcements.length, 1000);
    assert.equal(new Set(stored.announcements.map((c) => c.id)).size, 1000);

    await ok(onA, 'secretary', 'start');
    await ok(onB, 'secretary', 'sluiten');
    const before = (await findDocx(join(dir, 'minutes'))).length;
    await ok(onA, 'secretary', 'publiceren');
    await connector.waitFor(
      async () => (await a.meetings.read('tenant-two', conversationId)).meetings[0]!.minutes.publication?.state === 'published',
      60_000,
    );
    const docs = (await findDocx(join(dir, 'minutes'))).filter((f) => f.includes('Drukke vergadering') && /openbaar/.test(f));
    assert.ok(docs.length > 0 && (await findDocx(join(dir, 'minutes'))).length > before, 'the public minutes were written');
    const text = await docxText(docs[0]!);
    const missing = keys.filter((_, i) => !text.includes(`Melding nummer ${i} van de menigte`));
    assert.deepEqual(missing, [], `${missing.length} announcements missing from the minutes`);
  });
});
