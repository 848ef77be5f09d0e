// The text and card-data parser: one Command whatever the way in.
import assert from 'node:assert/strict';
import { parseCardData, parseText } from '../../bot/commands';

describe('commands: typed text', () => {
  const cases: [string, unknown][] = [
    ['help', { kind: 'help' }],
    ['HULP', { kind: 'help' }],
    ['agenda', { kind: 'showAgenda' }],
    ['agenda\nA Opening\nB Mededelingen', { kind: 'setAgenda', lines: ['A Opening', 'B Mededelingen'] }],
    ['volgende', { kind: 'next' }],
    ['Next', { kind: 'next' }],
    ['punt D1', { kind: 'goTo', code: 'D1' }],
    ['item e01a', { kind: 'goTo', code: 'e01a' }],
    ['mededeling: Het budget is rond.', { kind: 'announcement', text: 'Het budget is rond.', onBehalfOf: undefined }],
    ['mededeling namens M. Stegers: Subsidie', { kind: 'announcement', text: 'Subsidie', onBehalfOf: 'M. Stegers' }],
    ['announcement on behalf of A. Raven: x', { kind: 'announcement', text: 'x', onBehalfOf: 'A. Raven' }],
    ['rondvraag: Wie?', { kind: 'question', text: 'Wie?', onBehalfOf: undefined }],
    ['verslag: Welkom.', { kind: 'note', code: undefined, text: 'Welkom.' }],
    ['verslag D1: Toelichting.', { kind: 'note', code: 'D1', text: 'Toelichting.' }],
    ['besluit: Akkoord. [akkoord]', { kind: 'decision', code: undefined, outcome: 'agreed', text: 'Akkoord.' }],
    ['besluit C: Vastgesteld [vastgesteld]', { kind: 'decision', code: 'C', outcome: 'adopted', text: 'Vastgesteld' }],
    ['besluit: Tekst [onbekend]', { kind: 'decision', code: undefined, outcome: undefined, text: 'Tekst [onbekend]' }],
    [
      'actie O. van Veldhuizen: Gesprekken [voor 01-12-2016]',
      { kind: 'action', owner: 'O. van Veldhuizen', ownerUser: undefined, text: 'Gesprekken', due: '01-12-2016' },
    ],
    ['gereed 3', { kind: 'done', label: '3' }],
    ['gereed V2', { kind: 'done', label: 'V2' }],
    ['gereed', { kind: 'invalid', reason: 'doneNeedsNumber' }],
    ['aanwezig: A, B en C', { kind: 'attendance', which: 'present', names: ['A', 'B', 'C'] }],
    ['afwezig: J. aan de Stegge, J. Slot', { kind: 'attendance', which: 'absent', names: ['J. aan de Stegge', 'J. Slot'] }],
    ['afmelden', { kind: 'apologies' }],
    ['voorzitter', { kind: 'invalid', reason: 'chairNeedsMention' }],
    ['sluiten', { kind: 'close' }],
    ['publish', { kind: 'publish', date: undefined }],
    ['publiceren 10-10-2016', { kind: 'publish', date: '10-10-2016' }],
    ['besluitenlijst 2016-10-10', { kind: 'minutes', date: '2016-10-10' }],
    ['annuleren', { kind: 'cancel', date: undefined, confirmed: false }],
    [
      'wijzig besluit 3: Nieuw. [afgewezen]',
      { kind: 'correct', record: 'decision', label: '3', remove: false, body: 'Nieuw. [afgewezen]', ownerUser: undefined },
    ],
    ['verwijder mededeling 2', { kind: 'correct', record: 'announcement', label: '2', remove: true, body: '', ownerUser: undefined }],
    ['remove decision V1', { kind: 'correct', record: 'decision', label: 'V1', remove: true, body: '', ownerUser: undefined }],
    ['wijzig vergadering\nlocatie: Hengelo', { kind: 'editMeeting', fields: { locatie: 'Hengelo' }, date: undefined }],
    [
      'wijzig vergadering 10-10-2016\ntijden per punt: ja',
      { kind: 'editMeeting', fields: { 'tijden per punt': 'ja' }, date: '10-10-2016' },
    ],
    ['wijzig', { kind: 'invalid', reason: 'correctionNeedsRecord' }],
    ['constructor', { kind: 'unknown', word: 'constructor' }],
    ['toString', { kind: 'unknown', word: 'toString' }],
    ['blabla', { kind: 'unknown', word: 'blabla' }],
  ];
  for (const [text, expected] of cases) it(JSON.stringify(text), () => assert.deepEqual(parseText(text), expected));

  it('reads the meeting lines', () => {
    const cmd = parseText('vergadering\ntitel: DVO\ndatum: 10-10-2016\ntijd: 10:30-12:00\nleden: A, B');
    assert.deepEqual(cmd, { kind: 'plan', fields: { titel: 'DVO', datum: '10-10-2016', tijd: '10:30-12:00', leden: 'A, B' } });
  });

  it('binds the chair to the mentioned user, not to a typed name', () => {
    const person = { id: '29:x', name: 'O. van Veldhuizen' };
    assert.deepEqual(parseText('voorzitter <at>O. van Veldhuizen</at>', [{ text: '<at>O. van Veldhuizen</at>', person }]), {
      kind: 'setChair',
      chair: person,
    });
  });

  it('keeps user text verbatim', () => {
    const text = 'Test ${foo} <script>alert(1)</script> **vet** | pijp |';
    assert.deepEqual(parseText(`mededeling: ${text}`), { kind: 'announcement', text, onBehalfOf: undefined });
  });
});

describe('commands: card data', () => {
  it('maps a card action to the same command as its text', () => {
    assert.deepEqual(parseCardData({ verb: 'announcement', meetingId: 'm1', card: 'agenda', announcementText: 'x' }).command, {
      kind: 'announcement',
      text: 'x',
      onBehalfOf: undefined,
    });
    assert.deepEqual(parseCardData({ verb: 'goTo', meetingId: 'm1', itemId: 'abc' }).command, { kind: 'goTo', itemId: 'abc' });
    assert.deepEqual(
      parseCardData({ verb: 'decision', meetingId: 'm1', itemId: 'i1', decisionText: 'Akkoord', outcome: 'agreed' }).command,
      {
        kind: 'decision',
        text: 'Akkoord',
        outcome: 'agreed',
        itemId: 'i1',
      },
    );
    assert.deepEqual(parseCardData({ verb: 'note', meetingId: 'm1', itemId: 'i1', noteText: 'Welkom' }).command, {
      kind: 'note',
      text: 'Welkom',
      itemId: 'i1',
    });
    assert.deepEqual(
      parseCardData({ verb: 'action', meetingId: 'm1', itemId: 'i1', owner: 'A', actionText: 'Doen', due: '2026-12-01' }).command,
      {
        kind: 'action',
        owner: 'A',
        text: 'Doen',
        due: '2026-12-01',
        itemId: 'i1',
      },
    );
  });

  const forged: [string, unknown][] = [
    ['not an object', 'x'],
    ['an array', []],
    ['no verb', {}],
    ['an unknown verb', { verb: 'dropTables' }],
    ['an extra field', { verb: 'start', meetingId: 'm', evil: 1 }],
    ['a missing field', { verb: 'note', meetingId: 'm', itemId: 'i1' }],
    ['a verb named after Object.prototype', { verb: 'constructor' }],
    ['another one', { verb: 'toString', meetingId: 'm' }],
    ['__proto__', { verb: '__proto__' }],
    ['a path as id', { verb: 'goTo', meetingId: 'x', itemId: '../../etc/passwd' }],
    ['a wrong type', { verb: 'done', number: 'abc' }],
  ];
  for (const [what, data] of forged)
    it(`refuses ${what}`, () => assert.deepEqual(parseCardData(data).command, { kind: 'invalid', reason: 'badCardData' }));
});
