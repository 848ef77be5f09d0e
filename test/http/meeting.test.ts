// The meeting of 10 October 2016 (seed 002) replayed over HTTP as Teams would send it: once typed, once by
// clicking the cards wherever a card offers the action. Both runs must leave the same facts in the store
// and in the published minutes, and every card the bot sends must be valid.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { ABSENT, HOSTILE_ANNOUNCEMENT, PRESENT } from '../support/seedMeeting';
import { BotHarness, cardProblems, docxText, findDocx, settle, startBotHarness } from '../support/botHarness';
import type { BotAnswer, TeamsClient } from '../support/teamsClient';
import type { Series } from '../../services/meeting/types';

const TITLE = 'Districtelijk Veiligheidsoverleg';
const PLAN = [
  'vergadering',
  `titel: ${TITLE}`,
  'datum: 10-10-2016',
  'tijd: 10:30-12:00',
  'locatie: Meldkamer Hengelo, Demmersweg 55',
  'voorzitter: O. van Veldhuizen',
  'secretaris: H. Meuleman',
  `leden: ${[...PRESENT, ...ABSENT].join(', ')}`,
].join('\n');
const AGENDA_LINES = [
  'A Opening',
  'B Mededelingen',
  'C Besluitenlijst DVO 4 juli 2016',
  'D1 Doorontwikkeling regionale samenwerking Platform IVZ [ter besluitvorming] [portefeuillehouder: Kok]',
  'D2 Cultuuronderzoek Nationale Politie [ter kennisgeving]',
  'E Rondvraag',
  'F Sluiting',
];
const OPENING_NOTE = 'De voorzitter opent de vergadering met een woord van welkom.';
const ANNOUNCEMENTS: [string, string][] = [
  ['M. Stegers', 'Het Platform IVZ heeft opnieuw een subsidie toegekend gekregen voor de aanpak woninginbraken ter hoogte van € 100.000.'],
  ['A. Raven', 'Stand van zaken aanpak woonoverlast verwarde personen: een subsidie is toegekend vanuit de WMO Tender.'],
  ['H. Robben', 'Ontwikkelingen op het terrein van burgernet: er wordt een business case ontwikkeld.'],
  ['J. Slot', HOSTILE_ANNOUNCEMENT],
];
const C_NOTE = 'Het verslag wordt vastgesteld.';
const C_DECISION = 'De besluitenlijst van het DVO van 4 juli 2016 wordt vastgesteld.';
const D1_NOTE = 'Dhr. Kok geeft een toelichting als portefeuillehouder op de totstandkoming van de notitie.';
const D1_DECISION = 'Het DVO stemt in met de doorontwikkeling van de regionale samenwerking Platform IVZ.';
const ACTION_TEXT = 'Individuele gesprekken met deelnemers over geleverde capaciteit';
const D2_DECISION = 'Het DVO neemt kennis van het cultuuronderzoek Nationale Politie.';
const E_NOTE = 'Wordt geen gebruik van gemaakt.';
const ALLOWED = ['${foo}'];

function ok(answer: BotAnswer, what: string): BotAnswer {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

async function currentSeries(h: BotHarness, t: TeamsClient): Promise<Series> {
  return h.app.meetings.read(t.tenantId, t.conversationId);
}

async function assertFacts(h: BotHarness, t: TeamsClient): Promise<void> {
  const series = await currentSeries(h, t);
  assert.equal(series.meetings.length, 1);
  const m = series.meetings[0]!;
  assert.equal(m.title, TITLE);
  assert.equal(m.date, '2016-10-10');
  assert.equal(m.startTime, '10:30');
  assert.equal(m.endTime, '12:00');
  assert.equal(m.location, 'Meldkamer Hengelo, Demmersweg 55');
  assert.equal(m.secretary.id, t.user('secretary').id);
  assert.ok(
    m.chairs.some((c) => c.id === t.user('chair').id),
    'the mentioned chair holds the chair role',
  );
  assert.deepEqual(
    m.agenda.map((i) => i.code),
    ['A', 'B', 'C', 'D1', 'D2', 'E', 'F'],
  );
  const d1 = m.agenda.find((i) => i.code === 'D1')!;
  assert.equal(d1.title, 'Doorontwikkeling regionale samenwerking Platform IVZ');
  assert.equal(d1.kind, 'decision');
  assert.equal(d1.portfolioHolder, 'Kok');
  assert.equal(m.agenda.find((i) => i.code === 'D2')!.kind, 'information');
  assert.deepEqual(m.present, PRESENT);
  assert.deepEqual(
    m.absent.map((a) => a.name),
    ABSENT,
  );
  assert.deepEqual(
    m.announcements.map((a) => [a.author, a.text]),
    ANNOUNCEMENTS,
  );
  const notesOf = (code: string) => m.agenda.find((i) => i.code === code)!.notes.map((n) => n.text);
  assert.deepEqual(notesOf('A'), [OPENING_NOTE]);
  assert.deepEqual(notesOf('C'), [C_NOTE]);
  assert.deepEqual(notesOf('D1'), [D1_NOTE]);
  assert.deepEqual(notesOf('E'), [E_NOTE]);
  const decisions = m.decisions.map((d) => [m.agenda.find((i) => i.id === d.itemId)?.code, d.text, d.outcome]);
  assert.deepEqual(decisions, [
    ['C', C_DECISION, 'adopted'],
    ['D1', D1_DECISION, 'agreed'],
    ['D2', D2_DECISION, 'noted'],
  ]);
  assert.equal(series.actions.length, 1);
  const a = series.actions[0]!;
  assert.equal(a.owner, 'O. van Veldhuizen');
  assert.equal(a.text, ACTION_TEXT);
  assert.equal(a.due, '2016-12-01');
  assert.equal(a.itemCode, 'D1');
  assert.equal(a.status, 'open');
  assert.equal(m.status, 'closed');
}

async function assertPublished(h: BotHarness, t: TeamsClient, sinceMs: number): Promise<void> {
  await h.connector.waitFor(async () => (await currentSeries(h, t)).meetings[0]?.minutes.publication?.state === 'published', 15000);
  const files = (await findDocx(h.minutesDir)).filter((f) => statSync(f).mtimeMs >= sinceMs);
  assert.ok(files.length >= 1, `a .docx was published (found ${files.length})`);
  const text = (await Promise.all(files.map(docxText))).join('\n');
  for (const fact of [
    TITLE,
    '10 oktober 2016',
    'Meldkamer Hengelo, Demmersweg 55',
    'O. van Veldhuizen',
    'H. Meuleman',
    ...PRESENT,
    ...ABSENT,
    'Doorontwikkeling regionale samenwerking Platform IVZ',
    'Cultuuronderzoek Nationale Politie',
    OPENING_NOTE,
    C_DECISION,
    D1_DECISION,
    D2_DECISION,
    D1_NOTE,
    E_NOTE,
    ACTION_TEXT,
    ...ANNOUNCEMENTS.flatMap(([who, what]) => [who, what]),
  ])
    assert.ok(text.includes(fact), `the minutes hold "${fact}"`);
}

describe('HTTP: the meeting of 10 October 2016', function () {
  this.timeout(60000);
  let h: BotHarness;

  before(async () => {
    h = await startBotHarness({ liveCards: { intervalMs: 100, debounceMs: 20 } });
  });
  after(async () => {
    await h?.stop();
  });

  it('typed: every fact ends up in the store and in the published .docx', async () => {
    const started = Date.now() - 1000;
    const t = h.client();
    const say = async (who: string, text: string) => ok(await t.say(who, text), text.split('\n')[0]!);
    await say('secretary', PLAN);
    await say('secretary', ['agenda', ...AGENDA_LINES].join('\n'));
    await say('secretary', 'voorzitter @{chair}');
    await say('chair', 'start');
    await say('secretary', `aanwezig: ${PRESENT.join(', ')}`);
    await say('secretary', `afwezig: ${ABSENT.join(', ')}`);
    await say('secretary', `verslag: ${OPENING_NOTE}`);
    await say('chair', 'volgende');
    for (const [who, what] of ANNOUNCEMENTS) await say('member', `mededeling namens ${who}: ${what}`);
    await say('chair', 'volgende');
    await say('secretary', `verslag: ${C_NOTE}`);
    await say('secretary', `besluit: ${C_DECISION} [vastgesteld]`);
    await say('chair', 'volgende');
    await say('secretary', `verslag: ${D1_NOTE}`);
    await say('secretary', `besluit: ${D1_DECISION} [akkoord]`);
    await say('secretary', `actie O. van Veldhuizen: ${ACTION_TEXT} [voor 01-12-2016]`);
    await say('chair', 'volgende');
    await say('secretary', `besluit D2: ${D2_DECISION} [ter kennisgeving]`);
    await say('chair', 'punt E');
    await say('secretary', `verslag: ${E_NOTE}`);
    await say('chair', 'volgende');
    await say('chair', 'sluiten');
    await assertFacts(h, t);
    await say('secretary', 'publiceren');
    await assertPublished(h, t, started);
    await settle(h);
    assert.deepEqual(cardProblems(t.allCards(), ALLOWED), []);
  });

  it('clicked: the same meeting through the cards gives the same facts', async () => {
    const started = Date.now() - 1000;
    const t = h.client();
    const say = async (who: string, text: string) => ok(await t.say(who, text), text.split('\n')[0]!);
    const click = async (who: string, title: RegExp, inputs: Record<string, string> = {}, verb?: string) => {
      // What Teams shows everyone catches up first (live edits are sent shortly after a turn).
      await settle(h);
      const a = await t.click(who, title, inputs, { verb });
      assert.notEqual(a.status, 0, `click ${String(title)} ${verb ?? ''}: ${String(a.body)}`);
      ok(a, `click ${String(title)} ${verb ?? ''}`);
      const style = JSON.stringify(a.body).match(/"style":"(attention|warning)"[^}]*"text":"([^"]*)"/);
      assert.equal(style, null, `click ${String(title)} ${verb ?? ''} was refused: ${style?.[2] ?? ''}`);
      return a;
    };
    // Planning a meeting and naming the chair: no card offers these.
    await say('secretary', PLAN);
    await click('secretary', /^Vastleggen$/, { agenda: AGENDA_LINES.join('\n') }, 'setAgenda');
    await say('secretary', 'voorzitter @{chair}');
    await click('secretary', /^Start$/, {}, 'start');
    // The chair's own view of the live agenda card (Teams fetches it through the card's refresh).
    ok(await t.refresh('secretary'), 'refresh');
    await click('secretary', /^Aanwezig$/, { names: PRESENT.join(', ') }, 'attendance');
    await click('secretary', /^Afwezig$/, { names: ABSENT.join(', ') }, 'attendance');
    await click('secretary', /^Vastleggen$/, { text: OPENING_NOTE }, 'note');
    await click('secretary', /^Volgende$/, {}, 'goTo');
    for (const [who, what] of ANNOUNCEMENTS) await click('member', /^Vastleggen$/, { text: what, onBehalfOf: who }, 'announcement');
    await click('secretary', /^Volgende$/, {}, 'goTo');
    await click('secretary', /^Vastleggen$/, { text: C_NOTE }, 'note');
    await click('secretary', /^Vastleggen$/, { text: C_DECISION, outcome: 'adopted' }, 'decision');
    await click('secretary', /^Volgende$/, {}, 'goTo');
    await click('secretary', /^Vastleggen$/, { text: D1_NOTE }, 'note');
    await click('secretary', /^Vastleggen$/, { text: D1_DECISION, outcome: 'agreed' }, 'decision');
    await click('secretary', /^Vastleggen$/, { owner: 'O. van Veldhuizen', text: ACTION_TEXT, due: '2016-12-01' }, 'action');
    await click('secretary', /^Volgende$/, {}, 'goTo');
    await click('secretary', /^Vastleggen$/, { text: D2_DECISION, outcome: 'noted' }, 'decision');
    await click('secretary', /^Volgende$/, {}, 'goTo');
    await click('secretary', /^Vastleggen$/, { text: E_NOTE }, 'note');
    await click('secretary', /^Volgende$/, {}, 'goTo');
    await click('secretary', /^Ja, sluit de vergadering$/, {}, 'close');
    await assertFacts(h, t);
    // After closing, no card in the chat offers the draft minutes any more (see the report): typed.
    await say('secretary', 'besluitenlijst');
    await click('secretary', /^Publiceren$/, {}, 'publish');
    await assertPublished(h, t, started);
    await settle(h);
    assert.deepEqual(cardProblems(t.allCards(), ALLOWED), []);
  });
});
