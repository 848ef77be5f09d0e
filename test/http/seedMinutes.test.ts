// The seed meeting of 10 October 2016 (test/fixtures/seeds/002_f93e6401f0b18ddb.txt) replayed in full over
// HTTP as Teams sends it, from test/fixtures/meetings/dvo-2016-10-10.json, then published: the public .docx
// must hold every fact of the seed's besluitenlijst, each found after the one before it.
//
// Two checks: the fixture carries the seed's own text in the seed's order and leaves nothing of it out
// (no server), and the minutes the bot publishes from it hold those facts in that order.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { BotHarness, docxText, findDocx, startBotHarness } from '../support/botHarness';
import type { BotAnswer } from '../support/teamsClient';
import type { Series } from '../../services/meeting/types';

interface ReplayEvent {
  verslag?: string;
  mededeling?: string;
  namens?: string;
  besluit?: string;
  uitkomst?: string;
  actie?: { wie: string; wat: string; voor?: string };
  /** Set when the text is not the seed's own wording: what it stands for. */
  derived?: string;
}

interface Replay {
  seed: string;
  plan: { titel: string; datum: string; tijd: string; locatie: string; voorzitter: string; secretaris: string; leden: string[] };
  /** The agenda as typed, one line per item. */
  agenda: string[];
  aanwezig: string;
  afwezig: string;
  /** What is recorded on each item, by agenda code, in the seed's order. */
  items: Record<string, ReplayEvent[]>;
}

const FIXTURES = resolve(__dirname, '../../../test/fixtures');
const REPLAY: Replay = JSON.parse(readFileSync(join(FIXTURES, 'meetings/dvo-2016-10-10.json'), 'utf8'));
const SEED = readFileSync(join(FIXTURES, REPLAY.seed), 'utf8');

const codeOf = (line: string) => line.trim().split(/\s+/)[0]!;
const titleOf = (line: string) =>
  line
    .trim()
    .replace(/^\S+\s+/, '')
    .replace(/(\s*\[[^[\]]*\])+\s*$/, '');
const eventsOf = (line: string) => REPLAY.items[codeOf(line)] ?? [];
const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The seed's rows above the agenda ("Datum\t10 oktober 2016"), as [label, value]. */
function seedHeader(): [string, string][] {
  const rows: [string, string][] = [];
  for (const line of SEED.split('\n')) {
    if (/^NR\t/.test(line)) break;
    const m = /^([A-Z][a-z]+)\t(.+)$/.exec(line.trim());
    if (m) rows.push([m[1]!, m[2]!.trim()]);
  }
  return rows;
}

/** The seed's agenda table as running text: page-break header rows and markup dropped, whitespace collapsed. */
function seedAgendaProse(): string {
  const from = SEED.indexOf('NR\tAgendapunten\tBijlagen');
  const to = SEED.indexOf('PLATFORM IVZ');
  assert.ok(from > 0 && to > from, 'the seed has its agenda table');
  return collapse(
    SEED.slice(from, to)
      .replace(/^NR\tAgendapunten\tBijlagen$/gm, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/•/g, ' '),
  );
}

/** The texts of an event that are the seed's own words. */
function seedTexts(e: ReplayEvent): string[] {
  if (e.derived) return [];
  return [e.verslag, e.mededeling, e.besluit].filter((t): t is string => !!t);
}

/**
 * One fact of the minutes: `line` is a whole paragraph of the document, `tail` the end of one (after the
 * bot's own "Actie n: " lead-in), `head` its start (a decision, before its "(besluit n, uitkomst)").
 */
type Fact = { line: string } | { tail: string } | { head: string };

function itemFacts(events: ReplayEvent[]): Fact[] {
  const announcers = events.filter((e) => e.mededeling).map((e) => e.namens);
  assert.equal(new Set(announcers).size, announcers.length, 'one mededeling per announcer (the minutes give each announcer one bullet)');
  // The minutes keep an item's records in the order they were taken, which is the seed's order.
  return events.map((e): Fact => {
    // A point of a dictated list ("a) …") is a list item: Word numbers it, the text is the rest.
    if (e.verslag) return { line: e.verslag.replace(/^([a-z]|\d{1,2})[).]\s+/, '') };
    if (e.mededeling) return { line: `${e.namens}: ${e.mededeling}` };
    if (e.besluit) return { head: `${e.besluit} (besluit ` };
    // In its item an action is named with its owner and pointed to the Actielijst, which holds it in full.
    if (e.actie) {
      const words = e.actie.wat.split(/\s+/);
      const gist = words.length > 8 ? `${words.slice(0, 8).join(' ')} …` : e.actie.wat;
      return { tail: ` (${e.actie.wie}): ${gist} – zie de actielijst` };
    }
    throw new Error(`an event with nothing to record: ${JSON.stringify(e)}`);
  });
}

/** Every fact of the seed's public besluitenlijst, in the order the published minutes must hold them. */
function expectedFacts(): Fact[] {
  const title = SEED.split('\n').find((l) => l.startsWith('BESLUITENLIJST'))!;
  const actions = REPLAY.agenda.flatMap((l) => eventsOf(l).flatMap((e) => (e.actie ? [e.actie] : [])));
  return [
    { line: title.trim() },
    { line: 'Openbaar deel' },
    // A fact's label and value on one line, a tab apart, as the seed has them.
    ...seedHeader().map(([label, value]): Fact => ({ line: `${label}\t${value}` })),
    { line: 'NR' },
    { line: 'Agendapunten' },
    { line: 'Bijlagen' },
    ...REPLAY.agenda.flatMap((l): Fact[] => [{ line: codeOf(l) }, { line: titleOf(l) }, ...itemFacts(eventsOf(l))]),
    { line: 'Actielijst' },
    ...actions.flatMap((a): Fact[] => [{ line: a.wat }, { line: a.wie }]),
  ];
}

/** Walks the facts forward through the text; returns the first one not found after the one before it. */
function firstMissing(text: string, facts: Fact[]): string | null {
  const doc = `\n${text
    .split('\n')
    .map((l) => l.trim())
    .join('\n')}\n`;
  let at = 0;
  for (const fact of facts) {
    const needle = 'line' in fact ? `\n${fact.line}\n` : 'head' in fact ? `\n${fact.head}` : `${fact.tail}\n`;
    const i = doc.indexOf(needle, at);
    if (i < 0) {
      const anywhere = doc.indexOf(needle) >= 0 ? 'present, but before the fact preceding it' : 'absent';
      const shown = 'line' in fact ? fact.line : 'head' in fact ? fact.head : fact.tail;
      return `"${shown.slice(0, 120)}" (${anywhere}); the document from the last fact on:\n${doc.slice(at, at + 600)}`;
    }
    at = i + needle.length - 1; // the closing newline opens the next paragraph
  }
  return null;
}

function ok(answer: BotAnswer, what: string): BotAnswer {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

describe('HTTP: the seed meeting of 10 October 2016, replayed in full', function () {
  this.timeout(60000);

  it('the replay fixture carries the seed’s own text, in the seed’s order, and leaves nothing out', () => {
    const prose = seedAgendaProse();
    const texts = [REPLAY.aanwezig, REPLAY.afwezig];
    const header = seedHeader();
    assert.equal(header.find(([l]) => l === 'Aanwezig')?.[1], REPLAY.aanwezig);
    assert.equal(header.find(([l]) => l === 'Afwezig')?.[1], REPLAY.afwezig);
    for (const line of REPLAY.agenda) texts.push(...eventsOf(line).flatMap(seedTexts));
    assert.deepEqual(
      Object.keys(REPLAY.items).filter((code) => !REPLAY.agenda.some((l) => codeOf(l) === code)),
      [],
      'every item with records is on the agenda',
    );
    // Walk the seed's agenda table; what lies between the fixture's texts may only be codes and titles.
    let at = 0;
    let between = '';
    for (const t of texts.slice(2)) {
      const i = prose.indexOf(collapse(t), at);
      assert.ok(i >= 0, `the seed holds, after the text before it: "${t.slice(0, 120)}"`);
      between += ` ${prose.slice(at, i)}`;
      at = i + collapse(t).length;
    }
    between += ` ${prose.slice(at)}`;
    for (const title of REPLAY.agenda.map(titleOf)) between = between.replace(title, ' ');
    const codes = ['NR', 'Agendapunten', 'Bijlagen', 'A', 'B', 'C', 'D', '1', '2', 'E', 'F'];
    const dHeading = ['Ter', 'bespreking', '/', 'ter', 'kennisgeving'];
    const leftOut = collapse(between)
      .split(' ')
      .filter((w) => w && !codes.includes(w) && !dHeading.includes(w));
    assert.deepEqual(leftOut, [], 'words of the seed the fixture does not carry');
  });

  it('published public minutes hold every fact of the seed, in order', async () => {
    // A replay, not a test of the edits' schedule: edits an interval apart do not hold it up.
    const h: BotHarness = await startBotHarness({ liveCards: { intervalMs: 50, debounceMs: 10 } });
    try {
      const started = Date.now() - 1000;
      const t = h.client();
      const say = async (who: string, text: string) => ok(await t.say(who, text), text.split('\n')[0]!.slice(0, 60));
      const p = REPLAY.plan;
      await say(
        'secretary',
        [
          'vergadering',
          `titel: ${p.titel}`,
          `datum: ${p.datum}`,
          `tijd: ${p.tijd}`,
          `locatie: ${p.locatie}`,
          `voorzitter: ${p.voorzitter}`,
          `secretaris: ${p.secretaris}`,
          `leden: ${p.leden.join(', ')}`,
        ].join('\n'),
      );
      await say('secretary', ['agenda', ...REPLAY.agenda].join('\n'));
      await say('secretary', 'voorzitter @{chair}');
      await say('chair', 'start');
      await say('secretary', `aanwezig: ${REPLAY.aanwezig}`);
      await say('secretary', `afwezig: ${REPLAY.afwezig}`);
      // The chair steps to each item with something to record (and to the last one): "volgende" to the
      // next item, "punt <code>" past items without records (such as a heading line).
      let current = 0;
      for (const [i, line] of REPLAY.agenda.entries()) {
        const events = eventsOf(line);
        if (i > 0 && (events.length > 0 || i === REPLAY.agenda.length - 1)) {
          await say('chair', i === current + 1 ? 'volgende' : `punt ${codeOf(line)}`);
          current = i;
        }
        for (const e of events) {
          if (e.verslag) await say('secretary', `verslag: ${e.verslag}`);
          if (e.mededeling) await say('secretary', `mededeling namens ${e.namens}: ${e.mededeling}`);
          if (e.besluit) await say('secretary', `besluit: ${e.besluit} [${e.uitkomst}]`);
          if (e.actie) await say('secretary', `actie ${e.actie.wie}: ${e.actie.wat}${e.actie.voor ? ` [voor ${e.actie.voor}]` : ''}`);
        }
      }
      await say('chair', 'sluiten');

      // Every command was taken: the store holds each record on its item.
      const series: Series = await h.app.meetings.read(t.tenantId, t.conversationId);
      const m = series.meetings[0]!;
      assert.equal(m.status, 'closed');
      for (const line of REPLAY.agenda) {
        const item = m.agenda.find((it) => it.code === codeOf(line));
        assert.ok(item, `item ${codeOf(line)} is on the agenda`);
        const events = eventsOf(line);
        assert.deepEqual(
          item.notes.map((n) => n.text),
          events.flatMap((e) => (e.verslag ? [e.verslag] : [])),
          `the account of ${item.code}`,
        );
        assert.deepEqual(
          m.decisions.filter((d) => d.itemId === item.id).map((d) => d.text),
          events.flatMap((e) => (e.besluit ? [e.besluit] : [])),
          `the decisions on ${item.code}`,
        );
      }
      const all = REPLAY.agenda.flatMap(eventsOf);
      assert.deepEqual(
        m.announcements.map((a) => [a.author, a.text]),
        all.flatMap((e) => (e.mededeling ? [[e.namens, e.mededeling]] : [])),
      );
      assert.deepEqual(
        series.actions.map((a) => [a.owner, a.text]),
        all.flatMap((e) => (e.actie ? [[e.actie.wie, e.actie.wat]] : [])),
      );

      await say('secretary', 'publiceren');
      await h.connector.waitFor(
        async () => (await h.app.meetings.read(t.tenantId, t.conversationId)).meetings[0]?.minutes.publication?.state === 'published',
        15000,
      );
      const files = (await findDocx(h.minutesDir)).filter((f) => statSync(f).mtimeMs >= started);
      const pub = files.filter((f) => /openbaar/i.test(basename(f)));
      assert.equal(pub.length, 1, `one public .docx (found: ${files.map((f) => basename(f)).join(', ')})`);
      assert.equal(files.length, 1, 'no closed (besloten) document: the seed has no closed item');
      const missing = firstMissing(await docxText(pub[0]!), expectedFacts());
      assert.equal(missing, null, `the public minutes lack, in order: ${missing}`);
    } finally {
      await h.stop();
    }
  });
});
