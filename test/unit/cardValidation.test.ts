// The card validator must accept what Teams renders and reject what it does not; otherwise every card test
// built on it proves nothing.
import assert from 'node:assert/strict';
import { MAX_CARD_BYTES, MAX_TEAMS_ACTIONS, validateCard } from '../support/cardValidation';

function validCard(): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    msteams: { width: 'Full' },
    body: [
      { type: 'TextBlock', text: 'Stuurgroep Wonen', weight: 'Bolder', size: 'Medium', wrap: true, style: 'heading' },
      {
        type: 'RichTextBlock',
        inlines: [
          { type: 'TextRun', text: 'B02 ', weight: 'Bolder' },
          { type: 'TextRun', text: 'Woningbouwprogramma' },
          ' (ter besluitvorming)',
        ],
      },
      { type: 'FactSet', facts: [{ title: 'Datum', value: '12-03-2025' }] },
      { type: 'Input.Text', id: 'text', label: 'Besluit', isMultiline: true, placeholder: 'Tekst van het besluit' },
      {
        type: 'ActionSet',
        actions: [
          {
            type: 'Action.Execute',
            title: 'Volgende',
            verb: 'next',
            data: { meetingId: 'm1' },
            fallback: { type: 'Action.Submit', title: 'Volgende', data: { verb: 'next' } },
          },
        ],
      },
    ],
    actions: [
      {
        type: 'Action.ShowCard',
        title: 'Besluit vastleggen',
        card: {
          type: 'AdaptiveCard',
          body: [{ type: 'Input.Text', id: 'decision', label: 'Besluit' }],
          actions: [{ type: 'Action.Execute', title: 'Opslaan', verb: 'decision', data: { item: 'B02' } }],
        },
      },
    ],
  };
}

function body(card: Record<string, unknown>): Record<string, unknown>[] {
  return card.body as Record<string, unknown>[];
}

function assertRejected(errors: string[], pattern: RegExp): void {
  assert.ok(errors.length > 0, 'expected the card to be rejected');
  assert.ok(
    errors.some((e) => pattern.test(e)),
    `expected an error matching ${pattern}, got:\n${errors.join('\n')}`,
  );
}

describe('validateCard', function () {
  it('accepts a 1.5 card with Action.Execute, RichTextBlock/TextRun, Input.Text, Action.ShowCard and msteams', function () {
    const card = validCard();
    assert.deepEqual(validateCard(card), []);
    assert.deepEqual(card, validCard(), 'validation leaves the card as it was');
  });

  it('rejects an unknown element type, in the schema and in the adaptivecards parser', function () {
    const card = validCard();
    body(card).push({ type: 'Paragraph', text: 'x' });
    const errors = validateCard(card);
    assertRejected(errors, /^schema: \/body\/5: unknown type "Paragraph"$/);
    assertRejected(errors, /^adaptivecards: UnknownElementType: .*Paragraph/);
  });

  it('rejects an element of a later schema version (Carousel, 1.6) that the library knows', function () {
    const card = validCard();
    body(card).push({ type: 'Carousel', pages: [] });
    assertRejected(validateCard(card), /^schema: \/body\/5: unknown type "Carousel"$/);
  });

  it('rejects an unknown action type, also nested in a ShowCard', function () {
    const card = validCard();
    (card.actions as unknown[]).push({ type: 'Action.Popover', title: 'x' });
    const errors = validateCard(card);
    assertRejected(errors, /^schema: \/actions\/1: unknown type "Action.Popover"$/);
    assertRejected(errors, /^adaptivecards: UnknownActionType/);
    const nested = validCard();
    const showCard = (nested.actions as { card: { actions: unknown[] } }[])[0].card;
    showCard.actions.push({ type: 'Action.Http', title: 'x' });
    assertRejected(validateCard(nested), /^schema: \/actions\/0\/card\/actions\/1: unknown type "Action.Http"$/);
  });

  it('rejects an element where only an inline belongs', function () {
    const card = validCard();
    body(card).push({ type: 'TextRun', text: 'x' });
    const errors = validateCard(card);
    assertRejected(errors, /^schema: \/body\/5: type "TextRun" is not allowed here$/);
    assertRejected(errors, /^adaptivecards: parsing failed: .*TextRun/);
  });

  it('rejects a property of the wrong type, naming only that property', function () {
    const card = validCard();
    body(card)[0].wrap = 'yes';
    assert.deepEqual(validateCard(card), ['schema: /body/0/wrap: must be boolean']);
  });

  it('rejects an unknown property and an invalid enum value', function () {
    const card = validCard();
    body(card)[0].colour = 'red';
    body(card)[0].size = 'huge';
    const errors = validateCard(card);
    assertRejected(errors, /^schema: \/body\/0: unknown property "colour"$/);
    assertRejected(errors, /^adaptivecards: InvalidPropertyValue: .*huge/);
  });

  it('rejects an element without a type', function () {
    const card = validCard();
    body(card).push({ text: 'no type' });
    assertRejected(validateCard(card), /^schema: \/body\/5: must have required property 'type'$/);
  });

  it(`rejects a card over ${MAX_CARD_BYTES} bytes`, function () {
    const card = validCard();
    for (let i = 0; i < 30; i++) body(card).push({ type: 'TextBlock', text: 'x'.repeat(1000), wrap: true });
    assert.ok(Buffer.byteLength(JSON.stringify(card)) > 30 * 1000);
    assert.deepEqual(validateCard(card), [
      `size: ${Buffer.byteLength(JSON.stringify(card))} bytes of JSON, over the ${MAX_CARD_BYTES}-byte budget`,
    ]);
  });

  it('counts bytes, not characters', function () {
    const card = validCard();
    // 15 000 'ë' stay under the budget counted in characters, but are 30 000 bytes in UTF-8.
    body(card).push({ type: 'TextBlock', text: 'ë'.repeat(15_000), wrap: true });
    assertRejected(validateCard(card), /^size: /);
  });

  it('rejects version 1.6 and a missing version', function () {
    const newer = validCard();
    newer.version = '1.6';
    assertRejected(validateCard(newer), /^root: version "1.6" is above 1.5/);
    const missing = validCard();
    delete missing.version;
    assertRejected(validateCard(missing), /^root: version is missing/);
  });

  it('rejects a root that is not an AdaptiveCard', function () {
    assertRejected(validateCard({ ...validCard(), type: 'Card' }), /^root: type must be "AdaptiveCard"/);
    assert.deepEqual(validateCard([validCard()]), ['json: the card is not a JSON object']);
  });

  it('rejects an unbound ${title} anywhere in the card', function () {
    const card = validCard();
    body(card)[0].text = 'Vergadering ${title}';
    assert.deepEqual(validateCard(card), ['template: /body/0/text: unbound template expression "${title}"']);
    const inData = validCard();
    (body(inData)[4].actions as Record<string, unknown>[])[0].data = { meetingId: '${meeting.id}' };
    assertRejected(validateCard(inData), /^template: \/body\/4\/actions\/0\/data\/meetingId: /);
  });

  it('accepts a literal ${…} the caller put in the data, and only that one', function () {
    const userText = 'Budget ${x} volgens bijlage';
    const card = validCard();
    body(card)[0].text = userText;
    assert.deepEqual(validateCard(card, { allowedLiterals: [userText] }), []);
    body(card)[1].inlines = [{ type: 'TextRun', text: '${item.title}' }];
    assertRejected(validateCard(card, { allowedLiterals: [userText] }), /^template: \/body\/1\/inlines\/0\/text: /);
  });

  it('rejects duplicate input ids, which would make one input overwrite the other', function () {
    const card = validCard();
    body(card).push({ type: 'Input.Text', id: 'text', label: 'Nog een' });
    assertRejected(validateCard(card), /^adaptivecards: DuplicateId: .*"text"/);
  });

  it(`accepts ${MAX_TEAMS_ACTIONS} buttons in a row, as Teams shows, and rejects more`, function () {
    const card = validCard();
    const buttons = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'Action.Execute', title: `Knop ${i + 1}`, verb: `v${i}` }));
    card.actions = buttons(MAX_TEAMS_ACTIONS);
    assert.deepEqual(validateCard(card), []);
    card.actions = buttons(MAX_TEAMS_ACTIONS + 1);
    assertRejected(validateCard(card), /^adaptivecards: TooManyActions/);
  });
});
