// The draft minutes as each person sees them (issue 11, items 1 and 2): the draft card posted in the chat
// shows the public part and links the public draft; the chair's and the secretary's own view of the same
// message (Teams fetches it through its refresh) shows both parts and a full link made for that person,
// whose page names them and lists the corrections. A member never receives a link that opens the closed
// part, in any reply, posted card or own view.
import assert from 'node:assert/strict';
import { BotHarness, settle, startBotHarness } from '../support/botHarness';
import { cardText } from '../support/connector';
import { findActions, type BotAnswer, type TeamsClient } from '../support/teamsClient';

const ok = (answer: BotAnswer, what: string) =>
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);

const CLOSED = ['Personele zaak', 'Vacature teamleider wordt intern vervuld', 'Commissie samenstellen'];
const links = (card: unknown) =>
  findActions(card)
    .filter((a) => a.type === 'Action.OpenUrl')
    .map((a) => ({ title: String(a.title), url: String(a.url) }));

describe('HTTP: the draft minutes as each person sees them', function () {
  this.timeout(60000);
  let h: BotHarness;
  let t: TeamsClient;
  let draftId: string;
  const say = async (who: string, text: string) => ok(await t.say(who, text), text.split('\n')[0]!);

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 50, debounceMs: 10 } });
    t = h.client();
    await say('secretary', 'vergadering\ntitel: DVO Twente\ndatum: 10-10-2016\ntijd: 10:30-12:00\nlocatie: Hengelo');
    await say(
      'secretary',
      'agenda\nA Opening\nB Mededelingen\nD1 Platform IVZ [ter besluitvorming]\nG Personele zaak [besloten]\nF Sluiting',
    );
    await say('secretary', 'voorzitter @{chair}');
    await say('secretary', 'start');
    await say('member', 'mededeling: De subsidie is toegekend.');
    await say('chair', 'punt D1');
    await say('chair', 'besluit: Het DVO stemt in met de aanpak, met een tikfout. [akkoord]');
    await say('chair', 'wijzig besluit 1: Het DVO stemt in met de aanpak. [akkoord met wijzigingen]');
    await say('chair', 'punt G');
    await say('chair', 'besluit: Vacature teamleider wordt intern vervuld. [akkoord]');
    await say('chair', 'actie O. van Veldhuizen: Commissie samenstellen');
    await say('chair', 'sluiten');
    await settle(h);
    const mark = h.connector.mark();
    await say('member', 'besluitenlijst');
    draftId = h.connector.sent(t.conversationId, mark).find((e) => e.op === 'send')!.id;
  });
  after(async () => {
    await h?.stop();
  });

  it('as posted, and in a member’s own view: the public part, a public link, nothing of the closed item', async () => {
    for (const [how, card] of [
      ['posted', h.connector.sent(t.conversationId).find((e) => e.id === draftId)!.activity!.attachments![0]!.content],
      ['the member’s view', (await t.view('member', draftId))!.card],
    ] as const) {
      const text = cardText(card);
      assert.match(text, /Het DVO stemt in met de aanpak\./, how);
      for (const phrase of CLOSED) assert.ok(!text.includes(phrase), `${how} shows "${phrase}"`);
      const urls = links(card);
      assert.equal(urls.length, 1, `${how}: one link, the public draft`);
      const page = await (await fetch(urls[0]!.url)).text();
      for (const phrase of CLOSED) assert.ok(!page.includes(phrase), `the page linked from ${how} shows "${phrase}"`);
      assert.ok(!/VERTROUWELIJK/.test(page));
    }
    assert.equal((await t.view('member', draftId))!.how, 'posted', 'members are not in refresh.userIds');
  });

  it('the secretary’s and the chair’s own view: both parts, and a full link made for them that names them and lists the corrections', async () => {
    for (const [who, name] of [
      ['secretary', h.users.secretary!.name],
      ['chair', h.users.chair!.name],
    ] as const) {
      const own = (await t.view(who, draftId))!;
      assert.equal(own.how, 'refresh', `${who}: their own view`);
      const text = cardText(own.card);
      for (const phrase of ['Personele zaak', 'Vacature teamleider wordt intern vervuld'])
        assert.ok(text.includes(phrase), `${who} sees "${phrase}"`);
      const fullLink = links(own.card).find((l) => /besloten deel/i.test(l.title));
      assert.ok(fullLink, `${who}: a link with the closed part`);
      const page = await (await fetch(fullLink.url)).text();
      assert.match(page, new RegExp(`VERTROUWELIJK – voor ${name.replace(/\./g, '\\.')}`));
      assert.match(page, /Vacature teamleider wordt intern vervuld/);
      // The correction log: who changed decision 1, what it was, what it is.
      assert.match(page, /Wijzigingen in het verslag/);
      assert.match(page, /met een tikfout/);
      assert.match(page, /akkoord met wijzigingen/);
    }
    const secretary = (await t.view('secretary', draftId))!;
    assert.ok(
      findActions(secretary.card).some((a) => a.verb === 'publish'),
      'the secretary may publish from it',
    );
    const chair = (await t.view('chair', draftId))!;
    assert.ok(!findActions(chair.card).some((a) => a.verb === 'publish'), 'the chair may not');
  });

  it('a member never receives a link that opens the closed part, in any reply, posted card or own view', async () => {
    // A member's click on the draft card's buttons, and the cards in the chat as the member sees them.
    const everything = [
      ...h.connector.sent(t.conversationId).flatMap((e) => [e.activity?.text ?? '', JSON.stringify(e.activity?.attachments ?? [])]),
      ...(await t.views('member')).map((c) => JSON.stringify(c.card)),
    ].join('\n');
    const urls = [...everything.matchAll(/https?:\/\/[^\s"'\\)]+\/minutes\/draft\/[^\s"'\\)]+/g)].map((m) => m[0]);
    assert.ok(urls.length > 0, 'the member was given links');
    for (const url of new Set(urls)) {
      const res = await fetch(url);
      const body = await res.text();
      for (const phrase of CLOSED) assert.ok(!body.includes(phrase), `${url} opens "${phrase}" for a member`);
    }
  });
});
