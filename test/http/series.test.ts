// A series in one chat: meeting 2 offers meeting 1's minutes and open actions for approval; adopting them
// republishes meeting 1 as "vastgesteld"; Teams' meeting start/end events are recorded.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { BotHarness, docxText, findDocx, settle, startBotHarness } from '../support/botHarness';
import { cardText } from '../support/connector';
import type { BotAnswer, TeamsClient } from '../support/teamsClient';

function ok(answer: BotAnswer, what: string): void {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

describe('HTTP: a series of meetings in one chat', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;
  const say = async (who: string, text: string) => ok(await t.say(who, text), text.split('\n')[0]!);
  const series = () => h.app.meetings.read(t.tenantId, t.conversationId);

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 100, debounceMs: 20 } });
    t = h.client();
    await say('secretary', 'vergadering\ntitel: DVO\ndatum: 10-10-2016\ntijd: 10:30-12:00\nlocatie: Hengelo');
    await say('secretary', 'agenda\nA Opening\nD1 Platform IVZ [ter besluitvorming]\nF Sluiting');
    await say('secretary', 'start');
    await say('secretary', 'punt D1');
    await say('secretary', 'besluit: Het DVO stemt in. [akkoord]');
    await say('secretary', 'actie O. van Veldhuizen: Gesprekken met deelnemers voeren [voor 01-12-2016]');
    await say('secretary', 'sluiten');
    await say('secretary', 'publiceren');
    await h.connector.waitFor(async () => (await series()).meetings[0]?.minutes.publication?.state === 'published', 15000);
  });
  after(async () => {
    await h?.stop();
  });

  it('meeting 2 gets the approval item for meeting 1, shown with its date, and the carried-over action', async () => {
    await say('secretary', 'vergadering\ntitel: DVO\ndatum: 12-12-2016\ntijd: 10:30-12:00');
    let mark = h.connector.mark();
    await say('secretary', 'agenda\nA Opening\nC Besluitenlijst vorige vergadering\nF Sluiting');
    let s = await series();
    assert.equal(s.meetings.length, 2);
    const [m1, m2] = s.meetings as [(typeof s.meetings)[0], (typeof s.meetings)[0]];
    const approval = m2.agenda.find((i) => i.previousMinutesOf === m1.id);
    assert.ok(approval, `an agenda item of meeting 2 is linked to meeting 1: ${JSON.stringify(m2.agenda.map((i) => [i.code, i.kind]))}`);
    mark = h.connector.mark();
    await say('member', 'agenda');
    assert.match(t.repliesText(mark), /10 oktober 2016/);
    mark = h.connector.mark();
    await say('member', 'acties');
    assert.match(t.repliesText(mark), /Gesprekken met deelnemers voeren/);
    s = await series();
    assert.equal(s.actions.filter((a) => a.status === 'open').length, 1);
  });

  it('"besluit … [vastgesteld]" on that item adopts meeting 1 and republishes it "vastgesteld op"', async () => {
    const since = Date.now() - 500;
    const s0 = await series();
    const approval = s0.meetings[1]!.agenda.find((i) => i.previousMinutesOf === s0.meetings[0]!.id)!;
    await say('secretary', 'start');
    await say('secretary', `besluit ${approval.code}: De besluitenlijst wordt vastgesteld. [vastgesteld]`);
    await h.connector.waitFor(async () => (await series()).meetings[0]!.minutes.status === 'adopted', 5000);
    await h.connector.waitFor(async () => {
      const files = (await findDocx(h.minutesDir)).filter((f) => statSync(f).mtimeMs >= since);
      for (const f of files) if ((await docxText(f)).includes('vastgesteld op')) return true;
      return false;
    }, 15000);
  });

  it('"gereed <n>" closes the action', async () => {
    const n = (await series()).actions[0]!.number;
    await say('secretary', `gereed ${n}`);
    assert.equal((await series()).actions[0]!.status, 'done');
  });

  it('a third meeting folds meeting 1 away; its minutes still come out whole from its card', async () => {
    await say('secretary', 'sluiten');
    await say('secretary', 'vergadering\ntitel: DVO\ndatum: 13-02-2017');
    const s = await series();
    assert.equal(s.meetings.length, 3);
    const [m1, m2] = s.meetings as [(typeof s.meetings)[0], (typeof s.meetings)[0]];
    assert.equal(m1.folded, true, 'meeting 1 is done with: folded');
    assert.deepEqual(m1.decisions, [], 'its records left the series document');
    assert.equal(m2.folded, undefined, 'the two newest stay whole');
    // "Besluitenlijst" on a card of meeting 1 (Action.Execute): the minutes, records and all.
    const answer = await t.send(
      t.base('member', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: 'minutes', data: { meetingId: m1.id, card: 'minutes' } }, trigger: 'manual' },
      }),
    );
    ok(answer, 'minutes of meeting 1');
    const text = cardText((answer.body as { value?: unknown }).value);
    assert.match(text, /Het DVO stemt in\./);
    assert.match(text, /vastgesteld op/);
  });

  it('meetingStart posts the agenda card and records startedAt; meetingEnd records endedAt and mentions the secretary', async () => {
    const t2 = h.client();
    const s2 = () => h.app.meetings.read(t2.tenantId, t2.conversationId);
    ok(await t2.say('secretary', 'vergadering\ntitel: Overleg\ndatum: 12-12-2016'), 'plan');
    ok(await t2.say('secretary', 'agenda\nA Opening\nF Sluiting'), 'agenda');
    await settle(h, 300);
    let mark = h.connector.mark();
    ok(await t2.meetingStart('secretary', '2016-12-12T09:30:00.000Z'), 'meetingStart');
    const m = (await s2()).meetings[0]!;
    assert.ok(m.startedAt, 'startedAt recorded');
    assert.ok(m.agendaCardId, 'the agenda card was posted');
    assert.ok(
      h.connector.sent(t2.conversationId, mark).some((e) => e.op === 'send' && e.id === m.agendaCardId),
      'posted after the event',
    );
    mark = h.connector.mark();
    ok(await t2.meetingEnd('secretary', '2016-12-12T11:00:00.000Z'), 'meetingEnd');
    assert.ok((await s2()).meetings[0]!.endedAt, 'endedAt recorded');
    const sent = h.connector.sent(t2.conversationId, mark).filter((e) => e.op === 'send');
    assert.ok(
      sent.some((e) => (e.activity?.entities ?? []).some((en) => en.type === 'mention' && en.mentioned?.id === t2.user('secretary').id)),
      `the secretary is mentioned: ${JSON.stringify(sent.map((e) => e.activity?.text))}`,
    );
  });
});
