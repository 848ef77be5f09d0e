// Characters PostgreSQL's jsonb refuses (NUL, lone UTF-16 surrogates) in every way user text comes in: a
// display name, typed text, card fields, an "on behalf of" name, a name from the roster. Over HTTP, on a
// real PostgreSQL: the input is stored cleaned and answered normally, instead of failing the write
// ("Er ging iets mis") and losing it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Notulist, startNotulist } from '../../bot/index';
import { loadConfig } from '../../services/config';
import { nl } from '../../services/i18n/nl';
import { TEST_USERS } from '../support/botHarness';
import { Connector } from '../support/connector';
import { POSTGRES_SKIP_MESSAGE, startPostgres, TestPostgres } from '../support/postgres';
import { BotAnswer, TeamsClient, TeamsUser } from '../support/teamsClient';

const NUL_USER: TeamsUser = { id: '29:nul', name: 'N.\u0000 Ul\ud800', aadObjectId: 'aad-nul' };
const GENERIC_ERROR = nl.input.error();

describe('HTTP on PostgreSQL: NUL and lone surrogates in user input', function () {
  this.timeout(60000);
  let pg: TestPostgres | null;
  let connector: Connector;
  let app: Notulist;
  let dataDir: string;
  let t: TeamsClient;

  before(async function () {
    pg = await startPostgres();
    if (!pg) {
      console.warn(`      ${POSTGRES_SKIP_MESSAGE}`);
      this.skip();
    }
    dataDir = await mkdtemp(join(tmpdir(), 'notulist-pgnul-'));
    const users = { ...TEST_USERS, nul: NUL_USER };
    connector = await Connector.start(Object.values(users));
    const config = { ...loadConfig({ PORT: '3978', DATA_DIR: dataDir, DATABASE_URL: pg.url, LOG_LEVEL: 'silent' }), port: 0 };
    app = await startNotulist(config, { liveCards: { intervalMs: 50, debounceMs: 10 } });
    t = new TeamsClient({ botUrl: app.url, connector, users, tenantId: 'tenant-pg' });
    // The meeting the card tests click in, planned with plain text.
    // Started, so that decisions can be recorded (a planned meeting takes none).
    for (const text of ['vergadering\ntitel: DVO\ndatum: 12-12-2030', 'agenda\nA Opening\nB Mededelingen', 'start']) {
      const answer = await t.say('secretary', text);
      assert.equal(answer.status, 200, text);
    }
  });
  after(async () => {
    await app?.stop();
    await connector?.stop();
    await pg?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const meeting = async () => (await app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!;
  /** Asserts a 2xx answer with no generic error reply since `mark`, for typed and clicked turns alike. */
  const answeredNormally = (answer: BotAnswer, mark: number, what: string) => {
    assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status}`);
    const text = t.repliesText(mark) + JSON.stringify(answer.body ?? '');
    assert.ok(!text.includes(GENERIC_ERROR), `${what}: answered with the generic error`);
  };
  const sayAs = (userKey: string, text: string, fromName?: string) => {
    const activity = t.base(userKey, { type: 'message', textFormat: 'plain', text: `<at>Notulist</at> ${text}` });
    if (fromName !== undefined) activity.from = { ...(activity.from as object), name: fromName };
    return t.send(activity);
  };
  const click = (userKey: string, data: Record<string, unknown>) =>
    t.send(
      t.base(userKey, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: data.verb, data }, trigger: 'manual' },
      }),
    );

  it('a meeting planned by a secretary whose display name holds NUL, with NUL in its title', async () => {
    const other = new TeamsClient({ botUrl: app.url, connector, users: t.users, tenantId: 'tenant-pg' });
    const mark = connector.mark();
    const activity = other.base('secretary', {
      type: 'message',
      textFormat: 'plain',
      text: '<at>Notulist</at> vergadering\ntitel: DVO\u0000 test\ndatum: 12-12-2030\nlocatie: Hengelo\ud800',
    });
    activity.from = { ...(activity.from as object), name: 'H.\u0000 Meuleman' };
    const a = await other.send(activity);
    assert.ok(a.status >= 200 && a.status < 300, `HTTP ${a.status}`);
    assert.ok(!other.repliesText(mark).includes(GENERIC_ERROR), 'answered with the generic error');
    const m = (await app.meetings.read(other.tenantId, other.conversationId)).meetings.at(-1);
    assert.equal(m?.title, 'DVO test');
    assert.equal(m?.location, 'Hengelo\ufffd');
  });

  it('an announcement card with NUL in its text and its "on behalf of" name', async () => {
    const m = await meeting();
    const mark = connector.mark();
    const a = await click('member', {
      verb: 'announcement',
      meetingId: m.id,
      card: 'agenda',
      announcementText: 'Subsidie\u0000 toegekend \udc00.',
      announcementOnBehalfOf: 'A.\u0000 Raven',
    });
    answeredNormally(a, mark, 'announcement card');
    const stored = (await meeting()).announcements.at(-1);
    assert.equal(stored?.text, 'Subsidie toegekend \ufffd.');
    assert.equal(stored?.author, 'A. Raven');
  });

  it('a member whose display name holds NUL and a lone surrogate, typing a question', async () => {
    const mark = connector.mark();
    answeredNormally(await sayAs('member', 'rondvraag: Wie\u0000 betaalt?', 'J.\u0000 Slot\udbff'), mark, 'question');
    const q = (await meeting()).questions.at(-1);
    assert.equal(q?.text, 'Wie betaalt?');
    assert.equal(q?.by.name, 'J. Slot\ufffd');
  });

  it('a decision card with NUL in its text', async () => {
    const m = await meeting();
    const mark = connector.mark();
    answeredNormally(
      await click('secretary', {
        verb: 'decision',
        meetingId: m.id,
        card: 'item',
        itemId: m.agenda[0]!.id,
        decisionText: 'Vastgesteld\u0000.',
        outcome: 'adopted',
      }),
      mark,
      'decision card',
    );
    assert.equal((await meeting()).decisions.at(-1)?.text, 'Vastgesteld.');
  });

  it('an attendance card with NUL and a lone surrogate in the names', async () => {
    const m = await meeting();
    const mark = connector.mark();
    answeredNormally(
      await click('secretary', {
        verb: 'attendance',
        meetingId: m.id,
        card: 'agenda',
        which: 'present',
        names: 'K.\u0000 Jansen, L.\ud800 de Vries',
      }),
      mark,
      'attendance card',
    );
    const { present } = await meeting();
    assert.ok(present.includes('K. Jansen'), JSON.stringify(present));
    assert.ok(present.includes('L.\ufffd de Vries'), JSON.stringify(present));
  });

  it('a chair whose name in the roster holds NUL', async () => {
    const mark = connector.mark();
    answeredNormally(await t.say('secretary', 'voorzitter @{nul}'), mark, 'voorzitter');
    const chair = (await meeting()).chairs.at(-1);
    assert.equal(chair?.id, NUL_USER.id);
    assert.equal(chair?.name, 'N. Ul\ufffd');
  });

  it('after all of it, the series reads back whole from PostgreSQL, with nothing lost', async () => {
    const m = await meeting();
    assert.deepEqual([m.announcements.length, m.questions.length, m.decisions.length, m.chairs.length], [1, 1, 1, 1]);
  });
});
