// The proposal (voorstel) parser: the three real documents in test/fixtures/seeds, their layouts
// (tab-separated header pairs, one label per line, multi-line values), and the variants users paste.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Proposal } from '../../services/meeting/types';
import { parseProposal } from '../../services/proposal/parseProposal';

function readSeed(name: string): string {
  // Resolved from the compiled file, dist/test/unit/proposal.test.js.
  return readFileSync(path.resolve(__dirname, '../../../test/fixtures/seeds', name), 'utf8');
}

/** Matching ignores case and runs of whitespace. */
function norm(text: string | undefined): string | undefined {
  return text?.replace(/\s+/g, ' ').trim().toLowerCase();
}

function assertText(actual: string | undefined, expected: string | undefined, field: string): void {
  assert.equal(norm(actual), norm(expected), field);
}

/** The proposal without the text it was read from, for comparing two parses of one document. */
function fields(proposal: Proposal): Omit<Proposal, 'text'> {
  const { text: _text, ...rest } = proposal;
  return rest;
}

const SEED_000 = '000_d503e02e00b97ef2.txt';
const SEED_001 = '001_48c68ed017299e19.txt';
const SEED_004 = '004_7f22f93ee74a59e8.txt';

const HEADER_ONLY = [
  'ONDERWERP\tBegroting 2025\tAGENDAPUNT\tB3',
  'DATUM\t5 maart 2025',
  'OPENBAAR\tnee\tBEHANDELD DOOR\tJ. Jansen',
  'PORTEFEUILLEHOUDER\tBurgemeester De Vries',
].join('\n');

describe('parseProposal', () => {
  describe('seed 000: tab-separated header pairs', () => {
    const proposal = parseProposal(readSeed(SEED_000));

    it('reads the header', () => {
      assertText(proposal.subject, 'Bestuurlijke aansturing van de domeinen Zorg, Veiligheid en Straf.', 'subject');
      assert.equal(proposal.itemCode, 'E01a');
      assertText(proposal.date, '1 februari 2016', 'date');
      assert.equal(proposal.public, true);
      assertText(proposal.handledBy, 'T. Hijkoop', 'handledBy');
      assert.equal(proposal.phone, '0610836521');
      assertText(proposal.portfolioHolder, 'S.W.J.G. Schelberg', 'portfolioHolder');
    });

    it('treats the "[Registratienummer]" placeholder as absent', () => {
      assert.equal(proposal.registrationNumber, undefined);
      assert.ok(!('registrationNumber' in proposal));
    });

    it('keeps the values as written, whitespace collapsed', () => {
      assert.equal(proposal.handledBy, 'T. Hijkoop');
      assert.equal(proposal.portfolioHolder, 'S.W.J.G. Schelberg');
    });

    it('takes an advice without numbered points as its single point', () => {
      assert.ok(proposal.adviceIntro?.startsWith('Het DVO wordt geadviseerd in te stemmen met de voorgestelde aansturing'));
      assert.ok(proposal.adviceIntro?.endsWith('vertegenwoordigd moet zijn.'));
      assert.deepEqual(proposal.advice, [proposal.adviceIntro]);
    });

    it('reads the summary and the attachments', () => {
      assert.ok(proposal.summary?.startsWith('Met de komst van Veilig Thuis Twente'));
      assert.ok(proposal.summary?.endsWith('tot één projectgroep samen gevoegd worden.'));
      assert.deepEqual(proposal.attachments, [
        'Advies over de doorontwikkeling van de aansturing op het snijvlak van de domeinen zorg, veiligheid en straf.',
      ]);
    });

    it('misses nothing and keeps the text', () => {
      assert.deepEqual(proposal.missing, []);
      assert.equal(proposal.text, readSeed(SEED_000).trim());
    });
  });

  describe('seed 001: one label per line, multi-line values', () => {
    const proposal = parseProposal(readSeed(SEED_001));

    it('reads the header', () => {
      assert.equal(proposal.subject, 'VOORSTEL POSITIONERING VEILIGHEIDSHUIS TWENTE EN VEILIG THUIS TWENTE');
      assert.equal(proposal.itemCode, 'C02A');
      assert.equal(proposal.date, '10 JULI 2017');
      assert.equal(proposal.public, true);
      assert.equal(proposal.handledBy, 'T. HIJKOOP EN J. COZIJNSEN');
      assert.equal(proposal.portfolioHolder, 'S. SCHELBERG');
    });

    it('leaves empty labels absent', () => {
      assert.equal(proposal.registrationNumber, undefined);
      assert.equal(proposal.phone, undefined);
    });

    it('reads the introduction and the six numbered points, and none of the later lists', () => {
      assert.ok(proposal.adviceIntro?.startsWith('Het DVO wordt gevraagd in te stemmen met het besluit van de Stuurgroep'));
      assert.ok(proposal.adviceIntro?.endsWith('De Stuurgroep ZVS besluit:'));
      assert.equal(proposal.advice.length, 6);
      assert.ok(proposal.advice[0].startsWith('Kennis te nemen van het uitgebrachte advies'));
      assert.ok(proposal.advice[1].startsWith('In te stemmen met'));
      assert.equal(proposal.advice[2], 'Het VHT te positioneren als netwerkorganisatie onder Veiligheidsregio Twente;');
      assert.ok(proposal.advice[3].startsWith('Manager VHT opdracht te geven'));
      assert.equal(proposal.advice[4], 'Dit besluit ter instemming door te geleiden naar het DVO;');
      assert.ok(proposal.advice[5].startsWith('Kennis te nemen van het door de Bestuurscommissie'));
      assert.ok(proposal.advice.every((point) => !/^\d/.test(point)));
    });

    it('ends the summary at the next heading', () => {
      assert.ok(proposal.summary?.startsWith('Optimaal samen werken aan veiligheid'));
      assert.ok(proposal.summary?.endsWith('een eigen gezicht, identiteit en positie.'));
    });

    it('reads the attachment and misses nothing', () => {
      assert.deepEqual(proposal.attachments, ['C02b Definitief advies Positionering Veilig Thuis - Veiligheidshuis']);
      assert.deepEqual(proposal.missing, []);
    });
  });

  describe('seed 004: a title under AGENDAPUNT, "ADVIES AAN HET DVO"', () => {
    const proposal = parseProposal(readSeed(SEED_004));

    it('reads the header', () => {
      assert.equal(proposal.subject, 'VERSTERKINGSAGENDA ZORG EN VEILIGHEID');
      assert.equal(proposal.date, '13 OKTOBER 2022');
      assert.equal(proposal.public, true);
      assert.equal(proposal.handledBy, "S. HUIS IN 'T VELD");
      assert.equal(proposal.phone, '06-25741399');
      assert.equal(proposal.portfolioHolder, 'BURGEMEESTER WELMAN');
      assert.equal(proposal.registrationNumber, undefined);
    });

    it('does not take a title for an item code, and reports it missing', () => {
      assert.equal(proposal.itemCode, undefined);
      assert.deepEqual(proposal.missing, ['agendapunt']);
    });

    it('reads the three advice points and none of the later lists', () => {
      assert.deepEqual(proposal.advice, [
        'Kennis te nemen van het advies Versterkingsagenda Zorg en Veiligheid Twente',
        'Voorgesteld wordt om in het verlengde van de stuurgroep Zorg- Veiligheid en Straf een regionale projectleider Zorg- Veiligheid en Straf te betrekken;',
        'Een regionale agenda zorg en veiligheid op te stellen.',
      ]);
      assert.equal(proposal.adviceIntro, undefined);
    });

    it('reads the attachments at the end of the document', () => {
      assert.deepEqual(proposal.attachments, [
        'Versterkingsagenda Zorg en Veiligheid Twente',
        'Bijlagen bij het advies versterkingsagenda Z&V Twente',
      ]);
    });
  });

  describe('layout variants', () => {
    it('reads CRLF input as LF input', () => {
      for (const seed of [SEED_000, SEED_001, SEED_004]) {
        const lf = readSeed(seed).replace(/\r\n/g, '\n');
        const crlf = lf.replace(/\n/g, '\r\n');
        assert.deepEqual(fields(parseProposal(crlf)), fields(parseProposal(lf)), seed);
      }
    });

    it('reads header pairs whose tabs became spaces', () => {
      const tabbed = parseProposal(readSeed(SEED_000));
      for (const separator of [' ', '  ', ' \t ']) {
        const proposal = parseProposal(readSeed(SEED_000).replace(/\t+/g, separator));
        for (const field of ['subject', 'itemCode', 'date', 'public', 'handledBy', 'phone', 'portfolioHolder'] as const) {
          assert.equal(proposal[field], tabbed[field], `${field} with separator ${JSON.stringify(separator)}`);
        }
      }
    });

    it('reads "Label: value" lines in mixed case', () => {
      const proposal = parseProposal(
        [
          'Onderwerp: Begroting 2025',
          'Agendapunt: B3.',
          'Datum: 5 maart 2025',
          'openbaar : Nee',
          'Behandeld door: J. Jansen',
          'Registratienummer: 2025/123',
          'Telefoon: 06 12345678',
          'Portefeuillehouder: burgemeester De Vries',
          '',
          'Advies:',
          '1. In te stemmen met de begroting 2025;',
          '2. De begroting ter vaststelling aan te bieden.',
          '',
          'Bijlagen: Begroting 2025; Toelichting begroting',
        ].join('\n'),
      );
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.itemCode, 'B3');
      assert.equal(proposal.date, '5 maart 2025');
      assert.equal(proposal.public, false);
      assert.equal(proposal.handledBy, 'J. Jansen');
      assert.equal(proposal.registrationNumber, '2025/123');
      assert.equal(proposal.phone, '06 12345678');
      assert.equal(proposal.portfolioHolder, 'burgemeester De Vries');
      assert.deepEqual(proposal.advice, ['In te stemmen met de begroting 2025;', 'De begroting ter vaststelling aan te bieden.']);
      assert.deepEqual(proposal.attachments, ['Begroting 2025', 'Toelichting begroting']);
      assert.deepEqual(proposal.missing, []);
    });

    it('reads "Label: value" pairs on one line', () => {
      const proposal = parseProposal('Onderwerp: Begroting 2025 Agendapunt: B3\nDatum: 5 maart 2025 Openbaar: ja');
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.itemCode, 'B3');
      assert.equal(proposal.date, '5 maart 2025');
      assert.equal(proposal.public, true);
    });

    it('reads Markdown: bold labels, bullets, heading marks, bold advice points', () => {
      const proposal = parseProposal(
        [
          '**Onderwerp:** Begroting 2025',
          '- **Agendapunt:** D1',
          '- **Datum:** 5 maart 2025',
          '- **Openbaar:** ja',
          '- **Behandeld door:** J. Jansen',
          '- **Portefeuillehouder:** *burgemeester De Vries*',
          '',
          '## Advies',
          '',
          'Het DVO wordt gevraagd:',
          '',
          '1. **In te stemmen** met de begroting;',
          '2. Kennis te nemen van:',
          '   - de toelichting;',
          '   - de risicoparagraaf.',
          '',
          '## Toelichting',
          '',
          '1. Dit is geen advies.',
          '',
          '**Bijlagen**',
          '- Begroting 2025',
          '- *Toelichting*',
        ].join('\n'),
      );
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.itemCode, 'D1');
      assert.equal(proposal.portfolioHolder, 'burgemeester De Vries');
      assert.equal(proposal.adviceIntro, 'Het DVO wordt gevraagd:');
      assert.deepEqual(proposal.advice, ['In te stemmen met de begroting;', 'Kennis te nemen van: de toelichting; de risicoparagraaf.']);
      assert.deepEqual(proposal.attachments, ['Begroting 2025', 'Toelichting']);
      assert.deepEqual(proposal.missing, []);
    });

    it('reads a Markdown table header', () => {
      const proposal = parseProposal(
        ['| ONDERWERP | Begroting 2025 | AGENDAPUNT | 3.2 |', '|---|---|---|---|', '| DATUM | 5 maart 2025 | OPENBAAR | nee |'].join('\n'),
      );
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.itemCode, '3.2');
      assert.equal(proposal.date, '5 maart 2025');
      assert.equal(proposal.public, false);
    });

    it('reads a row of labels with the values on the next row', () => {
      const proposal = parseProposal('ONDERWERP\tAGENDAPUNT\tDATUM\nBegroting 2025\tE01a\t5 maart 2025');
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.itemCode, 'E01a');
      assert.equal(proposal.date, '5 maart 2025');
    });

    it('reads a label with its value after a blank line', () => {
      const proposal = parseProposal('ONDERWERP\n\nBegroting 2025\n\nAGENDAPUNT\n\nB3');
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.itemCode, 'B3');
    });

    it('treats non-breaking spaces as spaces', () => {
      const proposal = parseProposal('ONDERWERP\u00a0Begroting\u00a0\u00a02025\nBEHANDELD\u00a0DOOR\tJ.\u00a0Jansen');
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.handledBy, 'J. Jansen');
    });

    it('reads a document that is only the header', () => {
      const proposal = parseProposal(HEADER_ONLY);
      assert.equal(proposal.subject, 'Begroting 2025');
      assert.equal(proposal.itemCode, 'B3');
      assert.equal(proposal.public, false);
      assert.equal(proposal.portfolioHolder, 'Burgemeester De Vries');
      assert.deepEqual(proposal.advice, []);
      assert.deepEqual(proposal.attachments, []);
      assert.equal(proposal.adviceIntro, undefined);
      assert.equal(proposal.summary, undefined);
      assert.deepEqual(proposal.missing, ['advies', 'bijlagen']);
    });

    it('reads on past a header row that starts with a heading word', () => {
      const proposal = parseProposal('ONDERWERP\tBegroting 2025\nBIJLAGEN\t2\nPORTEFEUILLEHOUDER\tJ. Jansen\n\nAdvies\n\nAkkoord.');
      assert.equal(proposal.portfolioHolder, 'J. Jansen');
      assert.deepEqual(proposal.advice, ['Akkoord.']);
    });

    it('reads the seeds with every blank line removed or doubled', () => {
      for (const seed of [SEED_000, SEED_001, SEED_004]) {
        const text = readSeed(seed).replace(/\r\n/g, '\n');
        const expected = fields(parseProposal(text));
        assert.deepEqual(fields(parseProposal(text.replace(/\n\s*\n/g, '\n'))), expected, `${seed} without blank lines`);
        assert.deepEqual(fields(parseProposal(text.replace(/\n/g, '\n\n'))), expected, `${seed} with blank lines doubled`);
      }
    });

    it('reads the seeds with Markdown headings and bold labels', () => {
      const labels = /\b(ONDERWERP|AGENDAPUNT|DATUM|OPENBAAR|BEHANDELD DOOR|REGISTRATIENUMMER|TELEFOONNUMMER|PORTEFEUILLEHOUDER)\b/g;
      const headings = /^(Besluit|Advies|ADVIES AAN HET DVO|Samenvatting|Toelichting|Bijlage\(n\)|Bijlagen:|Overwegingen)$/gm;
      for (const seed of [SEED_000, SEED_001, SEED_004]) {
        const text = readSeed(seed);
        const markdown = text.replace(labels, '**$1**').replace(headings, '## $1');
        assert.deepEqual(fields(parseProposal(markdown)), fields(parseProposal(text)), seed);
      }
    });

    it('reads a "Besluit" heading without "Advies", ended by "Vervolg"', () => {
      const proposal = parseProposal(
        `${HEADER_ONLY}\n\nBesluit\n\nIn te stemmen met de begroting.\n\nVervolg\n\nNa vaststelling volgt publicatie.`,
      );
      assert.deepEqual(proposal.advice, ['In te stemmen met de begroting.']);
    });
  });

  describe('OPENBAAR', () => {
    const cases: Array<[string, boolean | undefined]> = [
      ['OPENBAAR nee', false],
      ['OPENBAAR\tNEE', false],
      ['openbaar: Nee', false],
      ['Openbaar\nnee', false],
      ['OPENBAAR ja', true],
      ['OPENBAAR\tJA\tBEHANDELD DOOR\tX', true],
      ['OPENBAAR', undefined],
      ['OPENBAAR misschien', undefined],
      ['OPENBAAR n.v.t.', undefined],
      ['ONDERWERP X', undefined],
    ];
    for (const [text, expected] of cases) {
      it(`${JSON.stringify(text)} → ${String(expected)}`, () => {
        const proposal = parseProposal(text);
        assert.equal(proposal.public, expected);
        assert.equal(proposal.missing.includes('openbaar'), expected === undefined);
      });
    }

    it('makes a seed closed when it says "OPENBAAR nee"', () => {
      const proposal = parseProposal(readSeed(SEED_000).replace('OPENBAAR\tja', 'OPENBAAR\tnee'));
      assert.equal(proposal.public, false);
      assert.equal(proposal.handledBy, 'T. Hijkoop');
    });
  });

  describe('AGENDAPUNT', () => {
    const cases: Array<[string, string | undefined]> = [
      ['A', 'A'],
      ['D1', 'D1'],
      ['E01a', 'E01a'],
      ['C02A', 'C02A'],
      ['3.2', '3.2'],
      ['7', '7'],
      ['B3.', 'B3'],
      ['VERSTERKINGSAGENDA ZORG EN VEILIGHEID', undefined],
      ['Mededelingen', undefined],
      ['[Agendapunt]', undefined],
      ['', undefined],
    ];
    for (const [value, expected] of cases) {
      it(`${JSON.stringify(value)} → ${String(expected)}`, () => {
        assert.equal(parseProposal(`AGENDAPUNT\t${value}`).itemCode, expected);
      });
    }
  });

  describe('texts that are not proposals', () => {
    const cases = ['', '   ', 'hello', 'ONDERWERP iets anders', 'Advies', 'Bijlagen', '1. 2. 3.', '**', '| | |'];
    for (const text of cases) {
      it(`returns a proposal for ${JSON.stringify(text)}`, () => {
        const proposal = parseProposal(text);
        assert.equal(proposal.text, text.trim());
        assert.ok(Array.isArray(proposal.advice));
        assert.ok(Array.isArray(proposal.attachments));
        assert.ok(proposal.missing.length >= 6, proposal.missing.join(', '));
        assert.ok(!proposal.missing.includes('registratienummer'));
      });
    }

    it('reads the subject of "ONDERWERP iets anders" and misses the rest', () => {
      const proposal = parseProposal('ONDERWERP iets anders');
      assert.equal(proposal.subject, 'iets anders');
      assert.deepEqual(proposal.missing, ['agendapunt', 'datum', 'openbaar', 'behandeld door', 'portefeuillehouder', 'advies', 'bijlagen']);
    });

    it('finds no proposal in a list of decisions (besluitenlijst)', () => {
      const proposal = parseProposal(readSeed('002_f93e6401f0b18ddb.txt'));
      assert.equal(proposal.subject, undefined);
      assert.deepEqual(proposal.advice, []);
      assert.ok(proposal.missing.includes('onderwerp'));
    });
  });

  describe('large inputs', () => {
    const SIZE = 60 * 1024;

    function repeatTo(unit: string): string {
      return unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
    }

    const cases: Array<[string, string]> = [
      ['a seed with a long advice', readSeed(SEED_001).replace('Samenvatting', repeatTo('9. Nog een punt;\n'))],
      ['one long line', repeatTo('Onderwerp van gesprek, datum en tijd: ')],
      ['many labels', repeatTo('ONDERWERP\tAGENDAPUNT  DATUM OPENBAAR: ')],
      ['many headings', repeatTo('Bijlagen\n\nAdvies\nSamenvatting\n')],
      ['Markdown marks', repeatTo('*_*_ **a__')],
      ['whitespace', `ONDERWERP${' '.repeat(SIZE)}x`],
      ['a label waiting for a value', `PORTEFEUILLEHOUDER\n${repeatTo('x\n')}`],
    ];
    for (const [name, text] of cases) {
      it(`parses ${name} (60 KB)`, () => {
        assert.ok(text.length >= SIZE - 100);
        const proposal = parseProposal(text);
        assert.equal(proposal.text, text.trim());
      });
    }

    it('reads the advice points of a long advice', () => {
      const proposal = parseProposal(readSeed(SEED_001).replace('Samenvatting', repeatTo('9. Nog een punt;\n')));
      assert.ok(proposal.advice.length > 1000);
    });
  });
});

describe('parseProposal: an English proposal', () => {
  const text = [
    'PROPOSAL',
    'Subject: Joint approach to subversive crime in Twente',
    'Agenda item: D3',
    'Date: 12 December 2026',
    'Public: no',
    'Handled by: J. Jansen',
    'Portfolio holder: G.J. Kok',
    '',
    'Summary',
    'The districts agree on one approach to subversive crime.',
    '',
    'Advice',
    'The board is advised to:',
    '1. adopt the joint approach;',
    '2. ask the platform to report in June.',
    '',
    'Attachments',
    '- Memo joint approach',
  ].join('\n');
  const proposal = parseProposal(text);

  it('reads the labels as the Dutch ones: subject, item, date, public, handled by, portfolio holder', () => {
    assert.equal(proposal.subject, 'Joint approach to subversive crime in Twente');
    assert.equal(proposal.itemCode, 'D3');
    assert.equal(proposal.date, '12 December 2026');
    assert.equal(proposal.public, false, '"Public: no" makes the item closed');
    assert.equal(proposal.handledBy, 'J. Jansen');
    assert.equal(proposal.portfolioHolder, 'G.J. Kok');
  });

  it('reads the summary, the advice points and the attachments', () => {
    assert.equal(proposal.summary, 'The districts agree on one approach to subversive crime.');
    assert.deepEqual(proposal.advice, ['adopt the joint approach;', 'ask the platform to report in June.']);
    assert.deepEqual(proposal.attachments, ['Memo joint approach']);
    assert.deepEqual(proposal.missing, []);
  });

  it('reads "Public: yes", "confidential" and "closed" too', () => {
    assert.equal(parseProposal('Subject: x\nPublic: yes').public, true);
    assert.equal(parseProposal('Subject: x\nPublic: confidential').public, false);
    assert.equal(parseProposal('Subject: x\nPublic: closed').public, false);
  });
});
