// Hostile shapes of otherwise ordinary activities, over HTTP: verbs named after Object.prototype members,
// a message with thousands of mentions, and fields of the wrong type. None gives a 5xx; each is answered
// as its ordinary counterpart is.
import assert from 'node:assert/strict';
import { BotHarness, settle, startBotHarness } from '../support/botHarness';
import type { BotAnswer, TeamsClient } from '../support/teamsClient';

const INHERITED = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];

function ok(answer: BotAnswer, what: string): void {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}

/** The texts of an invoke answer's card, for comparing two answers. */
function cardTexts(answer: BotAnswer): string {
  return JSON.stringify((answer.body as { value?: { value?: unknown } } | null)?.value?.value ?? null).replace(/"id":"[^"]*"/g, '');
}

describe('HTTP: hostile shapes of ordinary activities', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 50, debounceMs: 10 } });
    t = h.client();
    ok(await t.say('secretary', 'vergadering\ntitel: DVO\ndatum: 12-12-2030\ntijd: 10:00-12:00'), 'plan');
    ok(await t.say('secretary', 'agenda\nA Opening\nB Mededelingen'), 'agenda');
    await settle(h, 200);
  });
  after(async () => {
    await h?.stop();
  });

  const invoke = (verb: string, data: Record<string, unknown> = {}) =>
    t.send(
      t.base('member', {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb, data: { verb, ...data } }, trigger: 'manual' },
      }),
    );
  const submit = (value: unknown) => t.send(t.base('member', { type: 'message', value }));

  describe('verbs and keywords named after Object.prototype members answer like an unknown one', () => {
    for (const name of INHERITED) {
      it(`"${name}"`, async () => {
        const unknownClick = await invoke('noSuchVerb');
        ok(unknownClick, 'unknown verb');
        const click = await invoke(name);
        ok(click, `invoke ${name}`);
        assert.equal(cardTexts(click), cardTexts(unknownClick), `${name} is answered as an unknown verb`);
        // Only in the data (Action.Submit), and only as the Action.Execute verb.
        ok(await submit(JSON.parse(`{"verb": ${JSON.stringify(name)}}`)), `submit ${name}`);
        const bare = await t.send(
          t.base('member', {
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb: name, data: {} }, trigger: 'manual' },
          }),
        );
        ok(bare, `invoke verb ${name} without data`);
        assert.equal(cardTexts(bare), cardTexts(unknownClick));

        let mark = h.connector.mark();
        ok(await t.say('member', 'blabla'), 'typed unknown');
        const unknownReply = t.repliesText(mark).replace('blabla', '<word>');
        mark = h.connector.mark();
        ok(await t.say('member', name), `typed ${name}`);
        assert.equal(t.repliesText(mark).replace(name.replace(/_/g, '\\_'), '<word>').replace(name, '<word>'), unknownReply);
      });
    }

    it('a data field named "__proto__" is a field like any other: refused as an unknown field', async () => {
      const m = (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!;
      const raw = `{"verb":"announcement","meetingId":${JSON.stringify(m.id)},"announcementText":"x","__proto__":{"announcementText":"y"}}`;
      const answer = await t.send(
        t.base('member', {
          type: 'invoke',
          name: 'adaptiveCard/action',
          value: { action: { type: 'Action.Execute', verb: 'announcement', data: JSON.parse(raw) as unknown }, trigger: 'manual' },
        }),
      );
      ok(answer, 'invoke');
      assert.equal((await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!.announcements.length, 0);
    });
  });

  it('a message with 4,000 mentions makes one roster lookup: the chair it names', async () => {
    const kok = t.user('kok');
    const entities: Record<string, unknown>[] = [
      { type: 'mention', text: '<at>Notulist</at>', mentioned: { id: `28:${t.botId}`, name: 'Notulist' } },
      { type: 'mention', text: `<at>${kok.name}</at>`, mentioned: { id: kok.id, name: kok.name } },
    ];
    let text = `<at>Notulist</at> voorzitter <at>${kok.name}</at>`;
    for (let i = 0; i < 4000; i++) {
      entities.push({ type: 'mention', text: `<at>U${i}</at>`, mentioned: { id: `29:u${i}`, name: `U${i}` } });
      text += ` <at>U${i}</at>`;
    }
    const lookups = h.connector.memberLookups.length;
    const started = Date.now();
    ok(await t.send(t.base('secretary', { type: 'message', textFormat: 'plain', text, entities })), '4,000 mentions');
    const elapsed = Date.now() - started;
    const made = h.connector.memberLookups.slice(lookups);
    assert.ok(made.length <= 3, `${made.length} roster lookups`);
    assert.deepEqual(made, [kok.id]);
    const meeting = (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!;
    assert.deepEqual(
      meeting.chairs.map((c) => [c.id, c.aadObjectId]),
      [[kok.id, kok.aadObjectId]],
      'the chair is the first mention, with the Entra id the roster gave',
    );
    assert.ok(elapsed < 5000, `answered in ${elapsed} ms`);
  });

  describe('fields of the wrong type are treated as absent, never a 5xx', () => {
    const odd: [string, unknown][] = [
      ['a number', 42],
      ['an object', { nl: true }],
      ['an array', ['nl-NL']],
      ['true', true],
      ['null', null],
    ];
    for (const [what, value] of odd) {
      it(`locale as ${what}: typed, clicked and submitted commands answer in Dutch`, async () => {
        let mark = h.connector.mark();
        ok(await t.send(t.base('member', { type: 'message', text: '<at>Notulist</at> blabla', locale: 'nl-NL' })), 'typed, nl-NL');
        const dutch = t.repliesText(mark);
        mark = h.connector.mark();
        ok(await t.send({ ...t.base('member', { type: 'message', text: '<at>Notulist</at> blabla' }), locale: value }), 'typed');
        assert.equal(t.repliesText(mark), dutch);
        const click = await t.send({
          ...t.base('member', {
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb: 'help', data: { verb: 'help' } }, trigger: 'manual' },
          }),
          locale: value,
        });
        ok(click, 'invoke');
        assert.equal((click.body as { statusCode?: number }).statusCode, 200);
        mark = h.connector.mark();
        ok(await t.send({ ...t.base('member', { type: 'message', value: { verb: 'noSuchVerb' } }), locale: value }), 'submit');
        ok(
          await t.send({ ...t.base('member', { type: 'event', name: 'application/vnd.microsoft.meetingEnd', value: {} }), locale: value }),
          'event',
        );
        ok(
          await t.send({ ...t.base('member', { type: 'conversationUpdate', membersAdded: [{ id: `28:${t.botId}` }] }), locale: value }),
          'added',
        );
      });
    }

    it("the sender's name as a number, an object or a list: the Teams id stands in for it", async () => {
      for (const name of [7, { first: 'J.' }, ['J.', 'Slot'], true]) {
        const activity = t.base('member', { type: 'message', text: `<at>Notulist</at> mededeling: naam ${JSON.stringify(name)}` });
        ok(await t.send({ ...activity, from: { ...(activity.from as object), name } }), `from.name ${JSON.stringify(name)}`);
      }
      const meeting = (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings.at(-1)!;
      const mine = meeting.announcements.filter((a) => a.text.startsWith('naam '));
      assert.equal(mine.length, 4);
      for (const a of mine) assert.equal(a.by.name, t.user('member').id, JSON.stringify(a));
    });

    it('other fields of odd types: 2xx, or 400 where the body is not an activity', async () => {
      const base = () => t.base('member', { type: 'message', text: '<at>Notulist</at> help' });
      // 501: the SDK's answer to an invoke the bot does not implement (an invoke without a name is one).
      const cases: [string, (a: Record<string, unknown>) => Record<string, unknown>, 'ok' | 400 | 501][] = [
        ['conversation.id a number', (a) => ({ ...a, conversation: { ...(a.conversation as object), id: 42 } }), 400],
        ['conversation.id an object', (a) => ({ ...a, conversation: { ...(a.conversation as object), id: { id: 'x' } } }), 400],
        ['conversation a string', (a) => ({ ...a, conversation: 'x' }), 400],
        ['from.id a number', (a) => ({ ...a, from: { id: 7 } }), 400],
        ['conversation.tenantId a number', (a) => ({ ...a, conversation: { ...(a.conversation as object), tenantId: 5 } }), 'ok'],
        ['conversation.isGroup a string', (a) => ({ ...a, conversation: { ...(a.conversation as object), isGroup: 'yes' } }), 'ok'],
        ['channelData a string', (a) => ({ ...a, channelData: 'tenant' }), 'ok'],
        ['channelData.tenant a string', (a) => ({ ...a, channelData: { tenant: 'tenant-1' } }), 'ok'],
        ['channelData.tenant.id a number', (a) => ({ ...a, channelData: { tenant: { id: 1 } } }), 'ok'],
        ['entities an object', (a) => ({ ...a, entities: { type: 'mention' } }), 'ok'],
        ['entities of numbers and strings', (a) => ({ ...a, entities: [1, 'mention', null] }), 'ok'],
        ['a mention without mentioned', (a) => ({ ...a, entities: [{ type: 'mention', text: '<at>Notulist</at>' }] }), 'ok'],
        ['a mention naming a number', (a) => ({ ...a, entities: [{ type: 'mention', text: 5, mentioned: { id: 5 } }] }), 'ok'],
        ['recipient a string', (a) => ({ ...a, recipient: 'bot' }), 'ok'],
        ['recipient.id a number', (a) => ({ ...a, recipient: { id: 3 } }), 'ok'],
        ['from.aadObjectId an object', (a) => ({ ...a, from: { ...(a.from as object), aadObjectId: {} } }), 'ok'],
        ['replyToId a number', (a) => ({ ...a, replyToId: 12 }), 'ok'],
        ['channelId a number', (a) => ({ ...a, channelId: 1 }), 'ok'],
        ['timestamp a number, localTimestamp garbage', (a) => ({ ...a, timestamp: 1, localTimestamp: 'gisteren' }), 'ok'],
        ['attachments an object', (a) => ({ ...a, attachments: { contentType: 'x' } }), 'ok'],
        ['value an array', (a) => ({ ...a, value: [1, 2] }), 'ok'],
        ['value a number', (a) => ({ ...a, value: 3 }), 'ok'],
        ['membersAdded a string', (a) => ({ ...a, type: 'conversationUpdate', membersAdded: 'everyone' }), 'ok'],
        ['membersAdded of strings', (a) => ({ ...a, type: 'conversationUpdate', membersAdded: ['x', 1] }), 'ok'],
        ['an invoke whose value is a string', (a) => ({ ...a, type: 'invoke', name: 'adaptiveCard/action', value: 'x' }), 'ok'],
        ['an invoke whose name is a number', (a) => ({ ...a, type: 'invoke', name: 5 }), 501],
        ['an event whose name is an object', (a) => ({ ...a, type: 'event', name: {} }), 'ok'],
      ];
      for (const [what, change, expected] of cases) {
        const answer = await t.send(change(base()));
        if (expected !== 'ok') assert.equal(answer.status, expected, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
        else assert.ok(answer.status < 500, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    });
  });
});
