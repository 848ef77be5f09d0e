// Card edits never cross tenants (issue 12 item 2). Two chats with the SAME conversation id in two tenants,
// each with its own serviceUrl (a Bot Connector of its own), each with a live agenda card whose message has
// the same activity id in both. A change in one tenant edits only that tenant's messages, through that
// tenant's connector, with that tenant's content; also when the edits of both are pending at once.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNotulist, type Notulist } from '../../bot/index';
import { loadConfig } from '../../services/config';
import { TEST_USERS } from '../support/botHarness';
import { cardOf, cardText, Connector } from '../support/connector';
import { TeamsClient } from '../support/teamsClient';

const CONVERSATION = '19:meeting_same-in-both@thread.v2';

interface Tenant {
  tenantId: string;
  title: string;
  connector: Connector;
  client: TeamsClient;
  agendaCardId: string;
}

describe('HTTP: live card edits stay in their tenant (one conversation id in two tenants)', function () {
  this.timeout(30_000);
  let dir: string;
  let app: Notulist;
  const tenants: Tenant[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-tenants-'));
    const config = {
      ...loadConfig({ PORT: '3978', DATA_DIR: dir, MINUTES_DIR: join(dir, 'minutes'), LOG_LEVEL: 'silent' }),
      port: 0,
    };
    // A debounce long enough that the edits of two chats changed at the same moment are pending together.
    app = await startNotulist(config, { liveCards: { intervalMs: 100, debounceMs: 300 } });
    for (const [tenantId, title] of [
      ['tenant-1', 'Stuurgroep Noord'],
      ['tenant-2', 'Stuurgroep Zuid'],
    ] as const) {
      const connector = await Connector.start(Object.values(TEST_USERS));
      const client = new TeamsClient({ botUrl: app.url, connector, users: TEST_USERS, tenantId, conversationId: CONVERSATION });
      tenants.push({ tenantId, title, connector, client, agendaCardId: '' });
    }
    // The same steps in both, so both connectors give the agenda card the same activity id.
    for (const t of tenants) {
      for (const line of [
        `vergadering\ntitel: ${t.title}\ndatum: 02-03-2027\ntijd: 14:00-15:30`,
        'agenda\nA Opening\nB Mededelingen\nC Sluiting',
        'agenda',
      ])
        assert.equal((await t.client.say('secretary', line)).status, 200, `${t.tenantId}: ${line}`);
      const series = await app.meetings.read(t.tenantId, CONVERSATION);
      t.agendaCardId = series.meetings[0]!.agendaCardId!;
      assert.ok(t.agendaCardId, `${t.tenantId} has a live agenda card`);
    }
    await app.liveCards.drain();
  });

  after(async () => {
    await app?.stop();
    for (const t of tenants) await t.connector.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Every edit a connector received from a log position on: to which message, showing what. */
  const editsOn = (t: Tenant, since: number) =>
    t.connector.log
      .slice(since)
      .filter((e) => e.op === 'update')
      .map((e) => ({ conv: e.conv, id: e.id, text: cardText(cardOf(e)) }));

  /** The messages the bot keeps live in a tenant's chat (its own record): the meeting, agenda and item cards. */
  async function liveIds(t: Tenant): Promise<string[]> {
    const m = (await app.meetings.read(t.tenantId, CONVERSATION)).meetings[0]!;
    return [...(m.meetingCardIds ?? []), m.agendaCardId, m.itemCard?.activityId].filter((id): id is string => !!id);
  }

  /** "…: mededeling 2." as the agenda card's "Laatst vastgelegd" line names the newest record of that kind. */
  async function newest(t: Tenant, kind: 'mededeling' | 'rondvraag'): Promise<string> {
    const m = (await app.meetings.read(t.tenantId, CONVERSATION)).meetings[0]!;
    const list = kind === 'mededeling' ? m.announcements : m.questions;
    return `: ${kind} ${list.at(-1)!.number}.`;
  }

  /**
   * Each edit a tenant's connector got is of one of that tenant's live messages and shows that tenant's
   * meeting only; its agenda card's last edit shows `expect`.
   */
  async function assertOwnEdits(t: Tenant, since: number, expect: string): Promise<void> {
    const other = tenants.find((o) => o !== t)!;
    const own = await liveIds(t);
    const edits = editsOn(t, since);
    for (const e of edits) {
      assert.equal(e.conv, CONVERSATION);
      assert.ok(own.includes(e.id), `${t.tenantId}: only its own live cards are edited (${e.id} of ${own.join(', ')})`);
      assert.ok(e.text.includes(t.title), `${t.tenantId}'s edit shows its own meeting`);
      assert.ok(!e.text.includes(other.title), `${t.tenantId}'s edit shows nothing of ${other.tenantId}'s meeting`);
    }
    const agenda = edits.filter((e) => e.id === t.agendaCardId);
    assert.ok(agenda.length > 0, `${t.tenantId}'s connector got the edit of its agenda card`);
    assert.ok(agenda.at(-1)!.text.includes(expect), `${t.tenantId}'s agenda card shows "${expect}": ${agenda.at(-1)!.text}`);
  }

  it('both chats share the conversation id and their agenda card has the same activity id', () => {
    assert.equal(tenants[0]!.client.conversationId, tenants[1]!.client.conversationId);
    assert.equal(tenants[0]!.agendaCardId, tenants[1]!.agendaCardId);
    assert.notEqual(tenants[0]!.connector.url, tenants[1]!.connector.url);
  });

  for (const [from, to] of [
    [0, 1],
    [1, 0],
  ] as const) {
    it(`a change in tenant ${from + 1} edits only tenant ${from + 1}'s card, through its own connector`, async () => {
      const [changed, quiet] = [tenants[from]!, tenants[to]!];
      const marks = tenants.map((t) => t.connector.mark());
      assert.equal((await changed.client.say('kok', `mededeling: Alleen in ${changed.title}.`)).status, 200);
      await app.liveCards.drain();
      await assertOwnEdits(changed, marks[from]!, await newest(changed, 'mededeling'));
      assert.deepEqual(editsOn(quiet, marks[to]!), [], `tenant ${to + 1}'s connector got no edit`);
      assert.deepEqual(quiet.connector.log.slice(marks[to]!), [], `tenant ${to + 1}'s connector got nothing at all`);
    });
  }

  it('changes in both at the same moment: each edit goes to its own tenant, none is lost to the other', async () => {
    const marks = tenants.map((t) => t.connector.mark());
    const texts = tenants.map((t) => `Gelijktijdig in ${t.title}.`);
    // Both chats' edits wait in their queues together (the debounce), then go out: an announcement in
    // one, a round question in the other, so the two cards' new lines differ.
    const kinds = ['mededeling', 'rondvraag'] as const;
    const answers = await Promise.all(tenants.map((t, i) => t.client.say('member', `${kinds[i]}: ${texts[i]}`)));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200],
    );
    await app.liveCards.drain();
    for (const [i, t] of tenants.entries()) await assertOwnEdits(t, marks[i]!, await newest(t, kinds[i]!));
    // And the stores agree: each meeting holds its own record only.
    for (const [i, t] of tenants.entries()) {
      const m = (await app.meetings.read(t.tenantId, CONVERSATION)).meetings[0]!;
      const texts = [...m.announcements, ...m.questions].map((c) => c.text);
      assert.ok(texts.includes(`Gelijktijdig in ${t.title}.`));
      assert.ok(!texts.includes(`Gelijktijdig in ${tenants[1 - i]!.title}.`));
    }
  });

  it('a run of changes in both, interleaved: every edit in each tenant is its own, and each card ends on its own state', async () => {
    const marks = tenants.map((t) => t.connector.mark());
    const sends: Promise<unknown>[] = [];
    for (let n = 1; n <= 4; n++) for (const t of tenants) sends.push(t.client.say('kok', `rondvraag: ${t.title} vraag ${n}?`));
    await Promise.all(sends);
    await app.liveCards.drain();
    for (const [i, t] of tenants.entries()) await assertOwnEdits(t, marks[i]!, await newest(t, 'rondvraag'));
  });
});
