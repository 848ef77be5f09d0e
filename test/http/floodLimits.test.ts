// Limits on a flood (issue 12 item 3), over HTTP against the real server with smaller limits
// (startNotulist's `limits`): a member past their allowance is answered politely and nothing is stored,
// while another member of the same chat is served as usual; a click past it answers with a card saying so;
// Teams' automatic refreshes are never held back; a meeting at its record cap, or at its text cap, refuses
// the next record with the meetingFull message and stores nothing.
import assert from 'node:assert/strict';
import { TurnLimits } from '../../bot/limits';
import { strings } from '../../services/i18n';
import * as ops from '../../services/meeting/operations';
import { MAX_RECORDS_PER_MEETING, MAX_TEXT, MAX_TEXT_PER_MEETING } from '../../services/meeting/operations';
import type { Person } from '../../services/meeting/types';
import { BotHarness, startBotHarness } from '../support/botHarness';
import { cardText } from '../support/connector';
import { findActions, type TeamsClient } from '../support/teamsClient';

const S = strings('nl-NL');
/** Per user a burst of 20 and (practically) no refill during the test, so the counts are exact. */
const USER_BURST = 20;
const FLOOD = 200;
const SLOW_DOWN = S.input.slowDown();
const FULL = S.errors.meetingFull({ max: MAX_RECORDS_PER_MEETING });
const FILLER: Person = { id: '29:vuller', aadObjectId: 'aad-vuller', name: 'Vuller' };

/** A typed message as TeamsClient.say sends it, with its activity id known, so its reply can be found. */
function typed(t: TeamsClient, userKey: string, text: string): { id: string; answer: Promise<{ status: number }> } {
  const activity = t.base(userKey, {
    type: 'message',
    textFormat: 'plain',
    text: `<at>Notulist</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>Notulist</at>', mentioned: { id: `28:${t.botId}`, name: 'Notulist' } }],
  });
  return { id: activity.id as string, answer: t.send(activity) };
}

/** The texts the bot sent in reply to one activity. */
const repliesTo = (h: BotHarness, id: string) =>
  h.connector.log.filter((e) => e.op === 'send' && e.replyTo === id).map((e) => e.activity?.text ?? '');

describe('HTTP: flood limits and a meeting’s caps', function () {
  this.timeout(30_000);
  let h: BotHarness;

  before(async () => {
    h = await startBotHarness({
      liveCards: { intervalMs: 50, debounceMs: 10 },
      limits: new TurnLimits({ perUser: { burst: USER_BURST, perSecond: 0.001 }, perChat: { burst: 2000, perSecond: 200 } }),
    });
  });
  after(() => h?.stop());

  const ok = async (t: TeamsClient, who: string, text: string) => assert.equal((await t.say(who, text)).status, 200, text);
  const meetingOf = async (t: TeamsClient) => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings[0]!;

  async function planned(t: TeamsClient, title: string): Promise<void> {
    await ok(t, 'secretary', `vergadering\ntitel: ${title}\ndatum: 02-03-2027\ntijd: 14:00-15:30`);
    await ok(t, 'secretary', 'agenda\nA Opening\nB Mededelingen\nC Sluiting');
    await ok(t, 'secretary', 'agenda');
    await ok(t, 'secretary', 'start');
  }

  describe('one member flooding a chat', () => {
    let t: TeamsClient;
    const accepted: string[] = [];

    before(async () => {
      t = h.client();
      await planned(t, 'Stuurgroep Vloed');
    });

    it(`${FLOOD} announcements as fast as possible: ${USER_BURST} stored, the rest answered "wait a moment" and not stored, while another member is served`, async () => {
      const flood: { id: string; text: string; answer: Promise<{ status: number }> }[] = [];
      const other: { id: string; text: string; answer: Promise<{ status: number }> }[] = [];
      // In four waves without waiting, another member's announcement between them.
      for (let wave = 0; wave < 4; wave++) {
        for (let i = 0; i < FLOOD / 4; i++) {
          const text = `Vloedbericht ${wave * (FLOOD / 4) + i + 1}`;
          flood.push({ text, ...typed(t, 'member', `mededeling: ${text}`) });
        }
        const text = `Gewone mededeling ${wave + 1}`;
        other.push({ text, ...typed(t, 'kok', `mededeling: ${text}`) });
      }
      const statuses = await Promise.all([...flood, ...other].map((m) => m.answer.then((a) => a.status)));
      assert.deepEqual(new Set(statuses), new Set([200]), 'every request answered 200');

      const refused = flood.filter((m) => repliesTo(h, m.id).includes(SLOW_DOWN));
      for (const m of flood) {
        const replies = repliesTo(h, m.id);
        assert.equal(replies.length, 1, `one reply to "${m.text}": ${replies.join(' | ')}`);
        if (!refused.includes(m)) {
          assert.match(replies[0]!, /^Mededeling \d+ van J\. Slot vastgelegd\.$/);
          accepted.push(m.text);
        }
      }
      assert.equal(accepted.length, USER_BURST, 'the burst is admitted');
      assert.equal(refused.length, FLOOD - USER_BURST, 'the rest is refused politely');
      for (const m of other) assert.match(repliesTo(h, m.id).join(), /^Mededeling \d+ van G\.J\. Kok vastgelegd\.$/, m.text);

      const meeting = await meetingOf(t);
      const byMember = meeting.announcements.filter((a) => a.author === 'J. Slot').map((a) => a.text);
      assert.deepEqual(byMember.sort(), [...accepted].sort(), 'exactly the admitted ones are stored');
      assert.deepEqual(
        meeting.announcements.filter((a) => a.author === 'G.J. Kok').map((a) => a.text),
        other.map((m) => m.text),
        'the other member’s are all stored, in order',
      );
    });

    it('a card click past the limit answers with a card saying so, and records nothing', async () => {
      const before = JSON.stringify(await meetingOf(t));
      const agendaId = (await meetingOf(t)).agendaCardId!;
      const present = await t.click('member', /Ik ben aanwezig/, {}, { messageId: agendaId });
      assert.equal(present.status, 200);
      const card = (present.body as { value?: { type?: string } }).value;
      assert.equal(card?.type, 'AdaptiveCard');
      assert.ok(cardText(card).includes(SLOW_DOWN), cardText(card));
      // As every refused click: the clicked card in the clicker's view, with a banner saying why, so its
      // buttons stay there to try again (a bare message card would replace the agenda until the next edit).
      assert.ok(cardText(card).includes('Stuurgroep Vloed'), 'the answer is the agenda card');
      assert.ok(
        findActions(card).some((a) => a.title === S.actions.present),
        'its buttons are still there',
      );

      const form = await t.click(
        'member',
        /^Vastleggen$/,
        { text: 'Via het formulier', onBehalfOf: '' },
        { verb: 'announcement', messageId: agendaId },
      );
      assert.equal(form.status, 200);
      assert.ok(cardText((form.body as { value?: unknown }).value).includes(SLOW_DOWN));

      // Teams' fallback for old clients: the click as a message (Action.Submit) is answered in the chat.
      const mark = h.connector.mark();
      const submit = await t.click('member', /Ik ben aanwezig/, {}, { messageId: agendaId, asSubmit: true });
      assert.equal(submit.status, 200);
      assert.ok(t.repliesText(mark).includes(SLOW_DOWN));

      assert.equal(JSON.stringify(await meetingOf(t)), before, 'nothing recorded');
    });

    it('Teams’ automatic refreshes are never held back, not even for a member past the limit', async () => {
      const itemId = (await meetingOf(t)).itemCard!.activityId;
      for (let i = 0; i < 3 * USER_BURST; i++) {
        const view = await t.view('member', itemId);
        assert.equal(view?.how, 'refresh', `refresh ${i + 1} answered with a card`);
        const text = cardText(view.card);
        assert.ok(!text.includes(SLOW_DOWN), `refresh ${i + 1} is not refused`);
        assert.ok(text.includes('Opening'), `refresh ${i + 1} shows the item`);
      }
      // The refreshes took nothing: the member is as limited as before, no more.
      const { id, answer } = typed(t, 'member', 'mededeling: Nog steeds te veel');
      assert.equal((await answer).status, 200);
      assert.deepEqual(repliesTo(h, id), [SLOW_DOWN]);
    });
  });

  describe('a meeting at its caps', () => {
    it(`at ${MAX_RECORDS_PER_MEETING} records the next one is refused with the meetingFull message, whatever its kind, and nothing is stored`, async () => {
      const t = h.client();
      await planned(t, 'Stuurgroep Vol');
      await h.app.meetings.update(t.tenantId, t.conversationId, (series, now) => {
        for (let i = 1; i < MAX_RECORDS_PER_MEETING; i++)
          ops.addContribution(series, FILLER, 'announcement', `Vulling ${i}`, undefined, now);
      });
      // The last one that fits.
      const last = typed(t, 'member', 'mededeling: De laatste die past');
      await last.answer;
      assert.deepEqual(repliesTo(h, last.id), [`Mededeling ${MAX_RECORDS_PER_MEETING} van J. Slot vastgelegd.`]);

      const before = JSON.stringify(await meetingOf(t));
      for (const [who, text] of [
        ['member', 'mededeling: Eén te veel'],
        ['member', 'rondvraag: Past dit nog?'],
        ['secretary', 'verslag: Een notitie te veel'],
        ['secretary', 'besluit: Een besluit te veel [akkoord]'],
        ['secretary', 'actie G.J. Kok: Een actie te veel'],
      ] as const) {
        const m = typed(t, who, text);
        assert.equal((await m.answer).status, 200);
        assert.deepEqual(repliesTo(h, m.id), [FULL], text);
      }
      const agendaId = (await meetingOf(t)).agendaCardId!;
      const click = await t.click(
        'kok',
        /^Vastleggen$/,
        { text: 'Via de kaart', onBehalfOf: '' },
        { verb: 'announcement', messageId: agendaId },
      );
      assert.equal(click.status, 200);
      assert.ok(cardText((click.body as { value?: unknown }).value).includes(FULL), 'the card says the meeting is full');
      assert.equal(JSON.stringify(await meetingOf(t)), before, 'nothing stored');
    });

    it(`at ${MAX_TEXT_PER_MEETING.toLocaleString('en')} characters of text the next record that would pass it is refused`, async () => {
      const t = h.client();
      await planned(t, 'Stuurgroep Lang');
      const room = 10;
      await h.app.meetings.update(t.tenantId, t.conversationId, (series, now) => {
        let left = MAX_TEXT_PER_MEETING - room;
        while (left > 0) {
          const n = Math.min(MAX_TEXT, left);
          ops.addContribution(series, FILLER, 'announcement', 'x'.repeat(n), undefined, now);
          left -= n;
        }
      });
      const before = JSON.stringify(await meetingOf(t));
      const over = typed(t, 'member', `mededeling: ${'y'.repeat(room + 1)}`);
      await over.answer;
      assert.deepEqual(repliesTo(h, over.id), [FULL]);
      assert.equal(JSON.stringify(await meetingOf(t)), before, 'nothing stored');
      // Exactly up to the cap still fits; past it nothing does.
      const fits = typed(t, 'member', `mededeling: ${'z'.repeat(room)}`);
      await fits.answer;
      assert.match(repliesTo(h, fits.id).join(), /^Mededeling \d+ van J\. Slot vastgelegd\.$/);
      const none = typed(t, 'member', 'mededeling: a');
      await none.answer;
      assert.deepEqual(repliesTo(h, none.id), [FULL]);

      // A correction cannot pass the cap either: neither a longer text nor the correction log (which
      // keeps before and after of every correction) grows the meeting past it.
      const own = (await meetingOf(t)).announcements.find((a) => a.author === 'J. Slot')!.number;
      const atCap = JSON.stringify(await meetingOf(t));
      for (const text of [`wijzig mededeling ${own}: ${'w'.repeat(MAX_TEXT)}`, `wijzig mededeling ${own}: ${'v'.repeat(room)}`]) {
        const edit = typed(t, 'member', text);
        await edit.answer;
        assert.deepEqual(repliesTo(h, edit.id), [FULL], text.slice(0, 30));
      }
      assert.equal(JSON.stringify(await meetingOf(t)), atCap, 'nothing stored');
      // Removing makes room, and is never refused.
      const removal = typed(t, 'member', `verwijder mededeling ${own}`);
      await removal.answer;
      assert.deepEqual(repliesTo(h, removal.id), [S.done.removed(S.recordKind.announcement, String(own))]);
    });
  });
});
