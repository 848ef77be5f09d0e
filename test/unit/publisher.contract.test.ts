// One contract for every MinutesPublisher, as store.contract.test.ts is for the stores: what the closed
// part may and may not reach. Run against the folder publisher and against the SharePoint publisher on the
// Graph stand-in (in a child process that trusts its CA), with and without closed lists. Every public file
// and every public record (list item, register) is read back and must hold nothing closed.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import JSZip from 'jszip';
import { FolderMinutesPublisher } from '../../services/minutes/folderPublisher';
import { buildMinutesPackage } from '../../services/minutes/package';
import { addPdfCopies } from '../../services/minutes/pdf';
import type { MinutesPackage, PublishResult } from '../../services/minutes/publisher';
import {
  ACTIONS_LIST_NAME,
  CLOSED_ACTIONS_LIST_NAME,
  CLOSED_DECISIONS_LIST_NAME,
  DECISIONS_LIST_NAME,
} from '../../services/minutes/sharePointColumns';
import type { SetupResult } from '../../services/minutes/setupSharePoint';
import { runDriver, standInGraph } from '../support/childBot';
import { CLOSED_TEXTS, otherChatSeries, SECRET_DECISION, seriesWithClosedItem } from '../support/closedMeeting';
import { GraphStandIn } from '../support/graphStandIn';
import type { DriverGraphSettings } from '../support/publishDriver';
import { OCTOBER_MEETING_ID } from '../support/seedMeeting';

/** What a reader of one place can read: each file (its path and text) and each record (as text). */
interface Place {
  files: { path: string; text: string }[];
  records: string[];
}

export interface PublisherHarness {
  publish(pkg: MinutesPackage, previous?: Record<string, string>): Promise<PublishResult>;
  /** Everything in the public places: the minutes' folder (or library folder) and the public registers or lists. */
  readPublic(): Promise<Place>;
  /** Everything in the closed places. */
  readClosed(): Promise<Place>;
  /** Whether the closed decisions and actions have a place of their own (the folder's register, SharePoint's closed lists). */
  closedRecordsConfigured: boolean;
  kind: 'folder' | 'sharepoint';
  /** MINUTES_PDF=1: each document is published with a PDF copy (a stand-in conversion). */
  pdfCopies?: boolean;
  /** Empties every place (the setup stays). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** A document's words, from its body, headers, footers and properties. */
async function documentText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((f) => /\.xml$/.test(f));
  const texts = await Promise.all(parts.map((f) => zip.file(f)!.async('string')));
  return texts.join('\n').replace(/<[^>]+>/g, ' ');
}

async function fileText(path: string, bytes: Buffer): Promise<string> {
  return path.endsWith('.docx') ? `${path}\n${await documentText(bytes)}` : `${path}\n${bytes.toString('utf8')}`;
}

/**
 * MINUTES_PDF=1 with a stand-in conversion: the "PDF" holds its document's words, so a copy in the wrong
 * place shows as its document would.
 */
async function withCopies(pkg: MinutesPackage): Promise<MinutesPackage> {
  return addPdfCopies(pkg, { convert: async (docx) => Buffer.from(`%PDF-1.7 pdfaid:part\n${await documentText(docx)}`) });
}

export function publisherContract(name: string, makeHarness: () => Promise<PublisherHarness>): void {
  describe(`MinutesPublisher contract: ${name}`, function () {
    this.timeout(60_000);
    let h: PublisherHarness;
    const meeting = async (series = seriesWithClosedItem(), meetingId = OCTOBER_MEETING_ID) => buildMinutesPackage(series, meetingId);
    const allPublic = async () => {
      const series = seriesWithClosedItem();
      for (const item of series.meetings[1]!.agenda) item.closed = false;
      return meeting(series);
    };
    /** Every public file and record read back: nothing closed in any. */
    const assertNothingClosedInPublic = async () => {
      const open = await h.readPublic();
      assert.ok(open.files.length > 0, 'there is something public to read');
      for (const text of [...open.files.map((f) => f.text), ...open.records]) {
        for (const secret of [...CLOSED_TEXTS, 'VERTROUWELIJK', 'besloten.docx', 'besloten.pdf', '"besloten"']) {
          assert.ok(!text.includes(secret), `a public file or record holds "${secret}": ${text.slice(0, 200)}`);
        }
      }
    };

    before(async () => {
      h = await makeHarness();
    });
    after(async () => {
      await h?.stop();
    });
    beforeEach(async () => {
      await h.reset();
    });

    it('puts the public part and the closed part in places of their own, and says where the closed part went', async () => {
      const result = await h.publish(await meeting());
      const open = await h.readPublic();
      const closed = await h.readClosed();
      assert.deepEqual(
        open.files.filter((f) => f.path.endsWith('.docx')).map((f) => f.path.split('/').pop()),
        ['2016-10-10 Districtelijk Veiligheidsoverleg openbaar.docx'],
      );
      assert.deepEqual(
        closed.files.filter((f) => f.path.endsWith('.docx')).map((f) => f.path.split('/').pop()),
        ['2016-10-10 Districtelijk Veiligheidsoverleg besloten.docx'],
      );
      if (h.pdfCopies) {
        assert.deepEqual(
          open.files.filter((f) => f.path.endsWith('.pdf')).map((f) => f.path.split('/').pop()),
          ['2016-10-10 Districtelijk Veiligheidsoverleg openbaar.pdf'],
        );
        assert.deepEqual(
          closed.files.filter((f) => f.path.endsWith('.pdf')).map((f) => f.path.split('/').pop()),
          ['2016-10-10 Districtelijk Veiligheidsoverleg besloten.pdf'],
        );
      }
      const closedDocument = closed.files.find((f) => f.path.endsWith('.docx'))!;
      assert.ok(closedDocument.text.includes(SECRET_DECISION) && closedDocument.text.includes('VERTROUWELIJK – besloten deel'));
      assert.equal(result.closedLocation?.kind, h.kind);
      assert.equal(
        result.closedLocation?.records,
        h.closedRecordsConfigured ? (h.kind === 'folder' ? 'register' : 'lists') : 'documentOnly',
      );
      assert.match(result.closedLocation?.description ?? '', /2016-10-10 Districtelijk Veiligheidsoverleg$/);
      assert.deepEqual(
        result.files.map((f) => f.name),
        ['openbaar', 'besloten'].flatMap((part) =>
          ['docx', ...(h.pdfCopies ? ['pdf'] : [])].map((ext) => `2016-10-10 Districtelijk Veiligheidsoverleg ${part}.${ext}`),
        ),
      );
    });

    it('reading back every public file and record finds nothing closed; the closed records are only in the closed place', async () => {
      await h.publish(await meeting());
      await assertNothingClosedInPublic();
      const open = await h.readPublic();
      assert.ok(
        open.records.some((r) => r.includes('Het DVO stemt in')),
        'the public decisions are in the public records',
      );
      const closed = await h.readClosed();
      const closedRecords = closed.records.join('\n');
      if (h.closedRecordsConfigured) assert.ok(closedRecords.includes(SECRET_DECISION), 'the closed decision in the closed records');
      else assert.deepEqual(closed.records, [], 'no closed place for records: none written anywhere');
    });

    it('a republish replaces in place: the same places, the new text, nothing closed in public', async () => {
      const first = await h.publish(await meeting());
      const before = { open: await h.readPublic(), closed: await h.readClosed() };
      const series = seriesWithClosedItem();
      series.meetings[1]!.decisions[0]!.text = 'Gewijzigd na herpublicatie.';
      series.meetings[1]!.decisions[3]!.text = 'Vertrouwelijk besluit, gewijzigd.';
      await h.publish(await meeting(series), first.remote);
      const open = await h.readPublic();
      const closed = await h.readClosed();
      assert.deepEqual(
        open.files.map((f) => f.path),
        before.open.files.map((f) => f.path),
      );
      assert.deepEqual(
        closed.files.map((f) => f.path),
        before.closed.files.map((f) => f.path),
      );
      assert.equal(open.records.length, before.open.records.length, 'no record added');
      assert.equal(closed.records.length, before.closed.records.length);
      assert.ok(open.files.some((f) => f.text.includes('Gewijzigd na herpublicatie.')));
      assert.ok(closed.files.some((f) => f.text.includes('Vertrouwelijk besluit, gewijzigd.')));
      await assertNothingClosedInPublic();
    });

    it('a closed part the meeting no longer has is removed from the closed place', async () => {
      const first = await h.publish(await meeting());
      const result = await h.publish(await allPublic(), first.remote);
      const closed = await h.readClosed();
      assert.deepEqual(
        closed.files.filter((f) => /\.(docx|pdf)$/.test(f.path)),
        [],
        'no besloten document (or copy) left',
      );
      assert.ok(!closed.records.join('\n').includes(SECRET_DECISION), 'the formerly closed decision is no longer in the closed records');
      assert.equal(result.closedLocation, undefined);
      // Public now: it is in the public document.
      assert.ok((await h.readPublic()).files.some((f) => f.text.includes(SECRET_DECISION)));
    });

    it('another chat’s meeting with the same title and date gets places of its own; neither’s closed part reaches the other’s public place', async () => {
      const a = await h.publish(await meeting());
      const other = otherChatSeries();
      const onlyHere = 'Alleen in de tweede chat: vertrouwelijk gesprek over de meldkamer.';
      other.meetings[1]!.agenda[1]!.closed = true;
      other.meetings[1]!.agenda[1]!.notes.push({ text: onlyHere, by: { id: '29:s', name: 'S' }, at: '2016-10-10T10:40:00.000Z' });
      const b = await h.publish(await meeting(other, `${OCTOBER_MEETING_ID}-tweede`));
      assert.notEqual(a.closedLocation?.description, b.closedLocation?.description);
      assert.match(b.closedLocation?.description ?? '', / \(2\)$/);
      const open = await h.readPublic();
      const closed = await h.readClosed();
      assert.equal(open.files.filter((f) => f.path.endsWith('.docx')).length, 2);
      assert.equal(closed.files.filter((f) => f.path.endsWith('.docx')).length, 2);
      await assertNothingClosedInPublic();
      // The second chat's closed item is in its own closed document only.
      assert.ok(!open.files.some((f) => f.text.includes(onlyHere)));
      assert.ok(closed.files.some((f) => f.path.includes('(2)') && f.text.includes(onlyHere)));
    });
  });
}

// -- the folder publisher ---------------------------------------------------------------------------

function walk(dir: string, skip?: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (path === skip) return [];
    return e.isDirectory() ? walk(path, skip) : [path];
  });
}

const folderHarness = (pdfCopies: boolean) => async (): Promise<PublisherHarness> => {
  const root = mkdtempSync(join(tmpdir(), 'notulist-contract-'));
  let publisher = new FolderMinutesPublisher(root);
  const read = async (dir: string, skip?: string): Promise<Place> => {
    const files = walk(dir, skip).sort();
    const place: Place = { files: [], records: [] };
    for (const file of files) {
      const text = await fileText(relative(root, file), readFileSync(file));
      if (file.endsWith('.json')) place.records.push(text);
      // A register is a file too: it is read as both.
      place.files.push({ path: relative(root, file), text });
    }
    // Closed records in the closed register only count as records when the register lists any.
    place.records = place.records.filter((r) => /"decisions": \[\s*\{|"actions": \[\s*\{/.test(r));
    return place;
  };
  return {
    kind: 'folder',
    closedRecordsConfigured: true,
    pdfCopies,
    publish: async (pkg) => publisher.publish(pdfCopies ? await withCopies(pkg) : pkg),
    // Everything under MINUTES_DIR but the closed tree (which an administrator restricts): .tmp and all.
    readPublic: () => read(root, publisher.closedRoot),
    readClosed: () => read(publisher.closedRoot),
    async reset() {
      rmSync(root, { recursive: true, force: true });
      publisher = new FolderMinutesPublisher(root);
    },
    async stop() {
      rmSync(root, { recursive: true, force: true });
    },
  };
};

publisherContract('FolderMinutesPublisher', folderHarness(false));
publisherContract('FolderMinutesPublisher with PDF copies (MINUTES_PDF=1)', folderHarness(true));

// -- the SharePoint publisher on the Graph stand-in -----------------------------------------------

function sharePointHarness(withClosedLists: boolean, pdfCopies = false): () => Promise<PublisherHarness> {
  return async () => {
    const standIn = await GraphStandIn.start();
    const graph: DriverGraphSettings = standInGraph(standIn);
    const answer = await runDriver(standIn, { kind: 'setup', graph, siteId: standIn.siteId });
    assert.ok(answer.ok, `setup failed: ${answer.error}\n${answer.stderr}`);
    const setup = answer.result as SetupResult;
    const read = async (folder: string, lists: string[]): Promise<Place> => {
      const place: Place = { files: [], records: [] };
      for (const file of standIn.files().filter((f) => f.path.startsWith(`${folder}/`))) {
        // The file and its library fields, as anyone who may read the folder reads them.
        place.files.push({ path: file.path, text: `${await fileText(file.path, file.bytes)}\n${JSON.stringify(file.fields)}` });
      }
      for (const list of lists)
        for (const item of standIn.list(list)?.items.values() ?? []) place.records.push(JSON.stringify(item.fields));
      return place;
    };
    return {
      kind: 'sharepoint',
      closedRecordsConfigured: withClosedLists,
      pdfCopies,
      async publish(given, previous) {
        const pkg = pdfCopies ? await withCopies(given) : given;
        const published = await runDriver(standIn, {
          kind: 'publish',
          graph,
          siteId: standIn.siteId,
          decisionsListId: setup.decisionsListId,
          actionsListId: setup.actionsListId,
          ...(withClosedLists
            ? { closedDecisionsListId: setup.closedDecisionsListId, closedActionsListId: setup.closedActionsListId }
            : {}),
          previous,
          package: { ...pkg, files: pkg.files.map((f) => ({ name: f.name, part: f.part, base64: f.content.toString('base64') })) },
        });
        assert.ok(published.ok, `publish failed: ${published.error}\n${published.stderr}`);
        return published.result as PublishResult;
      },
      readPublic: () => read('Besluitenlijsten', [DECISIONS_LIST_NAME, ACTIONS_LIST_NAME]),
      // Without closed lists the closed lists still exist (the setup made them): they must stay empty.
      readClosed: () => read('Besloten', [CLOSED_DECISIONS_LIST_NAME, CLOSED_ACTIONS_LIST_NAME]),
      async reset() {
        standIn.resetContent();
      },
      async stop() {
        await standIn.close();
      },
    };
  };
}

publisherContract('SharePointMinutesPublisher with closed lists (Graph stand-in)', sharePointHarness(true));
publisherContract('SharePointMinutesPublisher without closed lists (Graph stand-in)', sharePointHarness(false));
publisherContract('SharePointMinutesPublisher with PDF copies (MINUTES_PDF=1, Graph stand-in)', sharePointHarness(true, true));
