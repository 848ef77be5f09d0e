// Agenda headings ("D Ter bespreking / ter kennisgeving" over D1 and D2, as in the seed's besluitenlijst):
// the chair's next and previous pass over them, the card shows them as titles, and the minutes keep
// them only where they head something.
import assert from 'node:assert/strict';
import { agendaCard } from '../../cards/cards';
import { isHeading, parseAgenda } from '../../services/meeting/agenda';
import { strings } from '../../services/i18n';
import * as ops from '../../services/meeting/operations';
import type { Person, Series } from '../../services/meeting/types';
import { minutesModel } from '../../services/minutes/model';
import { validateCard } from '../support/cardValidation';

const sec: Person = { id: '29:sec', aadObjectId: 'aad-sec', name: 'H. Meuleman' };
const now = '2026-12-01T10:00:00Z';
const AGENDA = [
  'A Opening',
  'B Mededelingen',
  'C Besluitenlijst vorige vergadering',
  'D Ter bespreking / ter kennisgeving',
  'D1 Doorontwikkeling Platform IVZ [ter besluitvorming]',
  'D2 Cultuuronderzoek Nationale Politie [ter kennisgeving]',
  'E Rondvraag',
  'F Sluiting',
];

function meeting(lines = AGENDA): Series {
  const series = ops.newSeries('t', 'c');
  ops.planMeeting(series, sec, { title: 'DVO', date: '2026-12-01', members: [] }, now);
  ops.setAgenda(series, sec, parseAgenda(lines));
  return series;
}

const current = (series: Series) => ops.currentItem(series.meetings[0]!)?.code;

describe('agenda headings', () => {
  const cases: [string, string, boolean][] = [
    ['D', 'D1', true],
    ['d', 'D.1', true],
    ['3', '3.1', true],
    ['E01', 'E01a', true],
    ['C02', 'C02A', true],
    ['B', 'BL', false],
    ['3', '31', false],
    ['D1', 'D2', false],
    ['D1', 'D', false],
  ];
  for (const [code, next, heads] of cases)
    it(`${code} ${heads ? 'heads' : 'does not head'} ${next}`, () => assert.equal(isHeading([{ code }, { code: next }], 0), heads));

  it('the last item heads nothing', () => assert.equal(isHeading([{ code: 'D' }], 0), false));

  it('an item with anything of its own is no heading, whatever its code', () => {
    const next = { code: '3a' };
    assert.equal(isHeading([{ code: '3' }, next], 0), true);
    assert.equal(isHeading([{ code: '3', kind: 'decision' }, next], 0), false);
    assert.equal(isHeading([{ code: '1', kind: 'opening' }, { code: '1a' }], 0), false);
    assert.equal(isHeading([{ code: '3', portfolioHolder: 'G.J. Kok' }, next], 0), false);
    assert.equal(isHeading([{ code: '3', attachments: [{ title: 'Notitie' }] }, next], 0), false);
    const series = meeting(['3 Begroting 2027 [ter besluitvorming]', '3a Toelichting', '4 Sluiting']);
    ops.start(series, sec, now);
    assert.equal(current(series), '3');
  });

  it('next and previous pass over a heading; naming it still goes there', () => {
    const series = meeting();
    ops.start(series, sec, now);
    ops.move(series, sec, { to: 'item', code: 'C' }, now);
    ops.move(series, sec, { to: 'next' }, now);
    assert.equal(current(series), 'D1');
    ops.move(series, sec, { to: 'previous' }, now);
    assert.equal(current(series), 'C');
    ops.move(series, sec, { to: 'item', code: 'D' }, now);
    assert.equal(current(series), 'D');
    ops.move(series, sec, { to: 'next' }, now);
    assert.equal(current(series), 'D1');
  });

  it('start opens on the first item that is not a heading', () => {
    const series = meeting(['1 Algemeen', '1.1 Opening', '1.2 Mededelingen', '2 Sluiting']);
    ops.start(series, sec, now);
    assert.equal(current(series), '1.1');
  });

  it('the agenda card shows a heading without a state, and its next button skips it', () => {
    const s = strings('nl-NL');
    const series = meeting();
    ops.start(series, sec, now);
    ops.move(series, sec, { to: 'item', code: 'C' }, now);
    const card = agendaCard(s, series, series.meetings[0]!, { role: 'chair' });
    assert.deepEqual(validateCard(card), []);
    const d1 = series.meetings[0]!.agenda.find((i) => i.code === 'D1')!;
    assert.ok(JSON.stringify(card).includes(`"itemId":"${d1.id}"`), 'next goes to D1');

    ops.move(series, sec, { to: 'item', code: 'E' }, now);
    const later = agendaCard(s, series, series.meetings[0]!, { role: 'chair' });
    const rows = (later.body as unknown[]).map((row) => JSON.stringify(row));
    const done = JSON.stringify(s.card.itemState.done);
    assert.ok(rows.find((row) => row.includes('Cultuuronderzoek'))?.includes(done), 'an item passed shows it');
    assert.ok(!rows.find((row) => row.includes('Ter bespreking / ter kennisgeving'))?.includes(done), 'the heading shows no state');
  });

  it('the minutes keep a heading over public items and drop it when all it heads is closed', () => {
    const series = meeting();
    const codes = () => minutesModel(series, series.meetings[0]!.id, 'openbaar').items.map((r) => r.code);
    assert.deepEqual(codes(), ['A', 'B', 'C', 'D', 'D1', 'D2', 'E', 'F']);
    for (const item of series.meetings[0]!.agenda) if (item.code.startsWith('D')) item.closed = item.code !== 'D';
    assert.deepEqual(codes(), ['A', 'B', 'C', 'E', 'F']);
    assert.deepEqual(
      minutesModel(series, series.meetings[0]!.id, 'besloten').items.map((r) => r.code),
      ['D1', 'D2'],
    );
  });
});
