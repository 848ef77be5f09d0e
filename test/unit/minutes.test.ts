// The besluitenlijst: model rules, the .docx read back as text, the Markdown text, the package, and a
// LibreOffice round trip proving the documents open in a real word processor.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import type { Series } from '../../services/meeting/types';
import { strings } from '../../services/i18n';
import { renderDocx } from '../../services/minutes/docx';
import { renderDraftPage } from '../../services/minutes/draftPage';
import { escapeMarkdown, renderMarkdown } from '../../services/minutes/markdown';
import { dictatedList, dutchDate, joinNames, minutesModel, timeRange } from '../../services/minutes/model';
import {
  buildMinutesPackage,
  partOfFileName,
  cutToBytes,
  meetingFolderName,
  minutesFileName,
  safeFileTitle,
  seriesIdOf,
} from '../../services/minutes/package';
import {
  otherChatSeries,
  SECRET_ACTION,
  SECRET_DECISION,
  SECRET_PHRASE,
  SECRET_TITLE,
  seriesWithClosedItem,
} from '../support/closedMeeting';
import { HOSTILE_ANNOUNCEMENT, OCTOBER_MEETING_ID, PRESENT, SECRETARY, seedSeries } from '../support/seedMeeting';

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|quot|apos|amp);/gi, (_, entity: string) => {
    if (entity[0] === '#') {
      const hex = entity[1] === 'x' || entity[1] === 'X';
      return String.fromCodePoint(parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10));
    }
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[entity.toLowerCase()] ?? '';
  });
}

async function docxPart(docx: Buffer, path: string): Promise<string> {
  const zip = await JSZip.loadAsync(docx);
  const file = zip.file(path);
  assert.ok(file, `${path} missing from the .docx`);
  return file.async('string');
}

/** The document's text: paragraphs end in a newline, table cells in a tab. */
async function docxText(docx: Buffer): Promise<string> {
  const xml = await docxPart(docx, 'word/document.xml');
  const text = xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<\/w:tc>/g, '\t')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '');
  return decodeEntities(text);
}

/** The text of every table cell, trimmed, so a cell holding only an item code can be found. */
function cells(text: string): string[] {
  return text.split('\t').map((c) => c.trim());
}

/** Asserts the parts occur in this order. */
function assertInOrder(text: string, parts: string[]): void {
  let from = 0;
  for (const part of parts) {
    const at = text.indexOf(part, from);
    assert.ok(at >= 0, `"${part}" missing or out of order`);
    from = at + part.length;
  }
}

async function publicText(series: Series = seedSeries()): Promise<string> {
  return docxText(await renderDocx(minutesModel(series, OCTOBER_MEETING_ID, 'openbaar')));
}

describe('minutes: formatting helpers', () => {
  it('writes Dutch dates, times and name lists', () => {
    assert.equal(dutchDate('2016-10-10'), '10 oktober 2016');
    assert.equal(dutchDate('2016-03-01'), '1 maart 2016');
    assert.equal(timeRange('10:30', '12:00'), '10.30 – 12.00 uur');
    assert.equal(timeRange('10:30', undefined), '10.30 uur');
    assert.equal(timeRange(undefined, undefined), '');
    assert.equal(joinNames(['a']), 'a');
    assert.equal(joinNames(['a', 'b']), 'a en b');
    assert.equal(joinNames(['a', 'b', 'c']), 'a, b en c');
  });

  it('makes titles safe for file names', () => {
    assert.equal(safeFileTitle('DVO: 50% \\ / * ? " < > | # klaar.'), 'DVO 50 klaar');
    assert.equal(safeFileTitle('  a\u0007\tb  '), 'a b');
    assert.equal(safeFileTitle('???'), 'Besluitenlijst');
    assert.ok(safeFileTitle('x'.repeat(300)).length <= 80);
  });

  it('cuts a title by bytes, at code point boundaries: every name made from it fits in 255 bytes', () => {
    // 200 × "会" is 600 bytes: cut by characters alone (80) it was still 240, and the name over 255 with its suffix.
    const wide = safeFileTitle('会'.repeat(200));
    assert.ok(Buffer.byteLength(wide) <= 200, `${Buffer.byteLength(wide)} bytes`);
    assert.equal(wide, '会'.repeat(66));
    const meeting = { date: '2016-10-10', title: '会'.repeat(200) };
    for (const name of [minutesFileName(meeting, 'besloten'), `${meetingFolderName(meeting)} (100)`])
      assert.ok(Buffer.byteLength(name) <= 255, `${name}: ${Buffer.byteLength(name)} bytes`);
    // 'a' × 79 + '😀' is 81 UTF-16 units: cut at 80 units it kept half the surrogate pair.
    const emoji = safeFileTitle(`${'a'.repeat(79)}😀`);
    assert.equal(emoji, `${'a'.repeat(79)}😀`);
    assert.equal(safeFileTitle(`${'a'.repeat(80)}😀`), 'a'.repeat(80));
    for (const title of [emoji, safeFileTitle(`${'é'.repeat(150)}😀😀`), safeFileTitle(`${'b'.repeat(199)}😀`)]) {
      assert.ok(
        !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(title),
        `no half surrogate pair in ${title}`,
      );
      assert.equal(Buffer.from(title, 'utf8').toString('utf8'), title, 'survives UTF-8 unchanged');
    }
    assert.equal(cutToBytes('ab😀c', 5), 'ab');
    assert.equal(cutToBytes('ab😀c', 6), 'ab😀');
    // An unpaired surrogate typed into a title cannot reach a name either.
    assert.equal(safeFileTitle('DVO \uD83D overleg'), 'DVO overleg');
  });
});

describe('minutes: model', () => {
  it('marks absentees who sent apologies', () => {
    const series = seedSeries();
    series.meetings[1].absent[1].withNotice = true;
    const absent = minutesModel(series, OCTOBER_MEETING_ID, 'openbaar').header.find((r) => r.label === 'Afwezig');
    assert.equal(absent?.value, 'A. Gerritsen, I. Bakker (afgemeld), C. Visser, S. Dinsbach en M. Koenders');
  });

  it('adds Mededelingen and Rondvraag rows when the agenda has no such items', () => {
    const series = seedSeries();
    const meeting = series.meetings[1];
    meeting.agenda = meeting.agenda.filter((i) => i.kind !== 'announcements' && i.kind !== 'questionRound');
    meeting.questions.push({ id: 9, author: 'R. Welten', text: 'Hoe staat het met T&H OR?', by: SECRETARY, at: '' });
    const rows = minutesModel(series, OCTOBER_MEETING_ID, 'openbaar').items;
    assert.deepEqual(
      rows.map((r) => `${r.code}|${r.title}`),
      [
        'A|Opening',
        '|Mededelingen',
        'C|Besluitenlijst DVO 4 juli 2016',
        'D1|Doorontwikkeling regionale samenwerking Platform IVZ',
        'D2|Cultuuronderzoek Nationale Politie',
        '|Rondvraag',
        'F|Sluiting',
      ],
    );
    assert.equal(rows[1].blocks.length, 5);
    assert.deepEqual(
      rows[5].blocks.map((b) => b.runs.map((r) => r.text).join('')),
      ['R. Welten: Hoe staat het met T&H OR?'],
    );
  });

  it('joins several announcements of one announcer into one bullet', () => {
    const series = seedSeries();
    series.meetings[1].announcements.push({ id: 6, author: 'A. Raven', text: 'Nog een.', by: SECRETARY, at: '' });
    const b = minutesModel(series, OCTOBER_MEETING_ID, 'openbaar').items[1];
    const raven = b.blocks.filter((x) => x.runs[0].text === 'A. Raven: ');
    assert.equal(raven.length, 1);
    assert.ok(raven[0].runs[1].text.endsWith('€ 300.000. Nog een.'));
  });

  it('keeps every trace of a closed item out of the public model', () => {
    const json = JSON.stringify(minutesModel(seriesWithClosedItem(), OCTOBER_MEETING_ID, 'openbaar'));
    for (const secret of [SECRET_PHRASE, SECRET_TITLE, SECRET_DECISION, SECRET_ACTION, 'Vertrouwelijke notitie']) {
      assert.ok(!json.includes(secret), `public model leaks "${secret}"`);
    }
  });
});

describe('minutes: .docx', () => {
  let text: string;
  before(async () => {
    text = await publicText();
  });

  it('has the title, the part, the status and every meeting fact', () => {
    assertInOrder(text, [
      'BESLUITENLIJST Districtelijk Veiligheidsoverleg\n',
      'Openbaar deel\n',
      'Status: concept\n',
      'Datum\t10 oktober 2016\n',
      'Tijdstip\t10.30 – 12.00 uur\n',
      'Voorzitter\tO. van Veldhuizen\n',
      'Locatie\tMeldkamer Hengelo, Demmersweg 55\n',
      'Secretaris\tH. Meuleman\n',
      `Aanwezig\t${PRESENT.slice(0, -1).join(', ')} en J. Slot\n`,
      'Afwezig\tA. Gerritsen, I. Bakker, C. Visser, S. Dinsbach en M. Koenders\n',
      'NR\n\tAgendapunten\n\tBijlagen\n',
    ]);
  });

  it('lists every agenda item in agenda order with its content', () => {
    assertInOrder(text, [
      'A\n\tOpening\n',
      'De voorzitter opent de vergadering met een woord van welkom;',
      'B\n\tMededelingen\n',
      'M. Stegers: Het Platform IVZ heeft opnieuw een subsidie',
      'A. Raven: Stand van zaken',
      'R. Welten: Onze eenheid',
      'H. Robben: Ontwikkelingen op het terrein van burgernet',
      'C\n\tBesluitenlijst DVO 4 juli 2016\n',
      'Het verslag wordt vastgesteld. N.a.v. verslag:\n',
      'De besluitenlijst van het DVO van 4 juli 2016 wordt vastgesteld. (besluit 1, vastgesteld)\n',
      'Besluitenlijst DVO 4 juli 2016\n\t',
      'D1\n\tDoorontwikkeling regionale samenwerking Platform IVZ\n',
      'Portefeuillehouder: G.J. Kok\n',
      'Dhr. Kok geeft een toelichting',
      'Het DVO stemt in',
      '(besluit 2, akkoord)',
      'Actie 3 (O. van Veldhuizen): Individuele gesprekken met deelnemers over geleverde capaciteit – zie de actielijst\n',
      'Notitie doorontwikkeling Platform IVZ\n',
      'Animatie Platform IVZ\n',
      'D2\n\tCultuuronderzoek Nationale Politie\n',
      'Het DVO neemt kennis',
      '(besluit 3, ter kennisgeving)',
      'E\n\tRondvraag\n',
      'Wordt geen gebruik van gemaakt.\n',
      'F\n\tSluiting\n',
    ]);
  });

  it('keeps an item’s records in the order they were taken: a decision before the account that follows it', async () => {
    const series = seedSeries();
    const meeting = series.meetings[1];
    const c = meeting.agenda.find((i) => i.code === 'C')!;
    const decision = meeting.decisions.find((d) => d.itemId === c.id)!;
    decision.at = '2016-10-10T08:40:00.000Z';
    c.notes = [
      { text: 'N.a.v. verslag:', by: SECRETARY, at: '2016-10-10T08:41:00.000Z' },
      { text: 'a) Ondermijning staat op de agenda van de tweedaagse.', by: SECRETARY, at: '2016-10-10T08:42:00.000Z' },
    ];
    assertInOrder(await publicText(series), [
      'C\n\tBesluitenlijst DVO 4 juli 2016\n',
      `${decision.text} (besluit 1, vastgesteld)\n`,
      'N.a.v. verslag:\n',
      'a) Ondermijning staat op de agenda van de tweedaagse.\n',
      'D1\n',
    ]);
  });

  it('shows the hostile announcement verbatim', () => {
    assert.ok(text.includes(`J. Slot: ${HOSTILE_ANNOUNCEMENT}\n`));
  });

  it('links attachments and sets the core properties', async () => {
    const docx = await renderDocx(minutesModel(seedSeries(), OCTOBER_MEETING_ID, 'openbaar'));
    const rels = await docxPart(docx, 'word/_rels/document.xml.rels');
    assert.ok(rels.includes('Target="https://example.org/dvo/2016-07-04.pdf?a=1&amp;b=2"'));
    assert.ok(rels.includes('TargetMode="External"'));
    const core = await docxPart(docx, 'docProps/core.xml');
    assert.ok(core.includes('<dc:creator>Notulist</dc:creator>'));
    assert.ok(core.includes('<dc:title>BESLUITENLIJST Districtelijk Veiligheidsoverleg – Openbaar deel</dc:title>'));
  });

  it('lists the actions still open at the previous meeting, the one done since then once as gereed', () => {
    const actions = text.slice(text.indexOf('Actielijst\n'));
    assertInOrder(actions, [
      'Nr\n\tActie\n\tWie\n\tTermijn\n\tStatus\n',
      '1\n\tFaciliterende rol openbaar bestuur bij particuliere camerabeelden uitzoeken\nAgendapunt D1, 4 juli 2016\n\tJ. Knol\n\t\n\topen\n',
      '2\n\tStuurgroep Zorg, Veiligheid en Straf informeren\nAgendapunt D1, 4 juli 2016\n\tS. Schelberg\n\t\n\tgereed\n',
      '3\n\tIndividuele gesprekken met deelnemers over geleverde capaciteit\nAgendapunt D1, 10 oktober 2016\n\tO. van Veldhuizen\n\t1 december 2016\n\topen\n',
    ]);
  });

  it('leaves out an earlier action done before the previous meeting ended', async () => {
    const series = seedSeries();
    series.actions[1].doneAt = '2016-07-04T10:00:00.000Z';
    assert.ok(!(await publicText(series)).includes('Stuurgroep Zorg, Veiligheid en Straf informeren'));
  });

  it('shows the actions as they stood when the meeting closed, also when it is republished later', async () => {
    const series = seedSeries();
    Object.assign(series.actions[2], { status: 'done', doneAt: '2016-11-20T09:00:00.000Z' });
    const later = await publicText(series);
    assert.ok(later.includes('\n\t1 december 2016\n\topen\n'), 'done after the meeting: open in its minutes');
    series.actions[2].doneAt = '2016-10-10T10:01:00.000Z';
    assert.ok((await publicText(series)).includes('\n\t1 december 2016\n\tgereed\n'), 'done in the meeting: gereed');
  });

  it('shows a done action of this meeting as gereed and omits an empty action list', async () => {
    const series = seedSeries();
    series.actions[2].status = 'done';
    assert.ok((await publicText(series)).includes('\n\t1 december 2016\n\tgereed\n'));
    series.actions = [];
    assert.ok(!(await publicText(series)).includes('Actielijst'));
  });

  it('says on every page what the document is and that it is a concept', async () => {
    const docx = await renderDocx(minutesModel(seedSeries(), OCTOBER_MEETING_ID, 'openbaar'));
    const footer = await docxPart(docx, 'word/footer1.xml');
    assert.ok(footer.includes('Besluitenlijst Districtelijk Veiligheidsoverleg 10 oktober 2016 – openbaar deel – concept – pagina '));
  });

  it('shows the adopted status', async () => {
    const series = seedSeries();
    series.meetings[1].minutes = { status: 'adopted', adoptedOn: '2016-12-12', adoptedInMeetingId: 'x' };
    const adopted = await publicText(series);
    assert.ok(adopted.includes('Status: vastgesteld op 12 december 2016\n'));
    assert.ok(!adopted.includes('Status: concept'));
  });

  it('keeps long texts, emoji, line breaks and characters XML cannot hold', async () => {
    const series = seedSeries();
    const long = `${"Lange tekst met “quotes” en 'apostrof' 🚓🙂 ".repeat(70)}einde`.slice(0, 3000);
    assert.equal(long.length, 3000);
    const notes = series.meetings[1].agenda[0].notes;
    notes.push({ text: long, by: SECRETARY, at: '' });
    notes.push({ text: 'regel een\nregel twee\u0001', by: SECRETARY, at: '' });
    const docx = await renderDocx(minutesModel(series, OCTOBER_MEETING_ID, 'openbaar'));
    const xml = await docxPart(docx, 'word/document.xml');
    assert.ok(!xml.includes('\u0001'));
    assert.ok(xml.includes('<w:t xml:space="preserve">regel een</w:t></w:r><w:r><w:br/><w:t xml:space="preserve">'));
    assert.ok((await docxText(docx)).includes(`${long}\n`));
  });
});

describe('minutes: closed items', () => {
  it('leaves a closed item out of the public document and puts it in the besloten one', async () => {
    const pkg = await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID);
    assert.deepEqual(
      pkg.files.map((f) => [f.name, f.part]),
      [
        ['2016-10-10 Districtelijk Veiligheidsoverleg openbaar.docx', 'openbaar'],
        ['2016-10-10 Districtelijk Veiligheidsoverleg besloten.docx', 'besloten'],
      ],
    );
    const open = await docxText(pkg.files[0].content);
    for (const secret of [SECRET_PHRASE, SECRET_TITLE, SECRET_DECISION, SECRET_ACTION, 'Vertrouwelijke notitie']) {
      assert.ok(!open.includes(secret), `public document leaks "${secret}"`);
    }
    assert.ok(!cells(open).includes('G'), 'public document shows the closed item code');
    assertInOrder(open, ['D2\n\tCultuuronderzoek', 'F\n\tSluiting\n']);

    const closed = await docxText(pkg.files[1].content);
    assertInOrder(closed, [
      'BESLUITENLIJST Districtelijk Veiligheidsoverleg\n',
      'VERTROUWELIJK – besloten deel\n',
      'Status: concept\n',
      'NR\n\tAgendapunten\n\tBijlagen\n',
      `G\n\t${SECRET_TITLE}\n`,
      SECRET_PHRASE,
      `${SECRET_DECISION} (besluit 4, akkoord)\n`,
      `Actie 4 (O. van Veldhuizen): ${SECRET_ACTION} – zie de actielijst\n`,
      'Vertrouwelijke notitie\n',
      'Actielijst\n',
      `4\n\t${SECRET_ACTION}\nAgendapunt G, 10 oktober 2016\n`,
    ]);
    for (const open of ['Cultuuronderzoek', 'Individuele gesprekken', 'Faciliterende rol', HOSTILE_ANNOUNCEMENT]) {
      assert.ok(!closed.includes(open), `besloten document holds public "${open}"`);
    }
  });

  it('the besloten document says what it is in its title block and on every page; the public one says nothing of it', async () => {
    const pkg = await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID);
    const [open, closed] = pkg.files.map((f) => f.content) as [Buffer, Buffer];
    assert.ok(
      (await docxText(closed)).startsWith(
        'BESLUITENLIJST Districtelijk Veiligheidsoverleg\nVERTROUWELIJK – besloten deel\nStatus: concept\n',
      ),
      'the title block',
    );
    const zip = await JSZip.loadAsync(closed);
    const headers = Object.keys(zip.files).filter((f) => /^word\/header\d*\.xml$/.test(f));
    assert.equal(headers.length, 1);
    assert.ok(decodeEntities(await docxPart(closed, headers[0]!)).includes('VERTROUWELIJK – besloten deel'), 'every page’s header');
    // One section, so its default header and footer are on every page.
    assert.equal([...(await docxPart(closed, 'word/document.xml')).matchAll(/<w:sectPr/g)].length, 1);
    assert.match(await docxPart(closed, 'word/document.xml'), /<w:headerReference w:type="default"/);
    const footer = decodeEntities(await docxPart(closed, 'word/footer1.xml'));
    assert.ok(footer.includes('VERTROUWELIJK – Besluitenlijst Districtelijk Veiligheidsoverleg 10 oktober 2016 – besloten deel – concept'));
    assert.match(
      await docxPart(closed, 'docProps/core.xml'),
      /<dc:title>BESLUITENLIJST Districtelijk Veiligheidsoverleg – VERTROUWELIJK – besloten deel<\/dc:title>/,
    );

    const openZip = await JSZip.loadAsync(open);
    assert.deepEqual(
      Object.keys(openZip.files).filter((f) => /header/.test(f)),
      [],
    );
    assert.ok(!(await docxText(open)).includes('VERTROUWELIJK'));
    const markdown = renderMarkdown(minutesModel(seriesWithClosedItem(), OCTOBER_MEETING_ID, 'besloten'));
    assert.ok(markdown.startsWith('# BESLUITENLIJST Districtelijk Veiligheidsoverleg\n\n**VERTROUWELIJK – besloten deel**\n'));
  });

  it('lists decisions with their closed flag and the actions shown in the documents', async () => {
    const pkg = await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID);
    assert.equal(pkg.meetingDate, '2016-10-10');
    assert.equal(pkg.body, 'Districtelijk Veiligheidsoverleg');
    assert.equal(pkg.status, 'concept');
    assert.deepEqual(
      pkg.decisions.map((d) => [d.key, d.itemCode, d.outcome, d.closed]),
      [
        ['2016-10-10/1', 'C', 'adopted', false],
        ['2016-10-10/2', 'D1', 'agreed', false],
        ['2016-10-10/3', 'D2', 'noted', false],
        ['2016-10-10/4', 'G', 'agreed', true],
      ],
    );
    const seriesId = seriesIdOf('tenant-twente', '19:dvo-twente@thread.v2');
    assert.equal(pkg.seriesId, seriesId);
    assert.deepEqual(
      pkg.actions.map((a) => [a.key, a.number, a.itemCode, a.status, a.due, a.closed]),
      [
        [`${seriesId}/actie/1`, 1, 'D1', 'open', undefined, false],
        [`${seriesId}/actie/2`, 2, 'D1', 'done', undefined, false],
        [`${seriesId}/actie/3`, 3, 'D1', 'open', '2016-12-01', false],
        [`${seriesId}/actie/4`, 4, 'G', 'open', undefined, true],
      ],
    );
  });

  it('names the series by a stable, opaque id of its own', async () => {
    const id = seriesIdOf('tenant-twente', '19:dvo-twente@thread.v2');
    assert.match(id, /^[A-Za-z0-9_-]{16}$/);
    assert.ok(!id.includes('dvo'), 'the conversation id does not show through');
    assert.equal(seriesIdOf('tenant-twente', '19:dvo-twente@thread.v2'), id, 'the same every time');
    assert.notEqual(seriesIdOf('tenant-twente', '19:dvo-twente-tweede@thread.v2'), id);
    assert.notEqual(seriesIdOf('tenant-twente1', '9:dvo-twente@thread.v2'), seriesIdOf('tenant-twente', '19:dvo-twente@thread.v2'));
    const other = await buildMinutesPackage(otherChatSeries(), `${OCTOBER_MEETING_ID}-tweede`);
    assert.notEqual(other.seriesId, id);
    assert.equal(other.actions[0]?.key, `${other.seriesId}/actie/1`, 'the same action number, another key');
  });

  it('makes only the public file when no item is closed', async () => {
    const pkg = await buildMinutesPackage(seedSeries(), OCTOBER_MEETING_ID);
    assert.deepEqual(
      pkg.files.map((f) => f.part),
      ['openbaar'],
    );
  });
});

describe('minutes: Markdown', () => {
  it('has the same content, with user text escaped so it shows verbatim', () => {
    const md = renderMarkdown(minutesModel(seedSeries(), OCTOBER_MEETING_ID, 'openbaar'));
    assertInOrder(md, [
      '# BESLUITENLIJST Districtelijk Veiligheidsoverleg\n',
      '**Openbaar deel**',
      'Status: concept',
      '**Datum:** 10 oktober 2016',
      '### A — Opening',
      '### B — Mededelingen',
      '- M. Stegers: Het Platform IVZ',
      'De besluitenlijst van het DVO van 4 juli 2016 wordt vastgesteld.',
      '(besluit 1, vastgesteld)',
      '**Bijlagen**\n\n- [Besluitenlijst DVO 4 juli 2016](https://example.org/dvo/2016-07-04.pdf?a=1&b=2)\n',
      '### D1 — Doorontwikkeling regionale samenwerking Platform IVZ',
      '*Portefeuillehouder: G.J. Kok*',
      'Het DVO stemt in',
      '(besluit 2, akkoord)',
      '**Actie 3 (O. van Veldhuizen):** Individuele gesprekken',
      '### F — Sluiting',
      '## Actielijst',
      '| 1 | D1, 4 juli 2016 | Faciliterende rol',
    ]);
    const hostile = 'Test $\\{foo\\} \\<script\\>alert(1)\\</script\\> \\*\\*vet\\*\\* \\| pijp \\| en een & teken';
    assert.ok(md.includes(`- J. Slot: ${hostile}\n`));
    // Removing the escapes gives back exactly what was typed.
    assert.equal(hostile.replace(/\\([!-/:-@[-`{-~])/g, '$1'), HOSTILE_ANNOUNCEMENT);
    assert.ok(!md.includes('${'));
    assert.ok(!md.includes('<script>'));
  });

  it('escapes constructs that only count at the start of a line', () => {
    assert.equal(
      escapeMarkdown('# kop\n- lijst\n1. genummerd\n---\n> citaat'),
      '\\# kop  \n\\- lijst  \n1\\. genummerd  \n\\---  \n\\> citaat',
    );
    assert.equal(escapeMarkdown('[link](x) ![img](y) &amp; a_b'), '\\[link\\](x) \\!\\[img\\](y) \\&amp; a\\_b');
  });
});

/** Whether an executable of that name is on PATH, without running it. */
function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Where the rendered pages of the seed's minutes are kept for a person to look at (CI keeps artifacts/). */
const PAGES_DIR = join(process.cwd(), 'artifacts', 'minutes');

/** A page's text with all white space gone, so a line wrapped by the layout still matches. */
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('minutes: LibreOffice', function () {
  this.timeout(150_000);

  it('converts the openbaar and besloten documents to PDF; no agenda row that fits on a page is split, and no ISO date shows', async function () {
    if (!onPath('soffice')) {
      // Say why in the report: CI installs LibreOffice, a developer machine may not have it.
      if (this.test) this.test.title += ' (skipped: soffice, LibreOffice, is not on PATH; CI runs this check)';
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'notulist-minutes-'));
    const profile = join(tmpdir(), `lo-profile-${process.pid}`);
    try {
      const series = seriesWithClosedItem();
      const pkg = await buildMinutesPackage(series, OCTOBER_MEETING_ID);
      const inputs = pkg.files.map((file) => {
        const path = join(dir, file.name);
        writeFileSync(path, file.content);
        return path;
      });
      // One soffice start for both documents keeps the run short.
      await promisify(execFile)(
        'soffice',
        [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...inputs],
        { timeout: 120_000 },
      );
      mkdirSync(PAGES_DIR, { recursive: true });
      for (const input of inputs) {
        const pdf = join(dir, basename(input).replace(/\.docx$/, '.pdf'));
        assert.ok(existsSync(pdf), `${basename(pdf)} was not made`);
        assert.ok(statSync(pdf).size > 1000, `${basename(pdf)} is empty`);
        copyFileSync(pdf, join(PAGES_DIR, basename(pdf)));
      }
      if (!onPath('pdftotext')) return; // poppler-utils: CI installs it, for the page checks below
      // The pages as a person sees them, kept beside the PDFs (artifacts/minutes/…-1.png, -2.png, …).
      for (const input of inputs) {
        const base = basename(input).replace(/\.docx$/, '');
        await promisify(execFile)('pdftoppm', ['-r', '60', '-png', join(dir, `${base}.pdf`), join(PAGES_DIR, base)]);
      }
      const publicPdf = join(dir, basename(inputs[0]!).replace(/\.docx$/, '.pdf'));
      const pages = (await promisify(execFile)('pdftotext', ['-layout', publicPdf, '-'])).stdout.split('\f').map(squeeze);
      const pageOf = (text: string) => pages.findIndex((p) => p.includes(squeeze(text)));
      const model = minutesModel(series, OCTOBER_MEETING_ID, 'openbaar');
      for (const item of model.items) {
        const last =
          item.blocks
            .at(-1)
            ?.runs.map((r) => r.text)
            .join('') ?? item.title;
        const [first, end] = [pageOf(item.title), pageOf(last.slice(-40))];
        assert.ok(first >= 0 && end >= 0, `item ${item.code} is in the PDF`);
        assert.equal(end, first, `item ${item.code} (it fits on a page) starts on page ${first + 1} and ends on page ${end + 1}`);
      }
      assert.doesNotMatch(pages.join(''), /\d{4}-\d{2}-\d{2}/, 'no ISO date anywhere in the public minutes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(profile, { recursive: true, force: true });
    }
  });
});

describe('minutes: structure, lists and actions', () => {
  const xmlOf = async (series: Series, part: 'openbaar' | 'besloten' = 'openbaar') => {
    const zip = await JSZip.loadAsync(await renderDocx(minutesModel(series, OCTOBER_MEETING_ID, part)));
    return { document: await zip.file('word/document.xml')!.async('string'), styles: await zip.file('word/styles.xml')!.async('string') };
  };

  it('uses Word’s heading styles for the title, the part and the Actielijst, marks the header rows, and sets the language', async () => {
    const { document, styles } = await xmlOf(seedSeries());
    const headings = [...document.matchAll(/<w:pStyle w:val="(Heading\d)"\/>.*?<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(headings, [
      ['Heading1', 'BESLUITENLIJST Districtelijk Veiligheidsoverleg'],
      ['Heading2', 'Openbaar deel'],
      ['Heading2', 'Actielijst'],
    ]);
    assert.equal(document.match(/<w:tblHeader\/>/g)?.length, 2, 'the agenda grid and the Actielijst repeat their header row');
    // Word's accessibility checker wants a header row in every table: the facts are paragraphs, not a table.
    assert.equal(document.match(/<w:tbl>/g)?.length, 2, 'two tables, each with its header row');
    assert.match(styles, /<w:lang w:val="nl-NL"\/>/);
  });

  it('keeps an agenda row that fits on a page whole, and lets a longer one break', async () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    const long = meeting.agenda.find((i) => i.code === 'D2')!;
    long.notes.push(
      ...Array.from({ length: 30 }, (_, i) => ({ ...long.notes[0]!, number: 100 + i, text: 'Een lange alinea. '.repeat(20) })),
    );
    const rows = (await xmlOf(series)).document.split('<w:tr>').slice(1);
    const row = (code: string) =>
      rows.find((r) => r.includes(`<w:t xml:space="preserve">${code}</w:t>`) || r.includes(`<w:t>${code}</w:t>`))!;
    assert.match(row('D1'), /<w:cantSplit\/>/);
    assert.doesNotMatch(row('D2'), /<w:cantSplit\/>/);
  });

  it('reads a dictated list: "a) … b) …" and "1. … 2. …", never a lone or out-of-order mark', () => {
    assert.deepEqual(dictatedList('N.a.v. verslag: a) De 2 daagse. b) Terugkoppeling; c) Vragen.'), {
      lead: 'N.a.v. verslag:',
      style: 'letter',
      points: ['De 2 daagse.', 'Terugkoppeling;', 'Vragen.'],
    });
    assert.deepEqual(dictatedList('Besloten wordt:\n1. Eerste punt\n2. Tweede punt'), {
      lead: 'Besloten wordt:',
      style: 'number',
      points: ['Eerste punt', 'Tweede punt'],
    });
    for (const text of ['Zie punt a) en b) hieronder.', 'a) Alleen dit.', 'Eerst. a) Een. c) Drie.', 'N.a.v. het verslag. Verder niets.'])
      assert.equal(dictatedList(text), undefined, text);
  });

  it('makes each dictated list a numbered list of its own, in the .docx and the Markdown alike', async () => {
    const series = seedSeries();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    const d2 = meeting.agenda.find((i) => i.code === 'D2')!;
    const note = d2.notes[0]!;
    d2.notes.push({ ...note, number: 201, text: 'Afspraken: a) Eerste afspraak. b) Tweede afspraak.' });
    d2.notes.push({ ...note, number: 202, text: 'Vervolg:\n1. Een\n2. Twee' });
    const { document } = await xmlOf(series);
    assert.ok(document.includes('Eerste afspraak.') && !document.includes('a) Eerste afspraak'), 'the marks become numbering');
    // Item C's a) b) c), taken one note at a time, and the two lists here: four lists, each restarting.
    const instances = new Set([...document.matchAll(/<w:numId w:val="(\d+)"\/>/g)].map((m) => m[1]));
    assert.ok(instances.size >= 4, `each list numbers on its own (${[...instances].join(', ')})`);
    const md = renderMarkdown(minutesModel(series, OCTOBER_MEETING_ID, 'openbaar'));
    assert.ok(
      md.includes('Afspraken:\n\na\\) Eerste afspraak.  \nb\\) Tweede afspraak.'),
      md.slice(md.indexOf('Afspraken'), md.indexOf('Afspraken') + 90),
    );
    assert.ok(md.includes('Vervolg:\n\n1. Een\n2. Twee'));
  });

  it('holds each action once in full, in the Actielijst; its item names the owner and the gist', () => {
    const model = minutesModel(seedSeries(), OCTOBER_MEETING_ID, 'openbaar');
    const inItems = model.items.flatMap((i) => i.blocks).filter((b) => b.role === 'action');
    for (const block of inItems) {
      const text = block.runs.map((r) => r.text).join('');
      assert.match(text, /^Actie \d+ \([^)]+\): .+ – zie de actielijst$/);
      assert.doesNotMatch(text, /december|voor /, 'the due date is in the Actielijst only');
    }
    assert.ok(model.actions.some((a) => a.due === '1 december 2016'));
  });
});

describe('minutes: a meeting held in English', () => {
  const english = () => {
    const series = seriesWithClosedItem();
    const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
    meeting.locale = 'en-GB';
    meeting.absent = [{ name: 'I. Bakker', withNotice: true }];
    return series;
  };
  // Words of the Dutch documents that no member typed in the seed meeting (its user text stays Dutch).
  const DUTCH_LABELS = [
    'BESLUITENLIJST',
    'Besluitenlijst Districtelijk', // the footer's Dutch form ("Besluitenlijst DVO 4 juli 2016" is an item title)
    'Openbaar deel',
    'Besloten deel',
    'VERTROUWELIJK',
    'Status: concept',
    'Datum',
    'Tijdstip',
    'Voorzitter',
    'Locatie',
    'Secretaris',
    'Aanwezig',
    'Afwezig',
    'afgemeld',
    'Agendapunten',
    'Agendapunt ',
    'Bijlagen',
    'Actielijst',
    'Termijn',
    'Wie',
    'gereed',
    'zie de actielijst',
    'Portefeuillehouder:',
    '(besluit ',
    ', akkoord)',
    ', ter kennisgeving)',
    'oktober',
    ' uur',
    'pagina',
  ];

  it('has English minutes: .docx (text, footer, language) and Markdown hold none of the Dutch labels', async () => {
    const series = english();
    for (const part of ['openbaar', 'besloten'] as const) {
      const model = minutesModel(series, OCTOBER_MEETING_ID, part);
      const zip = await JSZip.loadAsync(await renderDocx(model));
      const xml = await Promise.all(
        ['word/document.xml', 'word/footer1.xml', 'docProps/core.xml'].map((f) => zip.file(f)?.async('string') ?? ''),
      );
      const text = xml.join('\n').replace(/<[^>]+>/g, '');
      const md = renderMarkdown(model);
      for (const label of DUTCH_LABELS) {
        assert.ok(!text.includes(label), `${part} .docx holds the Dutch "${label}"`);
        assert.ok(!md.includes(label), `${part} Markdown holds the Dutch "${label}"`);
      }
      assert.match(await zip.file('word/styles.xml')!.async('string'), /<w:lang w:val="en-GB"\/>/);
    }
    const text = await docxText((await buildMinutesPackage(series, OCTOBER_MEETING_ID)).files[0]!.content);
    for (const words of [
      'DECISION LIST',
      'Public part',
      'Date',
      '10 October 2016',
      'Present',
      'Agenda items',
      'Action list',
      '(decision 2, agreed)',
      'see the action list',
    ])
      assert.ok(text.includes(words), `the English minutes say "${words}"`);
  });

  it('tells a file’s part from its name in either language, whatever the title', () => {
    assert.equal(partOfFileName('2016-10-10 DVO closed.docx'), 'besloten');
    assert.equal(partOfFileName('2016-10-10 DVO besloten.pdf'), 'besloten');
    assert.equal(partOfFileName('2016-10-10 Closed meeting public.docx'), 'openbaar');
    assert.equal(partOfFileName('2016-10-10 DVO openbaar.docx'), 'openbaar');
    assert.equal(partOfFileName('besluiten-en-acties.json'), undefined);
    assert.equal(partOfFileName('2016-10-10 DVO.docx'), undefined);
  });

  it('names its files in English', async () => {
    const pkg = await buildMinutesPackage(english(), OCTOBER_MEETING_ID);
    assert.deepEqual(
      pkg.files.map((f) => f.name),
      ['2016-10-10 Districtelijk Veiligheidsoverleg public.docx', '2016-10-10 Districtelijk Veiligheidsoverleg closed.docx'],
    );
  });
});

describe('minutes: the full draft page’s change log', () => {
  it('names a changed fact of the meeting in the reader’s language and shows a date as a date', () => {
    const series = seedSeries();
    const model = minutesModel(series, OCTOBER_MEETING_ID, 'openbaar');
    const change = { at: '2016-10-10T12:00:00Z', by: SECRETARY, kind: 'meeting' as const, change: 'edited' as const };
    const page = (lang: 'nl-NL' | 'en-GB') =>
      renderDraftPage({
        s: strings(lang),
        meetingTitle: 'DVO',
        models: [model],
        downloads: [],
        adopted: false,
        full: {
          viewerName: SECRETARY.name,
          changes: [
            { ...change, label: 'date', before: '2016-10-03', after: '2016-10-10' },
            { ...change, label: 'houseLine', before: '', after: 'Samen sterk' },
          ],
        },
      });
    const nl = page('nl-NL');
    assert.ok(
      nl.includes('Vergadering datum gewijzigd') && nl.includes('3 oktober 2016') && nl.includes('10 oktober 2016'),
      nl.slice(-800),
    );
    assert.ok(nl.includes('Vergadering kopregel gewijzigd'));
    assert.doesNotMatch(nl.slice(nl.indexOf('class="changes"')), /\d{4}-\d{2}-\d{2}/);
    const en = page('en-GB');
    assert.ok(en.includes('date edited') && en.includes('3 October 2016') && en.includes('header line edited'), en.slice(-800));
  });
});
