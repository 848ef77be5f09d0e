// Thirty members register announcements at the same moment: every one is stored, and the live agenda card
// is edited far fewer than thirty times (edits are coalesced per conversation).
import assert from 'node:assert/strict';
import { BotHarness, settle, startBotHarness } from '../support/botHarness';
import type { BotAnswer, TeamsClient, TeamsUser } from '../support/teamsClient';

const N = 30;
const crowd: Record<string, TeamsUser> = {};
for (let i = 1; i <= N; i++) crowd[`m${i}`] = { id: `29:lid-${i}`, name: `Lid ${i}`, aadObjectId: `aad-lid-${i}` };

function ok(answer: BotAnswer, what: string): void {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

describe('HTTP: thirty members at once', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;

  before(async () => {
    h = await startBotHarness({ extraUsers: crowd });
    t = h.client();
    for (const text of ['vergadering\ntitel: DVO\ndatum: 12-12-2016', 'agenda\nA Opening\nB Mededelingen\nF Sluiting', 'start'])
      ok(await t.say('secretary', text), text);
    await settle(h, 1500);
  });
  after(async () => {
    await h?.stop();
  });

  const meeting = async () => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!;
  const agendaCardId = async () => {
    const id = (await meeting()).agendaCardId;
    assert.ok(id, 'the live agenda card was posted');
    return id;
  };
  const putsTo = (id: string, since: number) =>
    h.connector.sent(t.conversationId, since).filter((e) => e.op === 'update' && e.id === id).length;

  it('30 typed announcements at the same moment are all stored, with far fewer than 30 card edits', async () => {
    const id = await agendaCardId();
    const mark = h.connector.mark();
    const answers = await Promise.all(Object.keys(crowd).map((k) => t.say(k, `mededeling: Getypt door ${crowd[k]!.name}`)));
    answers.forEach((a, i) => ok(a, `member ${i + 1}`));
    await settle(h, 1500);
    const texts = (await meeting()).announcements.map((a) => a.text);
    for (const k of Object.keys(crowd)) assert.ok(texts.includes(`Getypt door ${crowd[k]!.name}`), `stored: ${k}`);
    assert.equal(texts.length, N);
    const puts = putsTo(id, mark);
    assert.ok(puts <= 10, `coalesced: ${puts} edits for ${N} changes`);
  });

  it('30 card clicks at the same moment are all stored too (60 in all), with far fewer than 30 card edits', async () => {
    const id = await agendaCardId();
    const mark = h.connector.mark();
    const answers = await Promise.all(
      Object.keys(crowd).map((k) =>
        t.click(k, /^Vastleggen$/, { text: `Geklikt door ${crowd[k]!.name}`, onBehalfOf: '' }, { verb: 'announcement' }),
      ),
    );
    answers.forEach((a, i) => ok(a, `click ${i + 1}: ${JSON.stringify(a.body)}`));
    await settle(h, 1500);
    const m = await meeting();
    const texts = m.announcements.map((a) => a.text);
    for (const k of Object.keys(crowd)) assert.ok(texts.includes(`Geklikt door ${crowd[k]!.name}`), `stored: ${k}`);
    assert.equal(texts.length, 2 * N);
    assert.equal(new Set(m.announcements.map((a) => a.id)).size, 2 * N, 'every announcement has its own id');
    const puts = putsTo(id, mark);
    assert.ok(puts <= 10, `coalesced: ${puts} edits for ${N} changes`);
  });

  it('a throttled edit (429 + Retry-After) is retried and the card ends current', async () => {
    const id = await agendaCardId();
    h.connector.throttleNext(1, ['update']);
    const mark = h.connector.mark();
    ok(await t.say('secretary', 'volgende'), 'a change the agenda card shows');
    await h.connector
      .waitFor(() => putsTo(id, mark) >= 1, 8000)
      .catch((err: Error) => {
        const log = h.connector.sent(t.conversationId, mark).map((e) => `${e.op} ${e.id}`);
        throw new Error(
          `${err.message}; agenda card ${id}; throttled ${JSON.stringify(h.connector.throttled)}; log ${JSON.stringify(log)}`,
        );
      });
    await settle(h, 1500);
    assert.equal(h.connector.throttled.length, 1, 'one edit was throttled');
    const card = h.connector.cards(t.conversationId).find((c) => c.id === id);
    assert.ok(card, 'the agenda card is still there');
  });

  // An edit's body is the card's JSON spliced into the activity (bot/liveCards.ts), sent through the turn's
  // connector client: its retries of a 5xx are the SDK's, as a typed call's would be.
  const agendaCard = () => h.connector.cards(t.conversationId).find((c) => c.id === agendaIdNow)?.card;
  let agendaIdNow = '';
  // The items the meeting is past: those the agenda card marks done.
  const past = async () => {
    const m = await meeting();
    return m.agenda.findIndex((i) => i.id === m.currentItemId);
  };
  const markedDone = (card: unknown) => (JSON.stringify(card ?? {}).match(/"behandeld"/g) ?? []).length;

  it('an edit answered 503 is retried by the connector client, and the card ends current', async () => {
    agendaIdNow = await agendaCardId();
    const mark = h.connector.mark();
    h.connector.refuseNext((a) => a.id === agendaIdNow, 503, 'update');
    ok(await t.say('secretary', 'volgende'), 'a change the agenda card shows');
    await h.connector.waitFor(() => putsTo(agendaIdNow, mark) >= 1, 10000);
    await settle(h, 1500);
    assert.deepEqual(
      h.connector.refused.filter((r) => r.op === 'update').map((r) => r.activity.id),
      [agendaIdNow],
      'the first PUT was refused',
    );
    assert.equal(putsTo(agendaIdNow, mark), 1, 'the retry landed once');
    assert.equal(markedDone(agendaCard()), await past(), 'the card shows the item the meeting is at');
  });

  it('an edit refused outright (403) is not retried and loses nothing: the next change edits the card to the newest state', async () => {
    agendaIdNow = await agendaCardId();
    const refusedBefore = h.connector.refused.length;
    const mark = h.connector.mark();
    h.connector.refuseNext((a) => a.id === agendaIdNow, 403, 'update');
    ok(await t.say('member', 'mededeling: Geweigerd'), 'a change the agenda card shows');
    await settle(h, 1500);
    assert.equal(h.connector.refused.length, refusedBefore + 1, 'the PUT was refused');
    assert.equal(putsTo(agendaIdNow, mark), 0, 'and not sent again');
    ok(await t.say('member', 'mededeling: Na de weigering'), 'the next change');
    await h.connector.waitFor(() => putsTo(agendaIdNow, mark) >= 1, 8000);
    await settle(h, 1500);
    const newest = (await meeting()).announcements.at(-1)!;
    assert.equal(newest.text, 'Na de weigering');
    assert.ok(JSON.stringify(agendaCard()).includes(`mededeling ${newest.number}.`), 'the card names the newest announcement');
  });
});
