// Malformed, hostile and unauthorised input over HTTP: refused with a short reply or a 4xx, never stored,
// never damaging what was recorded before, and never visible to another tenant.
import assert from 'node:assert/strict';
import { BotHarness, cardProblems, settle, startBotHarness } from '../support/botHarness';
import type { BotAnswer, TeamsClient } from '../support/teamsClient';

function ok(answer: BotAnswer, what: string): void {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

describe('HTTP: bad input', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;
  let snapshot: string;

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 100, debounceMs: 20 } });
    t = h.client();
    for (const text of [
      'vergadering\ntitel: DVO\ndatum: 12-12-2016\ntijd: 10:30-12:00\nlocatie: Hengelo',
      'agenda\nA Opening\nB Mededelingen\nD1 Platform IVZ [ter besluitvorming]\nF Sluiting',
      'voorzitter @{chair}',
      'start',
      'verslag: Eerste verslag.',
      'mededeling namens A. Raven: Eerste mededeling.',
    ]) {
      ok(await t.say('secretary', text), text);
    }
    snapshot = JSON.stringify(await h.app.meetings.read(t.tenantId, t.conversationId));
  });
  after(async () => {
    await h?.stop();
  });

  const meeting = async () => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!;

  it('a body that is not JSON gets 400', async () => {
    const a = await t.post('{"type": "message", ', 'application/json');
    assert.equal(a.status, 400);
  });

  it('JSON that is not an activity gets 400', async () => {
    for (const body of ['[]', '42', '"x"', '{}', JSON.stringify({ hello: 'world' }), JSON.stringify({ type: 'message', text: 'x' })])
      assert.equal((await t.post(body)).status, 400, body);
  });

  it('activity types the bot does not handle are answered 2xx and ignored', async () => {
    // The live card edits of the turns before land first; after them, nothing may be sent.
    await settle(h);
    const mark = h.connector.mark();
    ok(await t.send(t.base('member', { type: 'typing' })), 'typing');
    ok(
      await t.send(t.base('member', { type: 'conversationUpdate', membersAdded: [{ id: '29:someone-else', name: 'X' }] })),
      'conversationUpdate',
    );
    ok(await t.send(t.base('member', { type: 'messageReaction', reactionsAdded: [{ type: 'like' }] })), 'messageReaction');
    await settle(h);
    const sent = h.connector.sent(t.conversationId, mark);
    // Another member joining is not the bot being added: no greeting, nothing at all.
    assert.deepEqual(
      sent.map((e) => e.activity?.text ?? e.op),
      [],
    );
    assert.equal(JSON.stringify(await h.app.meetings.read(t.tenantId, t.conversationId)), snapshot, 'nothing changed');
  });

  it('a 100 KB message gets a short refusal and stores nothing', async () => {
    const mark = h.connector.mark();
    ok(await t.say('member', `mededeling: ${'x'.repeat(100_001)}`), '100 KB');
    const replies = h.connector.sent(t.conversationId, mark);
    assert.equal(replies.length, 1);
    const reply = JSON.stringify(replies[0]!.activity);
    assert.ok(reply.length < 4000, `the refusal is short (${reply.length} chars)`);
    assert.match(replies[0]!.activity?.text ?? '', /te lang/);
    assert.equal((await meeting()).announcements.length, 1);
  });

  it('an unknown item code, a non-existent date and an empty announcement are refused', async () => {
    let mark = h.connector.mark();
    ok(await t.say('secretary', 'verslag Z9: tekst bij een punt dat niet bestaat'), 'unknown code');
    assert.match(t.repliesText(mark), /Z9/);
    mark = h.connector.mark();
    ok(await t.say('secretary', 'vergadering\ntitel: Onmogelijk\ndatum: 31-02-2026'), 'bad date');
    assert.ok(t.repliesText(mark).length > 0, 'a reply');
    assert.equal((await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.length, 1, 'no meeting planned on 31-02-2026');
    mark = h.connector.mark();
    ok(await t.say('member', 'mededeling:'), 'empty announcement');
    ok(await t.say('member', 'mededeling:    '), 'blank announcement');
    assert.ok(t.repliesText(mark).length > 0, 'a reply');
    assert.equal((await meeting()).announcements.length, 1);
    assert.deepEqual(
      (await meeting()).agenda.map((i) => i.notes.length),
      [1, 0, 0, 0],
    );
  });

  it('card data with extra or missing fields, or another meeting id, is refused', async () => {
    const m = await meeting();
    const invoke = (data: Record<string, unknown>, verb = 'announcement') =>
      t.send(
        t.base('member', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb, data: { verb, ...data } }, trigger: 'manual' },
        }),
      );
    const answers = [
      await invoke({ meetingId: m.id, text: 'extra veld', evil: true }),
      await invoke({ meetingId: m.id }),
      await invoke({ meetingId: 'another-meeting-id', text: 'vreemde vergadering' }),
      await invoke({ meetingId: m.id, text: 42 }),
      await invoke({ meetingId: m.id, itemId: 'nope', text: 'x' }, 'decision'),
      await invoke({ meetingId: m.id }, 'noSuchVerb'),
    ];
    for (const a of answers) {
      ok(a, 'invoke');
      const card = (a.body as { value?: unknown }).value;
      assert.ok(card, 'answered with a card');
      assert.deepEqual(cardProblems([card], []), []);
    }
    const submit = await t.send(
      t.base('member', { type: 'message', value: { verb: 'announcement', meetingId: m.id, text: 'x', extra: 1 } }),
    );
    ok(submit, 'submit');
    const after = await meeting();
    assert.equal(after.announcements.length, 1);
    assert.equal(after.decisions.length, 0);
  });

  it('long and hostile texts are stored and shown verbatim', async () => {
    const long = `Lang: ${'abcdefghij'.repeat(300)}`.slice(0, 2999) + '!';
    assert.equal(long.length, 3000);
    const hostile = ['Let op ${x} en <script>alert(1)</script>', '**md** _nadruk_', '| pipes | in | tabel |'];
    ok(await t.say('member', `mededeling: ${long}`), 'long');
    for (const text of hostile) ok(await t.say('member', `mededeling: ${text}`), text);
    const stored = (await meeting()).announcements.map((a) => a.text);
    assert.deepEqual(stored.slice(1), [long, ...hostile]);
    const mark = h.connector.mark();
    ok(await t.say('secretary', 'punt B'), 'punt B');
    const shown = t.repliesText(mark);
    for (const text of hostile) assert.ok(shown.includes(text), `shown verbatim: ${text}`);
    await settle(h);
    assert.deepEqual(cardProblems(t.allCards(), ['${x}']), []);
  });

  it('a member is refused "volgende" and "publiceren" with a reply naming who may', async () => {
    const m0 = await meeting();
    let mark = h.connector.mark();
    ok(await t.say('member', 'volgende'), 'volgende');
    assert.match(t.repliesText(mark), /voorzitter|secretaris/);
    mark = h.connector.mark();
    ok(await t.say('member', 'publiceren'), 'publiceren');
    assert.match(t.repliesText(mark), /secretaris/);
    const m1 = await meeting();
    assert.equal(m1.currentItemId, m0.currentItemId);
    assert.equal(m1.minutes.publication, undefined);
  });

  it('another tenant with the same conversation id sees nothing', async () => {
    const other = h.client({ tenantId: 'tenant-2', conversationId: t.conversationId });
    const mark = h.connector.mark();
    ok(await other.say('member', 'agenda'), 'agenda');
    ok(await other.say('member', 'acties'), 'acties');
    const text = other.repliesText(mark);
    assert.ok(!text.includes('DVO'), 'no title from tenant-1');
    assert.ok(!text.includes('Platform IVZ'), 'no agenda from tenant-1');
    const series = await h.app.meetings.read('tenant-2', t.conversationId);
    assert.equal(series.meetings.length, 0);
  });

  it('after all of it, the earlier records are intact', async () => {
    const now = await h.app.meetings.read(t.tenantId, t.conversationId);
    const was = JSON.parse(snapshot) as typeof now;
    const m0 = was.meetings[0]!;
    const m1 = now.meetings[0]!;
    assert.equal(now.meetings.length, was.meetings.length);
    assert.deepEqual(
      m1.agenda,
      // Notes and the clock move on (a test went to another item); the items themselves do not.
      m0.agenda.map((i, k) => ({
        ...i,
        ...{ notes: m1.agenda[k]!.notes },
        ...(m1.agenda[k]!.spans ? { spans: m1.agenda[k]!.spans } : {}),
      })),
    );
    assert.deepEqual(
      m1.agenda.map((i) => i.notes),
      m0.agenda.map((i) => i.notes),
    );
    assert.deepEqual(m1.announcements[0], m0.announcements[0]);
    assert.deepEqual(m1.decisions, m0.decisions);
    assert.deepEqual(now.actions, was.actions);
    assert.equal(m1.status, m0.status);
  });
});
