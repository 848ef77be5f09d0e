// renderCard's changing texts: a card expanded once for the rest of its data, with those texts put in,
// must be exactly the card a full expansion makes, whatever the texts hold.
import assert from 'node:assert/strict';
import * as ACData from 'adaptivecards-templating';
import { agendaCard, itemCard } from '../../cards/cards';
import { cardJson, changingTexts, constantData, renderCard, withKeys } from '../../cards/render';
import { strings } from '../../services/i18n';
import * as ops from '../../services/meeting/operations';
import { SECRETARY } from '../support/seedMeeting';

const template = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [
    { type: 'TextBlock', text: '${title}' },
    { type: 'TextBlock', $when: "${note != ''}", text: 'Noot: ${note}' },
    { type: 'TextBlock', text: '${$root.note}', wrap: true },
    { type: 'TextBlock', $when: '${count > 1}', text: '${count} stuks' },
  ],
};

/** How often the templating engine expands a template while `run` runs. */
function expansions(run: () => void): number {
  const proto = ACData.Template.prototype as { expand: (...args: unknown[]) => unknown };
  const real = proto.expand;
  let n = 0;
  proto.expand = function (this: unknown, ...args: unknown[]) {
    n++;
    return real.apply(this, args);
  };
  try {
    run();
  } finally {
    proto.expand = real;
  }
  return n;
}

describe('renderCard: changing texts', function () {
  before(function () {
    changingTexts(template, ['note']);
  });

  const awkward = [
    '',
    'gewoon',
    'aanhalingstekens " en \\ backslash',
    'regel een\nregel twee\ttab',
    'ünïcödé — “quotes” 🎉',
    'een ${title} die letterlijk blijft',
    '\u0001 een stuurteken',
  ];

  it('makes exactly the card a full expansion makes, for any text', function () {
    for (const note of awkward)
      for (const count of [1, 2]) {
        const data = { title: 'Titel ${note}', note, count };
        const card = renderCard(template, data);
        const expected = JSON.stringify(new ACData.Template(template).expand({ $root: data }));
        // Both the card itself and the JSON kept for it (its size, the edit's fingerprint).
        assert.equal(JSON.stringify(card), expected);
        assert.equal(cardJson(card), expected);
      }
  });

  it('expands the template once for texts that differ, and hands out frozen cards', function () {
    const other = structuredClone(template);
    changingTexts(other, ['note']);
    const n = expansions(() => {
      for (const note of ['om 10.01 uur', 'om 10.02 uur', 'om 10.03 uur']) {
        const card = renderCard(other, { title: 'Vast', note, count: 1 });
        assert.ok(Object.isFrozen(card) && Object.isFrozen(card.body));
        assert.ok(cardJson(card).includes(note));
      }
    });
    assert.equal(n, 1);
  });

  it('refuses a template that uses a changing text in an expression of its own', function () {
    const misuse = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${toUpper(note)}' }] };
    assert.throws(() => changingTexts(misuse, ['note']), /toUpper\(note\).*changing text note/);
    // A field of a similar name is not a use.
    const similar = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${toUpper(noteText)} ${note}' }] };
    assert.doesNotThrow(() => changingTexts(similar, ['note']));
  });

  it('keeps the live agenda and item cards as they were, while their clock and last record change', function () {
    const s = strings('nl');
    const series = ops.newSeries('tenant-1', '19:render@thread.v2');
    const meeting = ops.planMeeting(series, SECRETARY, { title: 'DVO', date: '2016-10-10', members: [] }, '2016-10-01T08:00:00.000Z');
    ops.setAgenda(series, SECRETARY, [
      { code: 'A', title: 'Opening', kind: 'discussion', closed: false, attachments: [] },
      { code: 'B', title: 'Mededelingen', kind: 'discussion', closed: false, attachments: [] },
    ]);
    ops.start(series, SECRETARY, '2016-10-10T08:00:00.000Z');
    ops.addContribution(series, { id: '29:m', name: 'Lid' }, 'announcement', 'Eerste', undefined, '2016-10-10T08:01:00.000Z');
    const item = ops.currentItem(meeting)!;
    const cards = (now: number) => [
      agendaCard(s, series, meeting, { role: 'chair', now }),
      itemCard(s, series, meeting, item, { role: 'chair', live: true, now }),
    ];
    const first = cards(Date.parse('2016-10-10T08:05:00.000Z'));
    ops.addContribution(
      series,
      { id: '29:m', name: 'Lid' },
      'announcement',
      'Een "mededeling"\nover twee regels',
      undefined,
      '2016-10-10T08:06:00.000Z',
    );
    const n = expansions(() => {
      const later = cards(Date.parse('2016-10-10T08:09:00.000Z'));
      for (const [i, card] of later.entries()) {
        assert.notEqual(cardJson(card), cardJson(first[i]!), 'the card shows the change');
        assert.match(cardJson(card), /10\.06 uur: mededeling/);
      }
      assert.match(cardJson(later[1]!), /10\.00 uur.*9 min/, "the item's clock");
    });
    assert.equal(n, 0, 'no expansion: only the clock and the last record changed');
  });
});

describe('renderCard: constants and added keys', function () {
  const named = {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: '${text.hello}, ${name}' }],
  };

  it('names a constant in the memo key: the same data hits, another language or other data expands', function () {
    const nl = constantData({ hello: 'Goedemorgen' }, 'test-nl');
    const en = constantData({ hello: 'Good morning' }, 'test-en');
    const first = renderCard(named, { text: nl, name: 'Kok' });
    assert.equal(
      expansions(() => assert.equal(renderCard(named, { text: nl, name: 'Kok' }), first)),
      0,
      'the same data: the card rendered before',
    );
    let other: object | undefined;
    assert.equal(
      expansions(() => {
        assert.match(cardJson(renderCard(named, { text: en, name: 'Kok' })), /Good morning, Kok/);
        other = renderCard(named, { text: nl, name: 'Slot' });
      }),
      2,
    );
    assert.match(cardJson(other!), /Goedemorgen, Slot/);
  });

  it('adds top-level keys to a rendered card with the JSON that JSON.stringify writes, frozen', function () {
    const card = renderCard(template, { title: 'Agenda "2030"', note: 'é \u2028 ✓', count: 2 });
    const refresh = { action: { type: 'Action.Execute', verb: 'refresh', data: { card: 'agenda', meetingId: 'm1' } }, userIds: ['29:a'] };
    const shared = withKeys(card, { refresh });
    assert.equal(cardJson(shared), JSON.stringify(shared));
    assert.deepEqual(JSON.parse(cardJson(shared)), { ...JSON.parse(cardJson(card)), refresh });
    assert.ok(Object.isFrozen(shared) && Object.isFrozen(refresh.action.data));
    // A key the card has already is replaced where it stands, as a spread would.
    const again = withKeys(shared, { refresh: { action: refresh.action } });
    assert.equal(cardJson(again), JSON.stringify(again));
    // Keys that add nothing to the JSON (undefined) leave it as it was.
    const none = withKeys(card, { refresh: undefined });
    assert.equal(cardJson(none), JSON.stringify(none));
  });

  it('leaves a card made by hand unfrozen, so its JSON is made anew when it changes', function () {
    const card = { type: 'AdaptiveCard' as const, version: '1.5', body: [{ type: 'TextBlock', text: 'een' }] };
    const shared = withKeys(card, { refresh: { action: { type: 'Action.Execute' } } });
    assert.equal(Object.isFrozen(shared), false);
    (card.body[0] as { text: string }).text = 'twee';
    assert.match(cardJson(shared), /twee/);
  });
});
