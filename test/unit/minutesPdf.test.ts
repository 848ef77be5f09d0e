// PDF/A copies of the minutes (MINUTES_PDF=1, pdf.ts): LibreOffice's conversion, and a copy beside each
// published document in the document's own place (the besloten copy in the closed place only), for the
// folder publisher and for SharePoint on the Graph stand-in. The LibreOffice cases skip when soffice is not
// on PATH; the others convert with a stand-in and always run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { FolderMinutesPublisher } from '../../services/minutes/folderPublisher';
import { buildMinutesPackage } from '../../services/minutes/package';
import { addPdfCopies, docxToPdfA, onPath, SOFFICE, withPdfCopies } from '../../services/minutes/pdf';
import type { MinutesPackage, PublishResult } from '../../services/minutes/publisher';
import {
  ACTIONS_LIST_NAME,
  CLOSED_ACTIONS_LIST_NAME,
  CLOSED_DECISIONS_LIST_NAME,
  DECISIONS_LIST_NAME,
  LIBRARY_FIELDS,
} from '../../services/minutes/sharePointColumns';
import type { SetupResult } from '../../services/minutes/setupSharePoint';
import { runDriver, standInGraph } from '../support/childBot';
import { CLOSED_TEXTS, SECRET_DECISION, seriesWithClosedItem } from '../support/closedMeeting';
import { GraphStandIn } from '../support/graphStandIn';
import type { DriverGraphSettings } from '../support/publishDriver';
import { OCTOBER_MEETING_ID } from '../support/seedMeeting';

const BASE = '2016-10-10 Districtelijk Veiligheidsoverleg';
const OPEN_DOC = `${BASE} openbaar.docx`;
const OPEN_PDF = `${BASE} openbaar.pdf`;
const CLOSED_DOC = `${BASE} besloten.docx`;
const CLOSED_PDF = `${BASE} besloten.pdf`;

/** What the stand-in conversion makes: enough of a PDF/A for the checks, and which document it was. */
const fakePdf = (docx: Buffer) => Promise.resolve(Buffer.concat([Buffer.from('%PDF-1.7 pdfaid:part 2 '), docx.subarray(0, 8)]));

/** Every file under `dir`, as paths relative to it. */
function allFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** A log that keeps its warnings. */
function recordingLog() {
  const warnings: { data: Record<string, unknown>; msg: string }[] = [];
  return { warnings, info: () => undefined, warn: (data: Record<string, unknown>, msg: string) => warnings.push({ data, msg }) };
}

function assertPdfA(pdf: Buffer, what: string): void {
  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', `${what} starts with %PDF-`);
  assert.ok(pdf.includes('pdfaid:part'), `${what} declares itself PDF/A (XMP pdfaid:part)`);
}

/** A process still running (a zombie awaiting its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('minutes: PDF/A copies with LibreOffice (MINUTES_PDF=1)', function () {
  this.timeout(150_000);
  let root: string;
  beforeEach(function () {
    if (!onPath(SOFFICE)) {
      // Say why in the report: CI installs LibreOffice, a developer machine may not have it.
      if (this.currentTest) this.currentTest.title += ' (skipped: soffice, LibreOffice, is not on PATH; CI runs this check)';
      this.skip();
    }
    root = mkdtempSync(join(tmpdir(), 'notulist-pdf-test-'));
  });
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('converts a .docx to PDF/A-2b (XMP pdfaid:part 2, conformance B) and leaves no temporary folder behind', async () => {
    const pkg = await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID);
    const pdf = await docxToPdfA(pkg.files[0]!.content, { tempRoot: root });
    assertPdfA(pdf, 'the PDF');
    const xmp = pdf.toString('latin1');
    assert.match(xmp, /<pdfaid:part>2<\/pdfaid:part>/, 'PDF/A part 2');
    assert.match(xmp, /<pdfaid:conformance>B<\/pdfaid:conformance>/, 'conformance level B');
    assert.deepEqual(readdirSync(root), [], 'the temporary folder (document, profile, output) is removed');
  });

  it('the folder publisher writes … openbaar.pdf beside … openbaar.docx, and … besloten.pdf only in the closed folder', async () => {
    const log = recordingLog();
    const inner = new FolderMinutesPublisher(join(root, 'minutes'));
    const publisher = withPdfCopies(inner, { log });
    const result = await publisher.publish(await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID));
    assert.deepEqual(log.warnings, [], 'every conversion succeeded');

    const publicFiles = allFiles(join(root, 'minutes')).filter((p) => !p.startsWith('besloten/'));
    assert.deepEqual(publicFiles.sort(), [`${BASE}/${OPEN_DOC}`, `${BASE}/${OPEN_PDF}`, `${BASE}/besluiten-en-acties.json`]);
    assert.deepEqual(allFiles(inner.closedRoot).sort(), [
      `${BASE}/${CLOSED_DOC}`,
      `${BASE}/${CLOSED_PDF}`,
      `${BASE}/besloten-besluiten-en-acties.json`,
    ]);
    const openPdf = readFileSync(join(root, 'minutes', BASE, OPEN_PDF));
    const closedPdf = readFileSync(join(inner.closedRoot, BASE, CLOSED_PDF));
    assertPdfA(openPdf, OPEN_PDF);
    assertPdfA(closedPdf, CLOSED_PDF);
    assert.deepEqual(
      result.files.map((f) => f.name),
      [OPEN_DOC, OPEN_PDF, CLOSED_DOC, CLOSED_PDF],
    );

    // Read as text (poppler-utils; CI installs it): the public copy holds nothing closed, the closed one does.
    if (!onPath('pdftotext')) return;
    const text = async (file: string) => (await promisify(execFile)('pdftotext', [file, '-'])).stdout.replace(/\s+/g, ' ');
    const openText = await text(join(root, 'minutes', BASE, OPEN_PDF));
    assert.ok(openText.includes('Districtelijk Veiligheidsoverleg'), 'the public copy is the public document');
    for (const secret of [...CLOSED_TEXTS, 'VERTROUWELIJK']) assert.ok(!openText.includes(secret), `the public PDF holds "${secret}"`);
    assert.ok((await text(join(inner.closedRoot, BASE, CLOSED_PDF))).includes(SECRET_DECISION), 'the closed copy holds the closed part');
  });
});

describe('minutes: PDF/A copies, the wiring (a stand-in conversion)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'notulist-pdf-wiring-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a copy follows each .docx: the same name with .pdf and the same part; the records stay as they were', async () => {
    const pkg = await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID);
    const withCopies = await addPdfCopies(pkg, { convert: fakePdf });
    assert.deepEqual(
      withCopies.files.map((f) => [f.name, f.part]),
      [
        [OPEN_DOC, 'openbaar'],
        [OPEN_PDF, 'openbaar'],
        [CLOSED_DOC, 'besloten'],
        [CLOSED_PDF, 'besloten'],
      ],
    );
    assert.ok(
      withCopies.files[3]!.content.includes(pkg.files[1]!.content.subarray(0, 8)),
      'the closed copy is made from the closed document',
    );
    assert.deepEqual(withCopies.decisions, pkg.decisions);
    assert.deepEqual(withCopies.actions, pkg.actions);
    assert.equal(pkg.files.length, 2, 'the package given is left as it was');
  });

  it('MINUTES_PDF off: the folder publisher writes no PDF', async () => {
    const publisher = new FolderMinutesPublisher(root);
    await publisher.publish(await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID));
    assert.deepEqual(
      allFiles(root).filter((p) => p.endsWith('.pdf')),
      [],
    );
  });

  it('a document that cannot be converted is published without its copy, the failure a warning; an older copy is removed', async () => {
    const log = recordingLog();
    const inner = new FolderMinutesPublisher(root);
    const series = seriesWithClosedItem();
    await withPdfCopies(inner, { convert: fakePdf, log }).publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    assert.ok(existsSync(join(root, BASE, OPEN_PDF)) && existsSync(join(inner.closedRoot, BASE, CLOSED_PDF)));

    // The republish (adopted minutes, say) whose conversion fails: the documents are replaced, no stale copy stays.
    series.meetings[1]!.decisions[0]!.text = 'Gewijzigd na herpublicatie.';
    const failing = () => Promise.reject(new Error('LibreOffice did not finish within 120 s'));
    const result = await withPdfCopies(inner, { convert: failing, log }).publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    assert.deepEqual(
      result.files.map((f) => f.name),
      [OPEN_DOC, CLOSED_DOC],
    );
    assert.deepEqual(readdirSync(join(root, BASE)).sort(), [OPEN_DOC, 'besluiten-en-acties.json']);
    assert.deepEqual(readdirSync(join(inner.closedRoot, BASE)).sort(), [CLOSED_DOC, 'besloten-besluiten-en-acties.json']);
    assert.deepEqual(
      log.warnings.map((w) => [w.msg, w.data.part, w.data.meetingId, w.data.err]),
      [
        [
          'minutes: no PDF/A copy made; the .docx is published without it',
          'openbaar',
          OCTOBER_MEETING_ID,
          'LibreOffice did not finish within 120 s',
        ],
        [
          'minutes: no PDF/A copy made; the .docx is published without it',
          'besloten',
          OCTOBER_MEETING_ID,
          'LibreOffice did not finish within 120 s',
        ],
      ],
    );
    assert.ok(!JSON.stringify(log.warnings).includes('Districtelijk'), 'no title in the log');
  });

  it('a closed part the meeting no longer has goes from the closed folder with its copy', async () => {
    const inner = new FolderMinutesPublisher(root);
    const publisher = withPdfCopies(inner, { convert: fakePdf });
    const series = seriesWithClosedItem();
    await publisher.publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    for (const item of series.meetings[1]!.agenda) item.closed = false;
    await publisher.publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    assert.deepEqual(allFiles(inner.closedRoot), [], 'no besloten document, copy or register left, nor their folder');
    assert.deepEqual(readdirSync(join(root, BASE)).sort(), [OPEN_DOC, OPEN_PDF, 'besluiten-en-acties.json']);
  });

  it('runs LibreOffice as asked, one conversion at a time, and refuses what is not a PDF/A', async () => {
    const calls = join(root, 'calls.log');
    // A stand-in soffice: logs its arguments and when it runs, and writes what the test asks into --outdir.
    const standIn = (body: string) => {
      const file = join(root, `soffice-${Math.random().toString(36).slice(2)}`);
      writeFileSync(
        file,
        `#!/bin/sh\nPATH="/usr/bin:/bin:$PATH"\nout=""\nfor a in "$@"; do echo "arg $a" >> '${calls}'; done\n` +
          `while [ $# -gt 0 ]; do [ "$1" = "--outdir" ] && out="$2"; shift; done\n` +
          `echo start >> '${calls}'\nsleep 0.2\nmkdir -p "$out"\n${body}\necho end >> '${calls}'\n`,
      );
      chmodSync(file, 0o755);
      return file;
    };
    const good = standIn(`printf '%%PDF-1.7 pdfaid:part' > "$out/minutes.pdf"`);
    const docx = Buffer.from('PK fake docx');
    const pdfs = await Promise.all([1, 2, 3].map(() => docxToPdfA(docx, { command: good, tempRoot: root })));
    for (const pdf of pdfs) assert.equal(pdf.toString(), '%PDF-1.7 pdfaid:part');
    const lines = readFileSync(calls, 'utf8').trim().split('\n');
    assert.deepEqual(
      lines.filter((l) => l === 'start' || l === 'end'),
      ['start', 'end', 'start', 'end', 'start', 'end'],
      'never two at once',
    );
    const args = lines.slice(0, lines.indexOf('start')).map((l) => l.slice(4));
    assert.match(args[0]!, /^-env:UserInstallation=file:\/\/\/.+\/notulist-pdf-[^/]+\/profile$/, 'a profile of its own');
    assert.deepEqual(args.slice(1, 4), [
      '--headless',
      '--convert-to',
      'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}',
    ]);
    assert.equal(args[4], '--outdir');
    assert.match(args[6]!, /\/minutes\.docx$/, 'no title in a path');

    const refusals: [string, RegExp][] = [
      [standIn('exit 3'), /LibreOffice stopped with exit code 3/],
      [standIn('echo "Error: source file could not be loaded"'), /LibreOffice made no PDF \(Error: source file could not be loaded\)/],
      [standIn(`printf '%%PDF-1.7' > "$out/minutes.pdf"`), /not PDF\/A/],
      [standIn(`printf 'PK' > "$out/minutes.pdf"`), /not a PDF/],
      [join(root, 'no-such-soffice'), /could not be started/],
    ];
    for (const [command, refused] of refusals) await assert.rejects(docxToPdfA(docx, { command, tempRoot: root }), refused);
    // And the queue goes on after failures; every temporary folder is gone.
    assert.equal((await docxToPdfA(docx, { command: good, tempRoot: root })).toString(), '%PDF-1.7 pdfaid:part');
    assert.deepEqual(
      readdirSync(root).filter((n) => n.startsWith('notulist-pdf-')),
      [],
    );
  });

  it('a conversion that hangs is stopped at the timeout, with what it started', async () => {
    const pidFile = join(root, 'child.pid');
    const hang = join(root, 'soffice-hangs');
    // Like soffice, which starts soffice.bin: the child must go too.
    writeFileSync(hang, `#!/bin/sh\nPATH="/usr/bin:/bin:$PATH"\nsleep 30 &\necho $! > '${pidFile}'\nwait\n`);
    chmodSync(hang, 0o755);
    const started = Date.now();
    await assert.rejects(docxToPdfA(Buffer.from('PK'), { command: hang, timeoutMs: 500, tempRoot: root }), /did not finish within 1 s/);
    assert.ok(Date.now() - started < 10_000, 'it does not wait for the hung process');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    for (let i = 0; i < 20 && alive(pid); i++) await sleep(100);
    assert.ok(!alive(pid), 'the process it started is killed too');
  });
});

// -- SharePoint on the Graph stand-in ---------------------------------------------------------------

describe('minutes: PDF/A copies on SharePoint (Graph stand-in, a stand-in conversion)', function () {
  this.timeout(60_000);
  let standIn: GraphStandIn;
  let graph: DriverGraphSettings;
  let setup: SetupResult;

  before(async () => {
    standIn = await GraphStandIn.start();
    graph = standInGraph(standIn);
    const answer = await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId });
    assert.ok(answer.ok, `setup failed: ${answer.error}\n${answer.stderr}`);
    setup = answer.result as SetupResult;
  });
  after(async () => {
    await standIn?.close();
  });
  beforeEach(() => standIn.resetContent());

  const publish = async (pkg: MinutesPackage, previous?: Record<string, string>): Promise<PublishResult> => {
    const published = await runDriver(standIn, {
      kind: 'publish',
      graph,
      siteId: standIn.siteId,
      decisionsListId: setup.decisionsListId,
      actionsListId: setup.actionsListId,
      closedDecisionsListId: setup.closedDecisionsListId,
      closedActionsListId: setup.closedActionsListId,
      previous,
      package: { ...pkg, files: pkg.files.map((f) => ({ name: f.name, part: f.part, base64: f.content.toString('base64') })) },
    });
    assert.ok(published.ok, `publish failed: ${published.error}\n${published.stderr}`);
    return published.result as PublishResult;
  };
  const listSizes = () =>
    [DECISIONS_LIST_NAME, ACTIONS_LIST_NAME, CLOSED_DECISIONS_LIST_NAME, CLOSED_ACTIONS_LIST_NAME].map(
      (name) => standIn.list(name)?.items.size ?? 0,
    );

  it('each copy goes beside its document (the besloten one to the closed folder), makes no list item, and goes when it is no longer made', async () => {
    const pkg = await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID);
    await publish(pkg);
    const withoutCopies = listSizes();
    standIn.resetContent();

    const first = await publish(await addPdfCopies(pkg, { convert: fakePdf }));
    assert.deepEqual(
      standIn
        .files()
        .map((f) => f.path)
        .sort(),
      [
        `Besloten/${BASE}/${CLOSED_DOC}`,
        `Besloten/${BASE}/${CLOSED_PDF}`,
        `Besluitenlijsten/${BASE}/${OPEN_DOC}`,
        `Besluitenlijsten/${BASE}/${OPEN_PDF}`,
      ],
    );
    assert.deepEqual(listSizes(), withoutCopies, 'a copy makes no decision or action list item');
    const closedCopy = standIn.file(`Besloten/${BASE}/${CLOSED_PDF}`)!;
    assert.equal(closedCopy.fields[LIBRARY_FIELDS.publicity], 'besloten');
    assert.equal(closedCopy.fields[LIBRARY_FIELDS.meetingId], OCTOBER_MEETING_ID, 'the copy names its meeting, as its folder’s files do');
    assert.equal(standIn.file(`Besluitenlijsten/${BASE}/${OPEN_PDF}`)!.fields[LIBRARY_FIELDS.publicity], 'openbaar');
    assert.ok(!standIn.files().some((f) => f.path.startsWith('Besluitenlijsten/') && /besloten/.test(f.name)), 'nothing closed in public');
    assert.deepEqual(
      first.files.map((f) => f.name),
      [OPEN_DOC, OPEN_PDF, CLOSED_DOC, CLOSED_PDF],
    );

    // Published again without copies (the conversion failed, or MINUTES_PDF was turned off): the copies go.
    await publish(pkg, first.remote);
    assert.deepEqual(
      standIn
        .files()
        .map((f) => f.path)
        .sort(),
      [`Besloten/${BASE}/${CLOSED_DOC}`, `Besluitenlijsten/${BASE}/${OPEN_DOC}`],
    );
    assert.deepEqual(listSizes(), withoutCopies);
  });
});
