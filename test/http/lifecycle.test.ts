// The meeting's life as a secretary lives it (issue 9), over HTTP as Teams sends it: correcting every kind
// of record by text and from the item card, and who may not; minutes adopted are final; cancelling a
// meeting planned by mistake; meetings planned ahead and held in date order; publishing the meeting that
// was held while the next one is planned by someone else; the meeting's clock; closed means closed.
import assert from 'node:assert/strict';
import { basename, dirname } from 'node:path';
import { BotHarness, docxText, findDocx, settle, startBotHarness } from '../support/botHarness';
import { bannerOf } from '../support/cardActions';
import { cardText } from '../support/connector';
import { findActions, type BotAnswer, type TeamsClient } from '../support/teamsClient';
import type { Meeting, Series } from '../../services/meeting/types';

type Json = Record<string, unknown>;

function ok(answer: BotAnswer, what: string): BotAnswer {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

const AGENDA = [
  'agenda',
  'A Opening',
  'B Mededelingen',
  'D1 Platform IVZ [ter besluitvorming]',
  'D2 Personele zaken [besloten]',
  'E Rondvraag',
  'F Sluiting',
].join('\n');

const planText = (title: string, date: string, extra: string[] = []) =>
  ['vergadering', `titel: ${title}`, `datum: ${date}`, 'tijd: 10:30-12:00', 'locatie: Hengelo', ...extra].join('\n');

describe('HTTP: the meeting as a secretary lives it (issue 9)', function () {
  this.timeout(30000);
  let h: BotHarness;

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 50, debounceMs: 10 } });
  });
  after(async () => {
    await h?.stop();
  });

  /** One chat, with helpers bound to it. */
  function chat(t: TeamsClient = h.client()) {
    const series = (): Promise<Series> => h.app.meetings.read(t.tenantId, t.conversationId);
    /** What the bot posted since a mark (texts and the texts of posted cards; not edits of earlier cards). */
    const repliesSince = (mark: number) =>
      h.connector
        .sent(t.conversationId, mark)
        .filter((e) => e.op === 'send')
        .map((e) => [e.activity?.text ?? '', ...(e.activity?.attachments ?? []).map((a) => cardText(a.content))].join('\n'))
        .join('\n');
    const say = async (who: string, text: string) => ok(await t.say(who, text), `${who}: ${text.split('\n')[0]!}`);
    /** A typed command and what the bot answered in text. */
    const ask = async (who: string, text: string) => {
      const mark = h.connector.mark();
      await say(who, text);
      return repliesSince(mark);
    };
    /** An Action.Execute as Teams sends it, with whatever data a card (or a forger) put in it. */
    const invoke = async (who: string, verb: string, data: Json, replyToId?: string) => {
      const a = ok(
        await t.send(
          t.base(who, {
            type: 'invoke',
            name: 'adaptiveCard/action',
            ...(replyToId ? { replyToId } : {}),
            value: { action: { type: 'Action.Execute', verb, data: { ...data } }, trigger: 'manual' },
          }),
        ),
        `invoke ${verb}`,
      );
      return (a.body as { value?: Json }).value!;
    };
    const meetingOn = async (date: string): Promise<Meeting> => {
      const m = (await series()).meetings.find((x) => x.date === date);
      assert.ok(m, `a meeting on ${date}`);
      return m;
    };
    /** Waits for the publish of the meeting on that date, then the text of its documents (openbaar, besloten). */
    const published = async (date: string): Promise<{ openbaar: string; besloten: string }> => {
      await h.connector.waitFor(async () => (await meetingOn(date)).minutes.publication?.state === 'published', 15000);
      const m = await meetingOn(date);
      const files = (await findDocx(h.minutesDir)).filter((f) => basename(dirname(f)).startsWith(`${date} ${m.title}`));
      const text = async (part: string) => {
        const f = files.find((x) => basename(x).includes(part));
        return f ? docxText(f) : '';
      };
      return { openbaar: await text('openbaar'), besloten: await text('besloten') };
    };
    return { t, series, say, ask, invoke, meetingOn, published, repliesSince };
  }

  /** A chat with a running meeting on 10-10-2016 (secretary plans, chair named, started). */
  async function runningMeeting(title: string) {
    const c = chat();
    await c.say('secretary', planText(title, '10-10-2016'));
    await c.say('secretary', AGENDA);
    await c.say('secretary', 'voorzitter @{chair}');
    await c.say('chair', 'start');
    return c;
  }

  describe('correcting the record by text', () => {
    let c: ReturnType<typeof chat>;
    let recorded: string;

    before(async () => {
      c = await runningMeeting('Correcties getypt');
      const steps: [string, string, RegExp][] = [
        ['member', 'mededeling: Eerste mededeling van Slot.', /Mededeling 1 van J\. Slot vastgelegd/],
        ['kok', 'mededeling: Mededeling van Kok.', /Mededeling 2 van G\.J\. Kok vastgelegd/],
        ['member', 'mededeling: Tweede van Slot.', /Mededeling 3 van J\. Slot vastgelegd/],
        ['member', 'rondvraag: Vraag van Slot.', /Rondvraag 1 van J\. Slot vastgelegd/],
        ['kok', 'rondvraag: Vraag van Kok.', /Rondvraag 2 van G\.J\. Kok vastgelegd/],
        ['secretary', 'verslag A: Opening verslag een.', /Verslag 1 bij agendapunt A vastgelegd/],
        ['secretary', 'verslag A: Opening verslag twee.', /Verslag 2 bij agendapunt A vastgelegd/],
        ['chair', 'punt D1', /D1/],
        ['secretary', 'besluit: Besluit een. [akkoord]', /Besluit 1 bij agendapunt D1 vastgelegd/],
        ['secretary', 'besluit: Besluit twee afgewzen. [afgewezen]', /Besluit 2 bij agendapunt D1 vastgelegd/],
        ['chair', 'besluit: Besluit drie.', /Besluit 3 bij agendapunt D1 vastgelegd/],
        ['secretary', 'actie O. van Veldhuizen: Actie een. [voor 01-12-2016]', /Actie 1 voor O\. van Veldhuizen vastgelegd/],
        ['secretary', 'actie G.J. Kok: Actie twee.', /Actie 2 voor G\.J\. Kok vastgelegd/],
        ['chair', 'punt D2', /D2/],
        ['secretary', 'besluit: Geheim besluit. [akkoord]', /Besluit V1 bij agendapunt D2 vastgelegd/],
        ['secretary', 'actie H. Meuleman: Geheime actie.', /Actie V1 voor H\. Meuleman vastgelegd/],
      ];
      for (const [who, text, expect] of steps) assert.match(await c.ask(who, text), expect, text);
      recorded = JSON.stringify(await c.series());
    });

    it('another member may not correct someone else’s announcement or question, nor any decision, note or action', async () => {
      const refusals: [string, string, RegExp][] = [
        ['kok', 'wijzig mededeling 1: Overgenomen door Kok.', /wie het heeft ingediend/],
        ['kok', 'verwijder mededeling 1', /wie het heeft ingediend/],
        ['member', 'verwijder rondvraag 2', /wie het heeft ingediend/],
        ['member', 'wijzig besluit 2: Een lid wijzigt het besluit. [akkoord]', /Alleen de voorzitter of de secretaris mag dit doen/],
        ['member', 'verwijder besluit 2', /Alleen de voorzitter of de secretaris mag dit doen/],
        ['kok', 'wijzig verslag 1: Een lid wijzigt het verslag.', /Alleen de voorzitter of de secretaris mag dit doen/],
        ['kok', 'wijzig actie 2: G.J. Kok: Ik doe het zelf anders.', /Alleen de voorzitter of de secretaris mag dit doen/],
        ['member', 'verwijder actie 1', /Alleen de voorzitter of de secretaris mag dit doen/],
      ];
      for (const [who, text, expect] of refusals) assert.match(await c.ask(who, text), expect, `${who}: ${text}`);
      // The same from a crafted card click: refused with a banner, nothing stored.
      const m = (await c.series()).meetings[0]!;
      for (const [who, record] of [
        ['member', 'decision:2'],
        ['kok', 'announcement:1'],
      ] as const) {
        const card = await c.invoke(who, 'correct', {
          meetingId: m.id,
          card: 'item',
          record,
          change: 'remove',
          correctionText: '',
        });
        assert.equal(bannerOf(card)?.style, 'attention', `${who} ${record}: ${JSON.stringify(bannerOf(card))}`);
        assert.match(bannerOf(card)!.text, /Alleen de voorzitter/);
      }
      assert.equal(JSON.stringify(await c.series()), recorded, 'nothing changed');
    });

    it('every kind is corrected and removed with its number, as the original command reads the text', async () => {
      const corrections: [string, string, RegExp][] = [
        ['chair', 'wijzig besluit 2: Besluit twee afgewezen. [akkoord met wijzigingen]', /Besluit 2 is gewijzigd/],
        ['secretary', 'verwijder besluit 1', /Besluit 1 is verwijderd/],
        ['secretary', 'wijzig besluit V1: Geheim besluit, gewijzigd. [aangehouden]', /Besluit V1 is gewijzigd/],
        ['secretary', 'wijzig actie 1: G.J. Kok: Actie een, andere eigenaar. [voor 15-12-2016]', /Actie 1 is gewijzigd/],
        ['chair', 'wijzig actie 2: Actie twee, alleen de tekst.', /Actie 2 is gewijzigd/],
        ['secretary', 'verwijder actie 2', /Actie 2 is verwijderd/],
        ['member', 'wijzig mededeling 1: Eerste mededeling, verbeterd.', /Mededeling 1 is gewijzigd/],
        ['member', 'verwijder mededeling 3', /Mededeling 3 is verwijderd/],
        ['secretary', 'wijzig mededeling 2: namens A. Raven: Mededeling van Raven.', /Mededeling 2 is gewijzigd/],
        ['member', 'wijzig rondvraag 1: Vraag van Slot, scherper.', /Rondvraag 1 is gewijzigd/],
        ['chair', 'verwijder rondvraag 2', /Rondvraag 2 is verwijderd/],
        ['secretary', 'wijzig verslag 1: Opening verslag een, gecorrigeerd.', /Verslag 1 is gewijzigd/],
        ['secretary', 'verwijder verslag 2', /Verslag 2 is verwijderd/],
      ];
      for (const [who, text, expect] of corrections) assert.match(await c.ask(who, text), expect, `${who}: ${text}`);
      // New records never take a removed number.
      assert.match(await c.ask('secretary', 'besluit D1: Besluit vier. [akkoord]'), /Besluit 4 bij agendapunt D1/);
      assert.match(await c.ask('secretary', 'verslag A: Opening verslag drie.'), /Verslag 3 bij agendapunt A/);
      assert.match(await c.ask('member', 'mededeling: Nog een van Slot.'), /Mededeling 4 van J\. Slot/);
      await c.say('chair', 'punt D1');
      assert.match(await c.ask('secretary', 'actie G.J. Kok: Actie drie.'), /Actie 3 voor G\.J\. Kok/);
      // A removed number is gone: correcting it again says so.
      assert.match(await c.ask('secretary', 'wijzig besluit 1: Terug?'), /Besluit 1 bestaat niet/);

      const s = await c.series();
      const m = s.meetings[0]!;
      assert.deepEqual(
        m.decisions.map((d) => [d.closedSeries ? `V${d.number}` : String(d.number), d.text, d.outcome]),
        [
          ['2', 'Besluit twee afgewezen.', 'agreedWithChanges'],
          ['3', 'Besluit drie.', undefined],
          ['V1', 'Geheim besluit, gewijzigd.', 'deferred'],
          ['4', 'Besluit vier.', 'agreed'],
        ],
      );
      assert.deepEqual(
        s.actions.map((a) => [a.closedSeries ? `V${a.number}` : String(a.number), a.owner, a.text, a.due]),
        [
          ['1', 'G.J. Kok', 'Actie een, andere eigenaar.', '2016-12-15'],
          ['V1', 'H. Meuleman', 'Geheime actie.', undefined],
          ['3', 'G.J. Kok', 'Actie drie.', undefined],
        ],
      );
      assert.deepEqual(
        m.announcements.map((a) => [a.number, a.author, a.text]),
        [
          [1, 'J. Slot', 'Eerste mededeling, verbeterd.'],
          [2, 'A. Raven', 'Mededeling van Raven.'],
          [4, 'J. Slot', 'Nog een van Slot.'],
        ],
      );
      assert.deepEqual(
        m.questions.map((q) => [q.number, q.author, q.text]),
        [[1, 'J. Slot', 'Vraag van Slot, scherper.']],
      );
      assert.deepEqual(
        m.agenda.find((i) => i.code === 'A')!.notes.map((n) => [n.number, n.text]),
        [
          [1, 'Opening verslag een, gecorrigeerd.'],
          [3, 'Opening verslag drie.'],
        ],
      );
    });

    it('`wijzig vergadering` changes only the facts given, and the live cards show it', async () => {
      const m0 = (await c.series()).meetings[0]!;
      assert.match(await c.ask('secretary', 'wijzig vergadering\nlocatie: Enschede, Stadhuis'), /zijn gewijzigd/);
      assert.match(await c.ask('chair', 'wijzig vergadering\nlocatie: Almelo'), /Alleen de secretaris/);
      const m = (await c.series()).meetings[0]!;
      assert.equal(m.location, 'Enschede, Stadhuis');
      assert.deepEqual([m.title, m.date, m.startTime, m.endTime, m.members], [m0.title, m0.date, m0.startTime, m0.endTime, m0.members]);
      await h.app.liveCards.drain();
      const agenda = h.connector
        .sent(c.t.conversationId)
        .filter((e) => e.id === m.agendaCardId)
        .pop()!;
      assert.match(cardText(agenda.activity?.attachments?.[0]?.content), /Enschede, Stadhuis/, 'the agenda card shows the new place');
      // The meeting card posted when it was planned, too.
      const planned = h.connector
        .sent(c.t.conversationId)
        .filter((e) => e.id === m.meetingCardIds?.[0])
        .pop()!;
      assert.match(cardText(planned.activity?.attachments?.[0]?.content), /Enschede, Stadhuis/, 'the meeting card shows the new place');
    });

    it('the change log holds who, when, before and after for every correction', async () => {
      const m = (await c.series()).meetings[0]!;
      const log = m.changes ?? [];
      const find = (kind: string, label: string, change: string) =>
        log.filter((x) => x.kind === kind && x.label === label && x.change === change);
      assert.equal(log.length, 14, JSON.stringify(log.map((x) => `${x.kind} ${x.label} ${x.change}`)));
      const d2 = find('decision', '2', 'edited')[0]!;
      assert.equal(d2.by.id, c.t.user('chair').id);
      assert.equal(d2.before, 'Besluit twee afgewzen. [afgewezen]');
      assert.equal(d2.after, 'Besluit twee afgewezen. [akkoord met wijzigingen]');
      assert.ok(!Number.isNaN(Date.parse(d2.at)), 'when');
      const d1 = find('decision', '1', 'removed')[0]!;
      assert.equal(d1.before, 'Besluit een. [akkoord]');
      assert.equal(d1.after, undefined);
      assert.equal(find('action', '1', 'edited')[0]!.before, 'O. van Veldhuizen: Actie een. [voor 01-12-2016]');
      assert.equal(find('action', '1', 'edited')[0]!.after, 'G.J. Kok: Actie een, andere eigenaar. [voor 15-12-2016]');
      const a1 = find('announcement', '1', 'edited')[0]!;
      assert.equal(a1.by.id, c.t.user('member').id, 'the author corrected their own');
      assert.equal(a1.before, 'J. Slot: Eerste mededeling van Slot.');
      assert.equal(find('announcement', '2', 'edited')[0]!.after, 'A. Raven: Mededeling van Raven.');
      assert.equal(find('question', '2', 'removed')[0]!.before, 'G.J. Kok: Vraag van Kok.');
      assert.equal(find('note', '2', 'removed')[0]!.before, 'Opening verslag twee.');
      assert.equal(find('decision', 'V1', 'edited')[0]!.after, 'Geheim besluit, gewijzigd. [aangehouden]');
      const place = find('meeting', 'location', 'edited');
      assert.equal(place.length, 1, 'the refused change of the chair is not logged');
      assert.deepEqual([place[0]!.before, place[0]!.after, place[0]!.by.id], ['Hengelo', 'Enschede, Stadhuis', c.t.user('secretary').id]);
    });

    it('the published minutes show each record as it stands, with its stable number, and never the change log', async () => {
      await c.say('chair', 'sluiten');
      await c.say('secretary', 'publiceren');
      const { openbaar, besloten } = await c.published('2016-10-10');
      for (const now of [
        'Enschede, Stadhuis',
        'Besluit twee afgewezen. (besluit 2, akkoord met wijzigingen)',
        'Besluit drie. (besluit 3)',
        'Besluit vier. (besluit 4, akkoord)',
        'Actie 1 (G.J. Kok): Actie een, andere eigenaar. – zie de actielijst',
        'Actie 3 (G.J. Kok): Actie drie. – zie de actielijst',
        '15 december 2016', // its due date, in the Actielijst
        'Eerste mededeling, verbeterd.',
        'Mededeling van Raven.',
        'Nog een van Slot.',
        'Vraag van Slot, scherper.',
        'Opening verslag een, gecorrigeerd.',
        'Opening verslag drie.',
      ])
        assert.ok(openbaar.includes(now), `the public minutes hold "${now}"`);
      assert.ok(besloten.includes('Geheim besluit, gewijzigd. (besluit V1, aangehouden)'), 'the closed part holds V1 as corrected');
      const log = (await c.series()).meetings[0]!.changes ?? [];
      for (const text of [openbaar, besloten]) {
        for (const old of [
          'Hengelo',
          'afgewzen',
          'Besluit een.',
          '2016-10-10/1',
          'Actie twee',
          'O. van Veldhuizen: Actie een',
          'Eerste mededeling van Slot.',
          'Tweede van Slot.',
          'Mededeling van Kok.',
          'Vraag van Kok.',
          'Opening verslag twee.',
          'Geheim besluit.',
        ])
          assert.ok(!text.includes(old), `the minutes no longer hold "${old}"`);
        for (const change of log) assert.ok(!text.includes(change.before), `the change log's "${change.before}" is not in the minutes`);
        assert.doesNotMatch(text, /gewijzigd door|verwijderd|wijzigingen:/i);
      }
    });
  });

  it('correcting from the item card: "Meer" → "Corrigeren" edits and removes every kind, and members do not get the form', async () => {
    const c = await runningMeeting('Correcties geklikt');
    const { t } = c;
    await c.say('chair', 'punt B');
    await c.say('member', 'mededeling: Mededeling om te verbeteren.');
    await c.say('member', 'mededeling: Mededeling om weg te halen.');
    await h.app.liveCards.drain();
    const clickCorrect = async (who: string, title: RegExp, record: string, text = '') => {
      await h.app.liveCards.drain();
      const a = ok(await t.click(who, title, { record, correctionText: text }, { verb: 'correct' }), `correct ${record}`);
      assert.notEqual(a.status, 0, String(a.body));
      const banner = bannerOf((a.body as { value?: unknown }).value);
      assert.equal(banner?.style, 'good', `${record}: ${JSON.stringify(banner)}`);
      return banner!.text;
    };
    // The form sits under "Meer" on the chair's live item card: a ChoiceSet of this item's records.
    const live = async (who: string) => {
      const id = (await c.series()).meetings[0]!.itemCard!.activityId;
      return (await t.view(who, id))!.card;
    };
    const more = findActions(await live('chair')).find((a) => a.title === 'Meer')!;
    const form = findActions(more.card).find((a) => a.title === 'Corrigeren');
    assert.ok(form, 'the chair has "Corrigeren" under "Meer"');
    const buttons = findActions(form.card).map((a) => `${String(a.title)}/${String((a.data as Json).change)}`);
    assert.deepEqual(buttons, ['Wijzigingen opslaan/edit', 'Verwijderen/remove']);
    assert.ok(!findActions(await live('member')).some((a) => a.verb === 'correct'), 'a member gets no correction form');

    assert.match(
      await clickCorrect('chair', /^Wijzigingen opslaan$/, 'announcement:1', 'Mededeling, verbeterd.'),
      /Mededeling 1 is gewijzigd/,
    );
    assert.match(await clickCorrect('secretary', /^Verwijderen$/, 'announcement:2'), /Mededeling 2 is verwijderd/);
    await c.say('chair', 'punt D1');
    await c.say('chair', 'besluit: Besluit om te verbeteren. [afgewezen]');
    await c.say('chair', 'besluit: Besluit om weg te halen.');
    await c.say('chair', 'verslag: Verslag om te verbeteren.');
    await c.say('chair', 'actie G.J. Kok: Actie om te verbeteren.');
    assert.match(
      await clickCorrect('chair', /^Wijzigingen opslaan$/, 'decision:1', 'Besluit, verbeterd. [akkoord met wijzigingen]'),
      /Besluit 1 is gewijzigd/,
    );
    assert.match(await clickCorrect('chair', /^Verwijderen$/, 'decision:2'), /Besluit 2 is verwijderd/);
    assert.match(await clickCorrect('secretary', /^Wijzigingen opslaan$/, 'note:1', 'Verslag, verbeterd.'), /Verslag 1 is gewijzigd/);
    assert.match(
      await clickCorrect('chair', /^Wijzigingen opslaan$/, 'action:1', 'A. Raven: Actie, verbeterd. [voor 01-02-2017]'),
      /Actie 1 is gewijzigd/,
    );
    await c.say('chair', 'punt E');
    await c.say('kok', 'rondvraag: Vraag om te verbeteren.');
    assert.match(await clickCorrect('chair', /^Wijzigingen opslaan$/, 'question:1', 'Vraag, verbeterd.'), /Rondvraag 1 is gewijzigd/);

    const s = await c.series();
    const m = s.meetings[0]!;
    assert.deepEqual(
      m.announcements.map((a) => [a.number, a.text]),
      [[1, 'Mededeling, verbeterd.']],
    );
    assert.deepEqual(
      m.decisions.map((d) => [d.number, d.text, d.outcome]),
      [[1, 'Besluit, verbeterd.', 'agreedWithChanges']],
    );
    assert.deepEqual(
      m.agenda.find((i) => i.code === 'D1')!.notes.map((n) => n.text),
      ['Verslag, verbeterd.'],
    );
    assert.deepEqual(
      s.actions.map((a) => [a.number, a.owner, a.text, a.due]),
      [[1, 'A. Raven', 'Actie, verbeterd.', '2017-02-01']],
    );
    assert.deepEqual(
      m.questions.map((q) => [q.author, q.text]),
      [['G.J. Kok', 'Vraag, verbeterd.']],
    );
    assert.equal(m.changes?.length, 7);
    // The live item card shows the record as it stands, with its number.
    await h.app.liveCards.drain();
    assert.match(cardText(await live('member')), /1\. G\.J\. Kok: Vraag, verbeterd\./);
  });

  it('minutes adopted in the next meeting are final: corrections of their records and facts are refused with that reason', async () => {
    const c = await runningMeeting('Vastgesteld');
    await c.say('chair', 'punt D1');
    await c.say('chair', 'besluit: Het eerste besluit. [akkoord]');
    await c.say('chair', 'actie G.J. Kok: De eerste actie.');
    await c.say('chair', 'sluiten');
    const m1 = await c.meetingOn('2016-10-10');
    await c.say('secretary', planText('Vastgesteld', '12-12-2016'));
    await c.say('secretary', 'agenda\nA Opening\nF Sluiting');
    await c.say('secretary', 'start');
    const approval = (await c.meetingOn('2016-12-12')).agenda.find((i) => i.previousMinutesOf === m1.id);
    assert.ok(approval, 'the second meeting offers the first one’s minutes');
    assert.match(
      await c.ask('secretary', `besluit ${approval.code}: De besluitenlijst wordt vastgesteld. [vastgesteld]`),
      /De besluitenlijst van 10 oktober 2016 is vastgesteld/,
    );
    const before = JSON.stringify((await c.series()).meetings[0]);
    // The action of the first meeting (actions are numbered per chat), its decision from its own card, and its facts.
    assert.match(
      await c.ask('secretary', 'wijzig actie 1: G.J. Kok: Achteraf anders.'),
      /10 oktober 2016 is vastgesteld en kan niet meer worden gewijzigd/,
    );
    assert.match(await c.ask('secretary', 'verwijder actie 1'), /is vastgesteld en kan niet meer worden gewijzigd/);
    assert.match(
      await c.ask('secretary', 'wijzig vergadering 10-10-2016\nlocatie: Elders'),
      /is vastgesteld en kan niet meer worden gewijzigd/,
    );
    const card = await c.invoke('secretary', 'correct', {
      meetingId: m1.id,
      card: 'item',
      record: 'decision:1',
      change: 'edit',
      correctionText: 'Achteraf anders. [afgewezen]',
    });
    assert.match(bannerOf(card)?.text ?? '', /10 oktober 2016 is vastgesteld en kan niet meer worden gewijzigd/);
    assert.equal(JSON.stringify((await c.series()).meetings[0]), before, 'the adopted meeting is unchanged');
  });

  describe('cancelling a meeting planned by mistake', () => {
    let c: ReturnType<typeof chat>;
    let m1: Meeting;
    let m2: Meeting;
    let confirmId: string;

    before(async () => {
      c = await runningMeeting('Annuleren');
      await c.say('chair', 'sluiten');
      m1 = await c.meetingOn('2016-10-10');
      // Two meetings ahead; the one of 12-12 is the mistake. Each gets its agenda card in turn.
      await c.say('secretary', planText('Annuleren', '12-12-2016'));
      await c.say('secretary', planText('Annuleren', '13-02-2017'));
      await c.say('secretary', 'agenda\nA Opening\nF Sluiting');
      await c.say('secretary', 'agenda');
      m2 = await c.meetingOn('2016-12-12');
      assert.ok(m2.agendaCardId, 'the meeting of 12-12 has a live agenda card');
      assert.ok(m2.agenda.some((i) => i.previousMinutesOf === m1.id));
    });

    it('the confirmation card: only the secretary’s view has the button; a member’s view and click change nothing', async () => {
      assert.match(await c.ask('member', 'annuleren 12-12-2016'), /Alleen de secretaris/);
      const mark = h.connector.mark();
      await c.say('secretary', 'annuleren 12-12-2016');
      const posted = h.connector.sent(c.t.conversationId, mark).find((e) => e.op === 'send' && e.activity?.attachments?.length)!;
      assert.ok(posted, 'a confirmation card is posted');
      confirmId = posted.id;
      const card = posted.activity!.attachments![0]!.content as Json;
      assert.deepEqual(findActions(card), [], 'the posted (member) view has no button');
      // The meeting of 12-12 has no chair yet: only its secretary gets an own view.
      assert.deepEqual((card.refresh as { userIds?: string[] }).userIds, [c.t.user('secretary').id]);
      const member = (await c.t.view('member', confirmId))!;
      assert.equal(member.how, 'posted');
      assert.deepEqual(findActions(member.card), []);
      assert.match(cardText(member.card), /De secretaris overweegt/);
      const secretary = (await c.t.view('secretary', confirmId))!;
      assert.deepEqual(
        findActions(secretary.card).map((a) => a.title),
        ['Ja, annuleer de vergadering'],
      );
      assert.match(cardText(secretary.card), /wordt geannuleerd en verdwijnt/);
      assert.deepEqual(
        findActions((await c.t.view('chair', confirmId))!.card).map((a) => a.title),
        [],
        'the chair may not cancel either',
      );
      // A member who crafts the click is refused.
      const refused = await c.invoke('member', 'cancelMeeting', { meetingId: m2.id, card: 'message' }, confirmId);
      assert.match(bannerOf(refused)?.text ?? cardText(refused), /Alleen de secretaris/);
      assert.ok(await c.meetingOn('2016-12-12'), 'still planned');
    });

    it('the secretary’s click cancels it: its cards retire, and the next meeting offers the held one for approval', async () => {
      const mark = h.connector.mark();
      const a = ok(await c.t.click('secretary', /^Ja, annuleer de vergadering$/, {}, { messageId: confirmId }), 'confirm');
      assert.match(cardText((a.body as { value?: unknown }).value), /De vergadering "Annuleren" van 12 december 2016 is geannuleerd/);
      await h.app.liveCards.drain();
      const s = await c.series();
      assert.deepEqual(
        s.meetings.map((m) => m.date),
        ['2016-10-10', '2017-02-13'],
      );
      // Its agenda card is edited into a retired form, for everyone: nothing left to click.
      const edits = h.connector.sent(c.t.conversationId, mark).filter((e) => e.op === 'update' && e.id === m2.agendaCardId);
      assert.equal(edits.length, 1, 'the cancelled meeting’s agenda card was retired');
      assert.ok(m2.meetingCardIds?.length, 'it had a meeting card');
      for (const id of [m2.agendaCardId!, ...m2.meetingCardIds!])
        for (const who of ['member', 'chair', 'secretary']) {
          const v = (await c.t.view(who, id))!;
          assert.deepEqual(findActions(v.card), [], `${who} sees no buttons on ${id}`);
          assert.match(cardText(v.card), /geannuleerd/);
        }
      // The meeting after it now offers the minutes of the held meeting, never the cancelled one.
      await c.say('secretary', 'agenda\nA Opening\nF Sluiting');
      const m3 = await c.meetingOn('2017-02-13');
      const approval = m3.agenda.find((i) => i.previousMinutesOf);
      assert.equal(approval?.previousMinutesOf, m1.id);
      const mark2 = h.connector.mark();
      await c.say('member', 'agenda');
      const agendaText = c.t.repliesText(mark2);
      assert.match(agendaText, /10 oktober 2016/);
      assert.doesNotMatch(agendaText, /12 december 2016/);
      // A held meeting cannot be cancelled.
      assert.match(await c.ask('secretary', 'annuleren 10-10-2016'), /kan niet meer worden geannuleerd/);
    });
  });

  describe('three meetings planned at once, held in date order', () => {
    let c: ReturnType<typeof chat>;

    before(async () => {
      c = chat();
      // Planned out of date order: the one of December first.
      await c.say('secretary', planText('Reeks', '12-12-2016'));
      await c.say('secretary', planText('Reeks', '10-10-2016'));
      await c.say('secretary', planText('Reeks', '13-02-2017'));
    });

    it('the series is in date order and "the meeting" is the earliest; a second meeting on an open one’s date is refused', async () => {
      assert.deepEqual(
        (await c.series()).meetings.map((m) => m.date),
        ['2016-10-10', '2016-12-12', '2017-02-13'],
      );
      assert.match(
        await c.ask('secretary', planText('Reeks dubbel', '12-12-2016')),
        /Op 12 december 2016 staat al een vergadering gepland.*`wijzig vergadering`/s,
      );
      assert.match(
        await c.ask('member', planText('Van een lid', '20-03-2017')),
        /Er is al een vergadering gepland \(Reeks, 10 oktober 2016\)\. Alleen de voorzitter of de secretaris/,
      );
      assert.equal((await c.series()).meetings.length, 3, 'nothing planned by either');
      await c.say('secretary', 'agenda\nA Opening\nD1 Eerste punt\nF Sluiting');
      const s = await c.series();
      assert.equal(s.meetings[0]!.agenda.length, 3, 'the agenda went on the meeting of 10-10');
      assert.deepEqual(
        s.meetings.slice(1).map((m) => m.agenda.length),
        [0, 0],
      );
    });

    it('each meeting, held in turn, offers the minutes of the one before it by date', async () => {
      await c.say('secretary', 'start');
      await c.say('secretary', 'punt D1');
      await c.say('secretary', 'besluit: Besluit van oktober. [akkoord]');
      await c.say('secretary', 'sluiten');
      const [oct, dec, feb] = (await c.series()).meetings as [Meeting, Meeting, Meeting];
      for (const [m, previous, label] of [
        [dec, oct, '10 oktober 2016'],
        [feb, dec, '12 december 2016'],
      ] as const) {
        const mark = h.connector.mark();
        await c.say('secretary', 'agenda\nA Opening\nF Sluiting');
        const held = (await c.series()).meetings.find((x) => x.id === m.id)!;
        const approval = held.agenda.find((i) => i.previousMinutesOf);
        assert.equal(approval?.previousMinutesOf, previous.id, `${m.date} offers ${previous.date}`);
        assert.match(c.t.repliesText(mark), new RegExp(`Besluitenlijst vorige vergadering \\(${label}\\)`));
        await c.say('secretary', 'start');
        assert.match(
          await c.ask('secretary', `besluit ${approval.code}: Vastgesteld. [vastgesteld]`),
          new RegExp(`besluitenlijst van ${label} is vastgesteld`),
        );
        await c.say('secretary', 'sluiten');
      }
      const s = await c.series();
      assert.deepEqual(
        s.meetings.map((m) => [m.date, m.status, m.minutes.status, m.minutes.adoptedOn]),
        [
          ['2016-10-10', 'closed', 'adopted', '2016-12-12'],
          ['2016-12-12', 'closed', 'adopted', '2017-02-13'],
          ['2017-02-13', 'closed', 'concept', undefined],
        ],
      );
    });
  });

  describe('publishing the held meeting while the next one is planned by someone else', () => {
    let c: ReturnType<typeof chat>;

    before(async () => {
      c = await runningMeeting('Gehouden');
      await c.say('chair', 'punt D1');
      await c.say('chair', 'besluit: Besluit van de gehouden vergadering. [akkoord]');
      assert.match(await c.ask('secretary', 'publiceren'), /loopt nog\. Sluit haar eerst met `sluiten`; daarna kunt u publiceren/);
      assert.equal((await c.meetingOn('2016-10-10')).minutes.publication, undefined, 'nothing published while it runs');
      await c.say('chair', 'sluiten');
      // The chair plans the next meeting and is its secretary.
      assert.match(await c.ask('chair', planText('Volgende', '12-12-2016')), /U bent de secretaris/);
    });

    it('`besluitenlijst` shows the held meeting, and its secretary publishes it', async () => {
      const mark = h.connector.mark();
      await c.say('secretary', 'besluitenlijst');
      const draft = c.t.repliesText(mark);
      assert.match(draft, /Gehouden/);
      assert.match(draft, /Besluit van de gehouden vergadering/);
      assert.doesNotMatch(draft, /Volgende/);
      assert.match(await c.ask('chair', 'publiceren'), /Alleen de secretaris van deze vergadering/);
      assert.match(await c.ask('secretary', 'publiceren'), /De besluitenlijst wordt gepubliceerd/);
      const { openbaar } = await c.published('2016-10-10');
      assert.match(openbaar, /Besluit van de gehouden vergadering/);
      assert.equal((await c.meetingOn('2016-12-12')).minutes.publication, undefined, 'the planned meeting was not published');
      await settle(h, 200);
    });

    it('with a date, `besluitenlijst` and `publiceren` pick that meeting, also while the next one runs', async () => {
      await c.say('chair', 'agenda\nA Opening\nF Sluiting');
      await c.say('chair', 'start');
      await c.say('chair', 'verslag: Verslag van december.');
      assert.match(await c.ask('chair', 'publiceren'), /loopt nog\. Sluit haar eerst/);
      let mark = h.connector.mark();
      await c.say('member', 'besluitenlijst 10-10-2016');
      assert.match(c.t.repliesText(mark), /Besluit van de gehouden vergadering/);
      assert.doesNotMatch(c.t.repliesText(mark), /Verslag van december/);
      mark = h.connector.mark();
      await c.say('member', 'besluitenlijst');
      assert.match(c.t.repliesText(mark), /Verslag van december/, 'without a date: the meeting being held');
      assert.match(await c.ask('secretary', 'besluitenlijst 01-01-2017'), /Er is geen vergadering op 1 januari 2017/);
      const first = (await c.meetingOn('2016-10-10')).minutes.publication!.at;
      assert.match(await c.ask('secretary', 'publiceren 10-10-2016'), /De besluitenlijst wordt gepubliceerd/);
      await h.connector.waitFor(async () => {
        const p = (await c.meetingOn('2016-10-10')).minutes.publication;
        return p?.state === 'published' && p.at !== first;
      }, 15000);
      assert.equal((await c.meetingOn('2016-12-12')).minutes.publication, undefined, 'the running meeting was not published');
      await settle(h, 200);
    });
  });

  describe('the meeting’s clock', () => {
    it('Teams’ meetingStart and meetingEnd set startedAt and endedAt and win over `start` and `sluiten`', async () => {
      const c = chat();
      await c.say('secretary', planText('Klok Teams', '10-10-2016'));
      await c.say('secretary', 'agenda\nA Opening\nB Mededelingen\nF Sluiting');
      // The event before `start`: `start` keeps it.
      ok(await c.t.meetingStart('secretary', '2016-10-10T08:31:00.000Z'), 'meetingStart');
      await c.say('secretary', 'start');
      let m = await c.meetingOn('2016-10-10');
      assert.equal(m.startedAt, '2016-10-10T08:31:00.000Z');
      assert.equal(m.status, 'running');
      // `sluiten` first, then the event: the event wins.
      await c.say('secretary', 'sluiten');
      ok(await c.t.meetingEnd('secretary', '2016-10-10T09:58:00.000Z'), 'meetingEnd');
      m = await c.meetingOn('2016-10-10');
      assert.equal(m.endedAt, '2016-10-10T09:58:00.000Z');
      assert.deepEqual(m.clockSource, { start: 'teams', end: 'teams' });

      // The other way round: `start` first, then the event; the event, then `sluiten`.
      const d = chat();
      await d.say('secretary', planText('Klok Teams 2', '10-10-2016'));
      await d.say('secretary', 'agenda\nA Opening\nF Sluiting');
      await d.say('secretary', 'start');
      ok(await d.t.meetingStart('secretary', '2016-10-10T08:29:00.000Z'), 'meetingStart');
      ok(await d.t.meetingEnd('secretary', '2016-10-10T10:02:00.000Z'), 'meetingEnd');
      await d.say('secretary', 'sluiten');
      m = await d.meetingOn('2016-10-10');
      assert.deepEqual([m.startedAt, m.endedAt, m.status], ['2016-10-10T08:29:00.000Z', '2016-10-10T10:02:00.000Z', 'closed']);
    });

    it('without events, the first `start` and the `sluiten` set them; each item keeps when it was current', async () => {
      const c = chat();
      await c.say('secretary', planText('Klok bot', '10-10-2016'));
      await c.say('secretary', 'agenda\nA Opening\nB Mededelingen\nD1 Eerste punt\nF Sluiting');
      const t0 = new Date().toISOString();
      await c.say('secretary', 'start');
      let m = await c.meetingOn('2016-10-10');
      const startedAt = m.startedAt!;
      assert.ok(startedAt >= t0, 'startedAt is the moment of `start`');
      assert.equal(m.clockSource?.start, 'bot');
      await c.say('secretary', 'start');
      assert.equal((await c.meetingOn('2016-10-10')).startedAt, startedAt, 'a second `start` changes nothing');
      await c.say('secretary', 'volgende');
      await c.say('secretary', 'volgende');
      await c.say('secretary', 'vorige');
      m = await c.meetingOn('2016-10-10');
      const spans = Object.fromEntries(m.agenda.map((i) => [i.code, i.spans ?? []]));
      assert.equal(spans.A!.length, 1);
      assert.equal(spans.A![0]!.from, startedAt, 'the first item is current from the start');
      assert.equal(spans.B!.length, 2, 'B was current twice');
      assert.equal(spans.A![0]!.to, spans.B![0]!.from, '`volgende` closes one span and opens the next');
      assert.equal(spans.B![0]!.to, spans.D1![0]!.from);
      assert.equal(spans.D1![0]!.to, spans.B![1]!.from, '`vorige` too');
      assert.equal(spans.B![1]!.to, undefined, 'the current item’s span is open');
      assert.deepEqual(spans.F, []);
      await c.say('secretary', 'sluiten');
      m = await c.meetingOn('2016-10-10');
      assert.ok(m.endedAt && m.endedAt >= spans.B![1]!.from);
      assert.equal(m.agenda.find((i) => i.code === 'B')!.spans![1]!.to, m.endedAt, '`sluiten` closes the current item’s span');
      assert.equal(m.clockSource?.end, 'bot');
      // Reopened, the end is unknown again; closed again, it is the new `sluiten`.
      await c.say('secretary', 'heropenen');
      m = await c.meetingOn('2016-10-10');
      assert.equal(m.endedAt, undefined);
      assert.equal(m.agenda.find((i) => i.code === 'B')!.spans!.length, 3, 'the current item is current again');
      await c.say('secretary', 'sluiten');
      m = await c.meetingOn('2016-10-10');
      assert.ok(m.endedAt, 'ended again');
      assert.equal(m.startedAt, startedAt, 'the start stays the first `start`');
    });
  });

  describe('closed means closed, and says so', () => {
    it('a record command after `sluiten` says it is closed; chair and secretary are told how to reopen, a member is not', async () => {
      const c = await runningMeeting('Gesloten');
      await c.say('chair', 'sluiten');
      const before = JSON.stringify(await c.series());
      for (const [who, text] of [
        ['secretary', 'besluit: Te laat. [akkoord]'],
        ['chair', 'verslag: Te laat.'],
        ['chair', 'actie G.J. Kok: Te laat.'],
        ['secretary', 'aanwezig: A. Raven'],
      ] as const) {
        const answer = await c.ask(who, text);
        assert.match(answer, /De vergadering van 10 oktober 2016 is gesloten; er kan niets meer worden vastgelegd\./, `${who}: ${text}`);
        assert.match(answer, /U kunt haar heropenen met `heropenen`/, `${who}: ${text}`);
        assert.doesNotMatch(answer, /geen vergadering|Plan er een/);
      }
      for (const text of ['mededeling: Te laat.', 'rondvraag: Te laat?', 'besluit: Te laat.', 'afmelden']) {
        const answer = await c.ask('member', text);
        assert.match(
          answer,
          /is gesloten; er kan niets meer worden vastgelegd\. De voorzitter of de secretaris kan haar heropenen\./,
          text,
        );
        assert.doesNotMatch(answer, /`heropenen`|U kunt/, `a member gets no reopen instruction: ${text}`);
      }
      assert.equal(JSON.stringify(await c.series()), before, 'nothing recorded');
      // With the next meeting planned, a record still does not land on it.
      await c.say('secretary', planText('Gesloten', '12-12-2016'));
      assert.match(await c.ask('chair', 'besluit: Nog steeds te laat.'), /10 oktober 2016 is gesloten.*`heropenen`/s);
      assert.deepEqual(
        (await c.series()).meetings.map((m) => m.decisions.length),
        [0, 0],
      );
    });
  });
});
