// Live cards as each person in the chat sees them (issue 14), over HTTP with three users on the same
// messages: what the secretary, the chair and a member see of the shared agenda message after each
// click (TeamsClient.view models the Teams client: own click answer, else the refresh for users in
// refresh.userIds, else the card as posted); a member's forged clicks; a banner on every click, in the
// clicker's language; closing from a card; old cards retiring, and clicks on them recording nothing.
import assert from 'node:assert/strict';
import { BotHarness, settle, startBotHarness } from '../support/botHarness';
import { bannerOf } from '../support/cardActions';
import { cardText } from '../support/connector';
import { findActions, type BotAnswer, type TeamsClient } from '../support/teamsClient';
import type { Meeting, Series } from '../../services/meeting/types';

type Json = Record<string, unknown>;

function ok(answer: BotAnswer, what: string): BotAnswer {
  assert.notEqual(answer.status, 0, `${what}: ${String(answer.body)}`);
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

const cardOf = (answer: BotAnswer): Json => {
  const card = (answer.body as { value?: Json } | null)?.value;
  assert.equal(card?.type, 'AdaptiveCard', `answered with a card: ${JSON.stringify(answer.body)}`);
  return card!;
};

/** Verbs only chair and secretary may ever be offered. */
const CHAIR_VERBS = [
  'start',
  'goTo',
  'showItem',
  'decision',
  'note',
  'action',
  'correct',
  'close',
  'reopen',
  'publish',
  'setAgenda',
  'attendance',
  'editMeeting',
  'cancelMeeting',
  'done',
];
/** Buttons that would record or navigate: none may be offered by a card of a closed meeting. */
const RECORD_OR_NAVIGATE = [
  'start',
  'goTo',
  'showItem',
  'decision',
  'note',
  'action',
  'correct',
  'close',
  'setAgenda',
  'attendance',
  'announcement',
  'question',
  'apologies',
  'present',
];

const verbsOf = (card: unknown) => new Set(findActions(card).map((a) => String(a.verb ?? '')));
const offered = (card: unknown, verbs: string[]) => verbs.filter((v) => verbsOf(card).has(v));
/** The item card's heading: "Agendapunt 2 van 4 · …". */
const ITEM_HEADING = /Agendapunt \d+ van \d+|Item \d+ of \d+/;

const PLAN = ['vergadering', 'titel: Drie tegelijk', 'datum: 10-10-2016', 'tijd: 10:30-12:00', 'locatie: Hengelo'].join('\n');
const AGENDA = ['agenda', 'A Opening', 'B Mededelingen', 'D1 Platform IVZ [ter besluitvorming]', 'F Sluiting'].join('\n');

describe('HTTP: live cards as each person sees them (issue 14)', function () {
  this.timeout(30000);
  let h: BotHarness;

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 50, debounceMs: 10 } });
  });
  after(async () => {
    await h?.stop();
  });

  /** One chat with a planned meeting, its agenda posted and the chair named. */
  async function chat() {
    const t = h.client();
    const series = (): Promise<Series> => h.app.meetings.read(t.tenantId, t.conversationId);
    const meeting = async (): Promise<Meeting> => (await series()).meetings[0]!;
    const say = async (who: string, text: string) => ok(await t.say(who, text), `${who}: ${text.split('\n')[0]!}`);
    /** The edits a click causes are sent shortly after its answer: what Teams shows everyone catches up. */
    const caughtUp = () => h.app.liveCards.drain();
    const invoke = async (who: string, verb: string, data: Json, replyToId?: string, client: TeamsClient = t) =>
      cardOf(
        ok(
          await client.send(
            client.base(who, {
              type: 'invoke',
              name: 'adaptiveCard/action',
              ...(replyToId ? { replyToId } : {}),
              value: { action: { type: 'Action.Execute', verb, data: { ...data } }, trigger: 'manual' },
            }),
          ),
          `invoke ${verb}`,
        ),
      );
    const click = async (who: string, title: RegExp, inputs: Record<string, string>, verb: string, messageId?: string) =>
      cardOf(ok(await t.click(who, title, inputs, { verb, messageId }), `${who} clicks ${String(title)} (${verb})`));
    /** Every version of a message the bot posted or edited. */
    const versions = (id: string) =>
      h.connector
        .sent(t.conversationId)
        .filter((e) => e.id === id && e.op !== 'delete')
        .map((e) => e.activity?.attachments?.[0]?.content as Json);
    await say('secretary', PLAN);
    await say('secretary', AGENDA);
    await say('secretary', 'voorzitter @{chair}');
    await caughtUp();
    return { t, series, meeting, say, caughtUp, invoke, click, versions };
  }

  describe('three users at once on the same shared agenda message', () => {
    let c: Awaited<ReturnType<typeof chat>>;
    let agendaId: string;

    before(async () => {
      c = await chat();
      agendaId = (await c.meeting()).agendaCardId!;
      assert.ok(agendaId, 'the agenda card was posted');
    });

    /** What each of the three sees of the agenda message now; the member never a chair verb, never an item card. */
    async function agendaViews(step: string, chairVerb: string) {
      const member = (await c.t.view('member', agendaId))!;
      assert.deepEqual(offered(member.card, CHAIR_VERBS), [], `${step}: the member is offered no chair verb (${member.how})`);
      assert.ok(verbsOf(member.card).has('announcement'), `${step}: the member has the announcement form`);
      assert.doesNotMatch(cardText(member.card), ITEM_HEADING, `${step}: the member sees the agenda, not an item card`);
      for (const who of ['chair', 'secretary']) {
        const v = (await c.t.view(who, agendaId))!;
        assert.notEqual(v.how, 'posted', `${step}: ${who} gets an own view`);
        assert.ok(
          verbsOf(v.card).has(chairVerb),
          `${step}: ${who} has the chair's controls (${chairVerb}): ${[...verbsOf(v.card)].join(', ')}`,
        );
        assert.doesNotMatch(cardText(v.card), ITEM_HEADING, `${step}: ${who} sees the agenda`);
      }
      // As posted or edited, the message was only ever the shared agenda: the member view, refreshed for chair and secretary.
      const all = c.versions(agendaId);
      for (const card of all) {
        assert.deepEqual(offered(card, CHAIR_VERBS), [], `${step}: the shared message never carries chair verbs`);
        assert.doesNotMatch(cardText(card), ITEM_HEADING, `${step}: the agenda message was never edited into an item card`);
        const refresh = card.refresh as { action?: { data?: Json }; userIds?: string[] } | undefined;
        assert.equal(refresh?.action?.data?.card, 'agenda');
        assert.ok(refresh?.userIds?.includes(c.t.user('secretary').id));
        assert.ok(!refresh?.userIds?.includes(c.t.user('member').id));
      }
      const refresh = all[all.length - 1]!.refresh as { userIds?: string[] };
      assert.deepEqual([...refresh.userIds!].sort(), [c.t.user('chair').id, c.t.user('secretary').id].sort(), 'chair and secretary');
      return member;
    }

    it('before the meeting: the member has the member view, chair and secretary their own with Start', async () => {
      const member = await agendaViews('planned', 'start');
      assert.equal(member.how, 'posted');
    });

    it('the chair clicks Start on the shared agenda: the chair gets the running agenda, everyone else keeps theirs', async () => {
      const answer = await c.click('chair', /^Start$/, {}, 'start', agendaId);
      assert.match(bannerOf(answer)?.text ?? '', /De vergadering is geopend/);
      assert.ok(verbsOf(answer).has('goTo'), 'the chair’s answer is the running agenda with its controls');
      assert.equal((await c.t.view('chair', agendaId))!.how, 'own click');
      await c.caughtUp();
      await agendaViews('after Start', 'goTo');
      const m = await c.meeting();
      assert.equal(m.status, 'running');
      assert.ok(m.itemCard && m.itemCard.activityId !== agendaId, 'the item card is a message of its own');
      const member = (await c.t.view('member', m.itemCard.activityId))!;
      assert.deepEqual(offered(member.card, CHAIR_VERBS), [], 'the member’s view of the item card has no chair verbs');
      const chair = (await c.t.view('chair', m.itemCard.activityId))!;
      for (const verb of ['goTo', 'decision', 'note', 'action']) assert.ok(verbsOf(chair.card).has(verb), `the chair’s item card: ${verb}`);
    });

    it('the member fills the announcement form on it: the answer is the member’s own view, and nobody else’s view changes hands', async () => {
      const answer = await c.click('member', /^Vastleggen$/, { announcementText: 'Mededeling via de agenda.' }, 'announcement', agendaId);
      assert.deepEqual(bannerOf(answer), { style: 'good', text: 'Mededeling 1 van J. Slot vastgelegd.' });
      assert.deepEqual(offered(answer, CHAIR_VERBS), [], 'the member’s answer is the member view');
      const own = (await c.t.view('member', agendaId))!;
      assert.equal(own.how, 'own click');
      await c.caughtUp();
      // The agenda does not show announcements, so the bot need not edit it: the member keeps the answer,
      // still the member's view.
      await agendaViews('after the announcement', 'goTo');
      assert.deepEqual(
        (await c.meeting()).announcements.map((a) => [a.author, a.text]),
        [['J. Slot', 'Mededeling via de agenda.']],
      );
    });

    it('the chair clicks Volgende on it: the item card follows the current item, the agenda stays the agenda', async () => {
      const itemCardId = (await c.meeting()).itemCard!.activityId;
      const answer = await c.click('chair', /^Volgende$/, {}, 'goTo', agendaId);
      assert.match(bannerOf(answer)?.text ?? '', /Nu aan de orde: B Mededelingen/);
      await c.caughtUp();
      await agendaViews('after Volgende', 'goTo');
      const m = await c.meeting();
      assert.equal(m.agenda.find((i) => i.id === m.currentItemId)?.code, 'B');
      assert.equal(m.itemCard?.activityId, itemCardId, 'a click moves the live item card, it posts no new one');
      assert.equal(m.agendaCardId, agendaId);
      const member = (await c.t.view('member', itemCardId))!;
      assert.match(cardText(member.card), /B\s+Mededelingen/);
      assert.match(cardText(member.card), /1\. J\. Slot: Mededeling via de agenda\./);
      assert.deepEqual(offered(member.card, CHAIR_VERBS), []);
      assert.ok(verbsOf(member.card).has('announcement'), 'under Mededelingen the member has the announcement form');
    });

    it('a member’s crafted invoke (goTo, decision) with the agenda’s or the item card’s id changes nothing and edits no message', async () => {
      await settle(h, 150);
      const m = await c.meeting();
      const itemCardId = m.itemCard!.activityId;
      const d1 = m.agenda.find((i) => i.code === 'D1')!;
      const before = JSON.stringify(await c.series());
      const mark = h.connector.mark();
      const forged: [string, Json, string][] = [
        ['goTo', { meetingId: m.id, card: 'agenda', itemId: d1.id }, agendaId],
        ['goTo', { meetingId: m.id, card: 'item', itemId: d1.id }, itemCardId],
        ['goTo', { meetingId: m.id, card: 'item', targetItem: d1.id }, agendaId],
        [
          'decision',
          { meetingId: m.id, card: 'item', itemId: m.currentItemId!, decisionText: 'Vervalst besluit.', outcome: 'agreed' },
          itemCardId,
        ],
        [
          'decision',
          { meetingId: m.id, card: 'agenda', itemId: m.currentItemId!, decisionText: 'Vervalst besluit.', outcome: 'agreed' },
          agendaId,
        ],
        ['showItem', { meetingId: m.id, card: 'agenda', itemId: m.currentItemId! }, agendaId],
        ['close', { meetingId: m.id, card: 'item' }, itemCardId],
      ];
      for (const [verb, data, replyToId] of forged) {
        const answer = await c.invoke('member', verb, data, replyToId);
        // Refused: for who they are, or (a card kind that is not the message's) as a card whose moment has passed.
        const banner = bannerOf(answer);
        assert.equal(banner?.style, 'attention', `${verb} on ${replyToId}`);
        assert.match(
          banner!.text,
          /^(Alleen de voorzitter of de secretaris mag dit doen\.|Deze kaart is niet meer actueel\.)/,
          `${verb} on ${replyToId}`,
        );
        assert.deepEqual(offered(answer, CHAIR_VERBS), [], `${verb}: the refusal is drawn in the member's view`);
      }
      await c.caughtUp();
      await settle(h, 150);
      assert.deepEqual(
        h.connector.sent(c.t.conversationId, mark).map((e) => `${e.op} ${e.id}`),
        [],
        'the bot posted and edited nothing because of them',
      );
      assert.equal(JSON.stringify(await c.series()), before, 'nothing changed');
      await agendaViews('after the forged clicks', 'goTo');
    });

    it('every click is answered with a banner in the clicker’s language (nl-NL and en-US)', async () => {
      const m = await c.meeting();
      const en = h.client({ conversationId: c.t.conversationId, locale: 'en-US' });
      const d1 = m.agenda.find((i) => i.code === 'D1')!;
      const cases: [TeamsClient, string, string, Json, { style: string; text: RegExp }][] = [
        [
          c.t,
          'member',
          'announcement',
          { announcementText: 'Nederlands.' },
          { style: 'good', text: /^Mededeling 2 van J\. Slot vastgelegd\.$/ },
        ],
        [
          en,
          'member',
          'announcement',
          { announcementText: 'English.' },
          { style: 'good', text: /^Announcement 3 by J\. Slot recorded\.$/ },
        ],
        [c.t, 'member', 'apologies', {}, { style: 'good', text: /^J\. Slot is afgemeld\.$/ }],
        [en, 'kok', 'apologies', {}, { style: 'good', text: /^G\.J\. Kok/ }],
        [c.t, 'member', 'goTo', { itemId: d1.id }, { style: 'attention', text: /^Alleen de voorzitter of de secretaris mag dit doen\.$/ }],
        [en, 'member', 'goTo', { itemId: d1.id }, { style: 'attention', text: /^Only the chair or the secretary can do this\.$/ }],
        [en, 'chair', 'goTo', { itemId: d1.id }, { style: 'good', text: /^Now: D1 Platform IVZ\.$/ }],
        [
          c.t,
          'chair',
          'note',
          { itemId: d1.id, noteText: 'Verslag.' },
          { style: 'good', text: /^Verslag 1 bij agendapunt D1 vastgelegd\.$/ },
        ],
        [
          en,
          'secretary',
          'decision',
          { itemId: d1.id, decisionText: 'Agreed.', outcome: 'agreed' },
          { style: 'good', text: /^Decision 1 / },
        ],
        [c.t, 'secretary', 'publish', {}, { style: 'attention', text: /loopt nog\. Sluit haar eerst/ }],
        [en, 'secretary', 'publish', {}, { style: 'attention', text: /still in progress\. Close it first/ }],
        [
          en,
          'member',
          'correct',
          { record: 'decision:1', change: 'remove' },
          { style: 'attention', text: /^Only the chair or the secretary/ },
        ],
      ];
      for (const [client, who, verb, data, expect] of cases) {
        const answer = await c.invoke(who, verb, { meetingId: m.id, card: 'agenda', ...data }, undefined, client);
        const banner = bannerOf(answer);
        assert.equal(banner?.style, expect.style, `${client.locale} ${who} ${verb}: ${JSON.stringify(banner)}`);
        assert.match(banner!.text, expect.text, `${client.locale} ${who} ${verb}`);
        // The card itself is in the clicker's language too.
        const agendaButtons = findActions(answer).map((a) => String(a.title));
        if (client === en)
          assert.ok(!agendaButtons.some((b) => /^(Vastleggen|Volgende|Meer)$/.test(b)), `English buttons: ${agendaButtons.join(', ')}`);
      }
      // And the clicks of the earlier steps, as Teams showed them: each answer had a banner.
      const clicks = c.t.invokeAnswers.filter((a) => !a.refresh);
      assert.ok(clicks.length >= 10);
      for (const a of clicks) assert.ok(bannerOf(a.card), `a click answered without a banner: ${cardText(a.card).slice(0, 80)}`);
    });

    it('closing from a card asks first and ends on the closed agenda naming the next step; then no card offers record or navigation buttons', async () => {
      await c.caughtUp();
      // To the last item by the item card's Volgende.
      for (let i = 0; i < 5; i++) {
        const m = await c.meeting();
        if (m.agenda[m.agenda.length - 1]!.id === m.currentItemId) break;
        await c.click('chair', /^Volgende$/, {}, 'goTo', m.itemCard!.activityId);
        await c.caughtUp();
      }
      const m = await c.meeting();
      const itemCardId = m.itemCard!.activityId;
      assert.equal(m.agenda.find((i) => i.id === m.currentItemId)?.code, 'F');
      const chairCard = (await c.t.view('chair', itemCardId))!.card;
      const closeButton = (chairCard.actions as Json[]).find((a) => a.title === 'Sluiten');
      assert.equal(closeButton?.type, 'Action.ShowCard', 'at the last item "Sluiten" is a ShowCard');
      assert.match(cardText(closeButton.card), /De vergadering sluiten\?/);
      assert.deepEqual(
        findActions(closeButton.card).map((a) => [a.title, a.verb]),
        [['Ja, sluit de vergadering', 'close']],
      );
      // No card anyone is shown closes without that question.
      for (const who of ['chair', 'secretary'])
        for (const { card } of await c.t.views(who))
          assert.ok(!((card.actions as Json[] | undefined) ?? []).some((a) => a.verb === 'close'), `${who}: an unconfirmed close`);

      const answer = await c.click('chair', /^Ja, sluit de vergadering$/, {}, 'close', itemCardId);
      assert.match(
        bannerOf(answer)?.text ?? '',
        /De vergadering van 10 oktober 2016 is gesloten\. Volgende stap voor de secretaris: bekijk de besluitenlijst/,
      );
      assert.match(cardText(answer), /gesloten/);
      assert.doesNotMatch(cardText(answer), ITEM_HEADING, 'it ends on the agenda card');
      assert.deepEqual(
        // Besluitenlijst first; reopening and the action list under "Meer" (a ShowCard, no verb).
        findActions(answer).map((a) => a.verb),
        ['minutes', undefined, 'reopen', 'actions'],
      );
      await c.caughtUp();
      assert.equal((await c.meeting()).status, 'closed');
      const secretary = (await c.t.view('secretary', agendaId))!;
      assert.deepEqual(
        findActions(secretary.card).map((a) => a.verb),
        ['minutes', 'publish', undefined, 'reopen', 'actions'],
        'the secretary’s closed agenda offers Besluitenlijst and Publiceren',
      );
      for (const who of ['member', 'chair', 'secretary', 'kok'])
        for (const { id, card } of await c.t.views(who))
          assert.deepEqual(
            offered(card, RECORD_OR_NAVIGATE),
            [],
            `${who} is offered record or navigation buttons on ${id}: ${cardText(card).slice(0, 60)}`,
          );
    });
  });

  describe('cards whose moment has passed', () => {
    let c: Awaited<ReturnType<typeof chat>>;
    let firstAgendaId: string;
    /** Each item card while it was live, with the buttons each person had on it then. */
    const itemCards: { id: string; itemId: string; chair: Json[]; member: Json[] }[] = [];
    const agendaButtons: { chair: Json[]; member: Json[] } = { chair: [], member: [] };

    before(async () => {
      c = await chat();
      firstAgendaId = (await c.meeting()).agendaCardId!;
      for (const command of ['start', 'volgende', 'volgende']) {
        await c.say('chair', command);
        await c.caughtUp();
        const { activityId: id, itemId } = (await c.meeting()).itemCard!;
        const buttons = async (who: string) => findActions((await c.t.view(who, id))!.card) as Json[];
        itemCards.push({ id, itemId, chair: await buttons('chair'), member: await buttons('member') });
      }
      agendaButtons.chair = findActions((await c.t.view('chair', firstAgendaId))!.card) as Json[];
      agendaButtons.member = findActions((await c.t.view('member', firstAgendaId))!.card) as Json[];
      await c.say('member', 'agenda');
      await c.caughtUp();
    });

    it('older item cards retire as the meeting moves on, and a replaced agenda card too', async () => {
      assert.equal(new Set(itemCards.map((x) => x.id)).size, 3, 'each typed step posted a fresh item card');
      const m = await c.meeting();
      assert.notEqual(m.agendaCardId, firstAgendaId);
      for (const [k, { id }] of itemCards.slice(0, 2).entries()) {
        const posted = c.versions(id).pop()!;
        assert.deepEqual(findActions(posted), [], `item card ${k + 1} as posted now has no buttons`);
        assert.equal(posted.refresh, undefined, 'and no per-user view');
        assert.match(cardText(posted), /niet meer aan de orde/);
        assert.doesNotMatch(cardText(posted), /\bnu\b/);
        for (const who of ['member', 'chair', 'secretary'])
          assert.deepEqual(findActions((await c.t.view(who, id))!.card), [], `${who} sees item card ${k + 1} retired`);
      }
      assert.match(cardText(c.versions(itemCards[0]!.id).pop()), /A Opening/);
      assert.match(cardText(c.versions(itemCards[1]!.id).pop()), /B Mededelingen/);
      assert.ok(verbsOf((await c.t.view('chair', itemCards[2]!.id))!.card).has('decision'), 'the live one still works for the chair');
      const oldAgenda = c.versions(firstAgendaId).pop()!;
      assert.deepEqual(findActions(oldAgenda), []);
      assert.match(cardText(oldAgenda), /vervangen door een nieuwere/);
    });

    it('a click on a retired card records nothing and answers with the retired form', async () => {
      const before = JSON.stringify(await c.series());
      const mark = h.connector.mark();
      const [a, b] = itemCards as [(typeof itemCards)[0], (typeof itemCards)[0]];
      /** A button as it was on the card while live, clicked now (a client that has not got the edit yet). */
      const button = (buttons: Json[], title: string, verb: string) => {
        const hit = buttons.find((x) => x.title === title && x.verb === verb);
        assert.ok(hit, `${title} (${verb}) was on the card: ${buttons.map((x) => `${String(x.title)}/${String(x.verb)}`).join(', ')}`);
        return hit.data as Json;
      };
      const stale: [string, string, Json, string, RegExp][] = [
        [
          'chair',
          'decision',
          { ...button(a.chair, 'Vastleggen', 'decision'), decisionText: 'Op een oude kaart.', outcome: 'agreed' },
          a.id,
          /A\s+Opening/,
        ],
        ['secretary', 'note', { ...button(b.chair, 'Vastleggen', 'note'), noteText: 'Op een oude kaart.' }, b.id, /B\s+Mededelingen/],
        ['chair', 'goTo', button(b.chair, 'Vorige', 'goTo'), b.id, /B\s+Mededelingen/],
        ['chair', 'goTo', button(a.chair, 'Volgende', 'goTo'), a.id, /A\s+Opening/],
        // The announcement form names no item: its retired form names the meeting.
        [
          'member',
          'announcement',
          { ...button(b.member, 'Vastleggen', 'announcement'), announcementText: 'Op een oude kaart.' },
          b.id,
          /Drie tegelijk/,
        ],
        ['chair', 'goTo', button(agendaButtons.chair, 'Volgende', 'goTo'), firstAgendaId, /vervangen door een nieuwere/],
        [
          'member',
          'announcement',
          { ...button(agendaButtons.member, 'Vastleggen', 'announcement'), announcementText: 'Op een oude agenda.' },
          firstAgendaId,
          /vervangen door een nieuwere/,
        ],
        ['member', 'apologies', button(agendaButtons.member, 'Afmelden', 'apologies'), firstAgendaId, /vervangen door een nieuwere/],
      ];
      for (const [who, verb, data, replyToId, retired] of stale) {
        const answer = await c.invoke(who, verb, data, replyToId);
        assert.deepEqual(findActions(answer), [], `${who} ${verb}: the retired form, no buttons`);
        assert.match(cardText(answer), retired, `${who} ${verb}: ${cardText(answer)}`);
        assert.equal(bannerOf(answer)?.style, 'attention', `${who} ${verb}: a banner says why`);
        assert.match(bannerOf(answer)!.text, /niet meer actueel/);
      }
      await c.caughtUp();
      await settle(h, 150);
      assert.equal(JSON.stringify(await c.series()), before, 'nothing recorded, nothing moved');
      assert.deepEqual(
        h.connector.sent(c.t.conversationId, mark).map((e) => `${e.op} ${e.id}`),
        [],
        'and no message was edited because of them',
      );
    });
  });
});
