// What each person sees on each card: the member's view never carries the chair's buttons or anything
// of a closed item; no card shows more than six actions, one of them primary; every verb a template
// uses is declared once and has a schema; the worst cases stay within Teams' 28 KB.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CARD_VERB_NAMES } from '../../bot/commands';
import { actionsCard, agendaCard, helpCard, itemCard, meetingCard, minutesCard, retiredItemCard, welcomeCard } from '../../cards/cards';
import type { AdaptiveCard } from '../../cards/render';
import { ALL_VERBS, Verb } from '../../cards/verbs';
import { strings } from '../../services/i18n';
import * as ops from '../../services/meeting/operations';
import type { ActionItem, Meeting, Note, Series } from '../../services/meeting/types';
import { minutesModel } from '../../services/minutes/model';
import { validateCard } from '../support/cardValidation';
import { HOSTILE_ANNOUNCEMENT, OCTOBER_MEETING_ID, seedSeries } from '../support/seedMeeting';

type Json = Record<string, unknown>;

/** The buttons a person sees without opening anything: the card's actions and the body's ActionSets. */
function visibleActions(card: AdaptiveCard): Json[] {
  const out: Json[] = [...((card.actions as Json[] | undefined) ?? [])];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Json;
    if (o.type === 'ActionSet') out.push(...((o.actions as Json[]) ?? []));
    for (const k of ['body', 'items', 'columns']) if (o[k]) walk(o[k]);
  };
  walk(card.body);
  return out;
}

/** Every action, also inside ShowCards. */
function allActions(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) {
    node.forEach((n) => allActions(n, out));
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const o = node as Json;
  if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o);
  for (const k of ['body', 'actions', 'items', 'columns', 'card', 'selectAction', 'inlines']) if (o[k]) allActions(o[k], out);
  return out;
}

/** Verbs that record, navigate or manage: only chair and secretary may get them. */
const CHAIR_VERBS = new Set<string>([
  Verb.start,
  Verb.goTo,
  Verb.showItem,
  Verb.note,
  Verb.decision,
  Verb.action,
  Verb.correct,
  Verb.close,
  Verb.reopen,
  Verb.publish,
  Verb.setAgenda,
  Verb.attendance,
  Verb.editMeeting,
  Verb.cancelMeeting,
  Verb.done,
]);

const allowedLiterals = ['${foo}'];

function check(card: AdaptiveCard, what: string): void {
  assert.deepEqual(validateCard(card, { allowedLiterals }), [], what);
  const visible = visibleActions(card);
  assert.ok(visible.length <= 6, `${what}: ${visible.length} visible actions (${visible.map((a) => a.title).join(', ')})`);
  const primary = visible.filter((a) => a.style === 'positive');
  assert.ok(primary.length <= 1, `${what}: ${primary.length} primary actions`);
  // Card texts are drawn verbatim: a Markdown mark of ours would show as typed.
  const texts = JSON.stringify(card).match(/"text":"[^"]*`[^"]*"/g) ?? [];
  assert.deepEqual(
    texts.filter((t) => !t.includes(HOSTILE_ANNOUNCEMENT.slice(0, 10))),
    [],
    `${what}: backticks in card text`,
  );
}

function withClosedItem(): { series: Series; meeting: Meeting } {
  const series = seedSeries();
  const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
  const closed = {
    ...structuredClone(meeting.agenda[3]!),
    id: 'geheim',
    code: 'D3',
    title: 'Grondaankoop N233',
    closed: true,
    notes: [] as Note[],
  };
  closed.notes.push({ number: 99, text: 'Vertrouwelijke toelichting', by: meeting.secretary, at: '2016-10-10T11:00:00Z' });
  closed.proposal = { subject: 'Aankoop perceel', advice: ['Geheim advies'], attachments: [], text: 'x', missing: [] };
  meeting.agenda.splice(4, 0, closed);
  meeting.decisions.push({
    number: 1,
    closedSeries: true,
    itemId: 'geheim',
    text: 'Het perceel wordt gekocht.',
    by: meeting.secretary,
    at: '2016-10-10T11:01:00Z',
  });
  series.actions.push({
    number: 1,
    closedSeries: true,
    meetingId: meeting.id,
    itemId: 'geheim',
    itemCode: 'D3',
    owner: 'G.J. Kok',
    text: 'Koopakte voorbereiden',
    status: 'open',
    createdAt: '2016-10-10T11:02:00Z',
  } as ActionItem);
  return { series, meeting };
}

const SECRETS = ['Vertrouwelijke toelichting', 'Aankoop perceel', 'Geheim advies', 'Het perceel wordt gekocht', 'Koopakte voorbereiden'];

describe('cards as each person sees them', () => {
  for (const locale of ['nl-NL', 'en-US']) {
    const s = strings(locale);
    describe(`in ${locale}`, () => {
      for (const status of ['planned', 'running', 'closed'] as const) {
        it(`a ${status} meeting: every card, every role, within six actions; members get no chair buttons`, () => {
          const { series, meeting } = withClosedItem();
          meeting.status = status;
          if (status === 'planned') delete meeting.currentItemId;
          else meeting.currentItemId = meeting.agenda[4]!.id;
          for (const role of ['secretary', 'chair', 'member'] as const) {
            const cards: [string, AdaptiveCard][] = [
              ['agenda', agendaCard(s, series, meeting, { role })],
              ['meeting', meetingCard(s, series, meeting, { role })],
              ['help', helpCard(s, meeting, { role, canPlan: role !== 'member' })],
              ['actions', actionsCard(s, series, { role })],
              ...meeting.agenda.map((item): [string, AdaptiveCard] => [
                `item ${item.code}`,
                itemCard(s, series, meeting, item, { role, live: true }),
              ]),
            ];
            for (const [what, card] of cards) {
              check(card, `${status} ${role} ${what}`);
              if (role !== 'member') continue;
              const verbs = allActions(card).map((a) => String(a.verb ?? ''));
              assert.deepEqual(
                verbs.filter((v) => CHAIR_VERBS.has(v)),
                [],
                `${status} member ${what} carries chair verbs`,
              );
              const text = JSON.stringify(card);
              for (const secret of SECRETS) assert.ok(!text.includes(secret), `${status} member ${what} shows "${secret}"`);
            }
          }
        });
      }

      it('on the agenda a closed item shows its code, its title and "besloten", nothing recorded on it', () => {
        const { series, meeting } = withClosedItem();
        const text = JSON.stringify(agendaCard(s, series, meeting, { role: 'member' }));
        assert.ok(text.includes('D3') && text.includes('Grondaankoop N233') && text.includes(s.card.closedTag));
        const item = itemCard(
          s,
          series,
          meeting,
          meeting.agenda.find((i) => i.closed)!,
          { role: 'member', live: true },
        );
        assert.ok(JSON.stringify(item).includes(s.card.closedItemNotice));
        const chair = JSON.stringify(
          itemCard(
            s,
            series,
            meeting,
            meeting.agenda.find((i) => i.closed)!,
            { role: 'chair', live: true },
          ),
        );
        for (const secret of ['Vertrouwelijke toelichting', 'Het perceel wordt gekocht', 'Koopakte voorbereiden'])
          assert.ok(chair.includes(secret), secret);
        // As posted (the chair's buttons, for every client to refresh from): still nothing closed.
        const posted = JSON.stringify(
          itemCard(
            s,
            series,
            meeting,
            meeting.agenda.find((i) => i.closed)!,
            { role: 'chair', live: true, publicOnly: true },
          ),
        );
        for (const secret of SECRETS) assert.ok(!posted.includes(secret), secret);
      });

      it('the item card offers recording only when it is the live card of the current item of a running meeting', () => {
        const { series, meeting } = withClosedItem();
        meeting.status = 'running';
        meeting.currentItemId = meeting.agenda[3]!.id;
        const current = ops.currentItem(meeting)!;
        const other = meeting.agenda.find((i) => i.id !== current.id && !i.closed)!;
        const verbs = (card: AdaptiveCard) => allActions(card).map((a) => a.verb);
        assert.ok(verbs(itemCard(s, series, meeting, current, { role: 'chair', live: true })).includes(Verb.decision));
        assert.ok(!verbs(itemCard(s, series, meeting, current, { role: 'chair', live: false })).includes(Verb.decision));
        assert.ok(!verbs(itemCard(s, series, meeting, other, { role: 'chair', live: true })).includes(Verb.decision));
        meeting.status = 'planned';
        assert.ok(!verbs(itemCard(s, series, meeting, current, { role: 'chair', live: true })).includes(Verb.decision), 'before the start');
        assert.deepEqual(allActions(retiredItemCard(s, meeting, current)), [], 'a retired card has nothing to click');
      });

      it('welcome and help for a chat without a meeting offer the planning form', () => {
        for (const card of [welcomeCard(s), helpCard(s, undefined, { role: 'member', canPlan: true })]) {
          check(card, 'plan');
          assert.ok(allActions(card).some((a) => a.verb === Verb.plan));
        }
      });
    });
  }

  it('the action list stays within 28 KB with 100 open actions of 300 characters, paged', () => {
    const s = strings('nl-NL');
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    for (let n = 1; n <= 100; n++)
      series.actions.push({
        number: 100 + n,
        meetingId: meeting.id,
        itemId: meeting.agenda[3]!.id,
        itemCode: 'D1',
        owner: 'O. van Veldhuizen',
        text: `${n} ${'x'.repeat(296)}`,
        status: 'open',
        createdAt: '2016-10-10T10:00:00Z',
      });
    const seen = new Set<string>();
    for (let page = 0; page < 10; page++) {
      const card = actionsCard(s, series, { role: 'chair', page });
      check(card, `actions page ${page}`);
      for (const a of ops.openActions(series)) if (JSON.stringify(card).includes(`"${a.number}"`)) seen.add(String(a.number));
    }
    assert.equal(seen.size, ops.openActions(series).length, 'every open action is on some page');
  });

  it('long minutes of both parts stay within 28 KB', () => {
    const s = strings('nl-NL');
    const { series, meeting } = withClosedItem();
    const card = minutesCard(s, meeting.id, [minutesModel(series, meeting.id, 'openbaar'), minutesModel(series, meeting.id, 'besloten')], {
      canPublish: true,
    });
    check(card, 'minutes');
  });
});

describe('card verbs: declared once', () => {
  const dir = join(__dirname, '..', '..', '..', 'cards');
  const templates = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('every verb in every template comes from the one table, and every verb there has a schema', () => {
    assert.ok(templates.length >= 8);
    for (const file of templates) {
      const raw = readFileSync(join(dir, file), 'utf8');
      for (const m of raw.matchAll(/"verb":\s*"([^"]*)"/g)) {
        const verb = m[1]!;
        if (verb === '${verb}') continue; // bound from code, from the same table
        const named = /^\$\{\$root\.verbs\.(\w+)\}$/.exec(verb);
        assert.ok(named, `${file}: verb "${verb}" is not taken from the verbs table`);
        assert.ok(Object.hasOwn(Verb, named[1]!), `${file}: no verb "${named[1]}"`);
      }
    }
    assert.deepEqual([...CARD_VERB_NAMES].sort(), [...ALL_VERBS].sort());
  });
});
