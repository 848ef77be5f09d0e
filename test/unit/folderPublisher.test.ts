// The folder publisher: the public part in MINUTES_DIR, the closed part in a tree of its own
// (MINUTES_CLOSED_DIR, default MINUTES_DIR/besloten), each meeting in a folder that is its own, files
// written through a `.tmp` folder where nothing is published, and what a crash or an older version left
// cleaned up at start. (The behaviours both publishers share are in publisher.contract.test.ts.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import {
  CLOSED_RECORDS_FILE,
  DEFAULT_CLOSED_FOLDER,
  FolderMinutesPublisher,
  RECORDS_FILE,
  TEMP_FOLDER,
} from '../../services/minutes/folderPublisher';
import { buildMinutesPackage } from '../../services/minutes/package';
import { CLOSED_TEXTS, otherChatSeries, SECRET_ACTION, SECRET_DECISION, seriesWithClosedItem } from '../support/closedMeeting';
import { OCTOBER_MEETING_ID, seedSeries } from '../support/seedMeeting';

const BASE = '2016-10-10 Districtelijk Veiligheidsoverleg';
const OPEN_DOC = `${BASE} openbaar.docx`;
const CLOSED_DOC = `${BASE} besloten.docx`;
const SECOND_MEETING = `${OCTOBER_MEETING_ID}-tweede`;

interface RegisterJson {
  meetingId: string;
  seriesId: string;
  part: string;
  decisions: Record<string, unknown>[];
  actions: Record<string, unknown>[];
}

async function docxText(bytes: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');
}

/** Every file under `dir`, as paths relative to it. */
function allFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 12);

describe('minutes: folder publisher', () => {
  let root: string;
  let closedRoot: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'notulist-folder-'));
    closedRoot = join(root, DEFAULT_CLOSED_FOLDER);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const register = (tree: string, folder: string, file: string): RegisterJson => JSON.parse(readFileSync(join(tree, folder, file), 'utf8'));
  const meetingFolders = (tree: string): string[] =>
    existsSync(tree)
      ? readdirSync(tree)
          .filter((n) => /^\d{4}-/.test(n))
          .sort()
      : [];

  it('puts the public part in MINUTES_DIR and the closed part with its own register in the closed tree beside it', async () => {
    const publisher = new FolderMinutesPublisher(root);
    const result = await publisher.publish(await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID));

    assert.deepEqual(readdirSync(root).sort(), [TEMP_FOLDER, BASE, DEFAULT_CLOSED_FOLDER].sort());
    assert.deepEqual(readdirSync(join(root, BASE)).sort(), [OPEN_DOC, RECORDS_FILE]);
    assert.deepEqual(readdirSync(join(closedRoot, BASE)).sort(), [CLOSED_DOC, CLOSED_RECORDS_FILE]);
    assert.deepEqual(readdirSync(join(root, TEMP_FOLDER)), [], 'no temporary file is left');
    assert.deepEqual(readdirSync(join(closedRoot, TEMP_FOLDER)), []);
    assert.equal(statSync(closedRoot).mode & 0o777, 0o700, 'the closed tree is the bot’s own until an administrator grants more');

    // The public register: public records only, no closed flag at all.
    const open = register(root, BASE, RECORDS_FILE);
    assert.equal(open.meetingId, OCTOBER_MEETING_ID);
    assert.equal(open.part, 'openbaar');
    assert.deepEqual(
      open.decisions.map((d) => d.key),
      ['2016-10-10/1', '2016-10-10/2', '2016-10-10/3'],
    );
    assert.deepEqual(
      open.actions.map((a) => a.number),
      [1, 2, 3],
    );
    const openJson = JSON.stringify(open);
    assert.ok(!openJson.includes('"closed"'), 'no record carries a closed flag');
    for (const secret of CLOSED_TEXTS) assert.ok(!openJson.includes(secret), `public register leaks "${secret}"`);
    assert.ok(!(await docxText(readFileSync(join(root, BASE, OPEN_DOC)))).includes(SECRET_DECISION));

    // The closed register: the closed ones, naming the meeting.
    const closed = register(closedRoot, BASE, CLOSED_RECORDS_FILE);
    assert.equal(closed.meetingId, OCTOBER_MEETING_ID);
    assert.equal(closed.part, 'besloten');
    assert.deepEqual(
      closed.decisions.map((d) => [d.key, d.text]),
      [['2016-10-10/4', SECRET_DECISION]],
    );
    assert.deepEqual(
      closed.actions.map((a) => [a.number, a.text]),
      [[4, SECRET_ACTION]],
    );
    assert.ok((await docxText(readFileSync(join(closedRoot, BASE, CLOSED_DOC)))).includes(SECRET_DECISION));

    assert.deepEqual(
      result.files.map((f) => fileURLToPath(f.url)),
      [join(root, BASE, OPEN_DOC), join(closedRoot, BASE, CLOSED_DOC)],
    );
    assert.deepEqual(result.closedLocation, { kind: 'folder', description: join(closedRoot, BASE), records: 'register' });
  });

  it('writes the closed tree where MINUTES_CLOSED_DIR says, outside MINUTES_DIR', async () => {
    const elsewhere = join(root, 'elders', 'vertrouwelijk');
    const minutesDir = join(root, 'notulen');
    const publisher = new FolderMinutesPublisher(minutesDir, { closedRoot: elsewhere });
    assert.equal(publisher.closedRoot, elsewhere);
    await publisher.publish(await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID));
    assert.deepEqual(allFiles(minutesDir).sort(), [`${BASE}/${OPEN_DOC}`, `${BASE}/${RECORDS_FILE}`]);
    assert.deepEqual(allFiles(elsewhere).sort(), [`${BASE}/${CLOSED_DOC}`, `${BASE}/${CLOSED_RECORDS_FILE}`]);
  });

  it('gives two chats’ meetings with the same title and date a folder each, in both trees; a republish goes back to its own', async () => {
    const publisher = new FolderMinutesPublisher(root);
    const chatA = seriesWithClosedItem();
    const chatB = otherChatSeries();
    const b = await publisher.publish(await buildMinutesPackage(chatB, SECOND_MEETING));
    const a = await publisher.publish(await buildMinutesPackage(chatA, OCTOBER_MEETING_ID));

    // Chat B came first and has no closed part: chat A's public folder is "(2)", and its closed folder is named alike.
    assert.deepEqual(meetingFolders(root), [BASE, `${BASE} (2)`]);
    assert.deepEqual(meetingFolders(closedRoot), [`${BASE} (2)`]);
    assert.equal(register(root, BASE, RECORDS_FILE).meetingId, SECOND_MEETING);
    assert.equal(register(root, `${BASE} (2)`, RECORDS_FILE).meetingId, OCTOBER_MEETING_ID);
    assert.equal(register(closedRoot, `${BASE} (2)`, CLOSED_RECORDS_FILE).meetingId, OCTOBER_MEETING_ID);
    assert.notEqual(register(root, BASE, RECORDS_FILE).seriesId, register(root, `${BASE} (2)`, RECORDS_FILE).seriesId);
    assert.deepEqual(
      b.files.map((f) => fileURLToPath(f.url)),
      [join(root, BASE, OPEN_DOC)],
    );
    assert.equal(b.closedLocation, undefined);
    assert.deepEqual(
      a.files.map((f) => fileURLToPath(f.url)),
      [join(root, `${BASE} (2)`, OPEN_DOC), join(closedRoot, `${BASE} (2)`, CLOSED_DOC)],
    );
    const keysA = register(root, `${BASE} (2)`, RECORDS_FILE).actions.map((x) => x.key);
    const keysB = register(root, BASE, RECORDS_FILE).actions.map((x) => x.key);
    assert.ok(!keysA.some((k) => keysB.includes(k)), 'action keys differ between the chats');

    // Chat A republishes with a changed decision: it lands in its own folders, chat B's is untouched.
    const bBefore = readFileSync(join(root, BASE, OPEN_DOC));
    chatA.meetings[1]!.decisions[0]!.text = 'Gewijzigd na herpublicatie.';
    chatA.meetings[1]!.decisions[3]!.text = 'Vertrouwelijk, gewijzigd.';
    const again = await publisher.publish(await buildMinutesPackage(chatA, OCTOBER_MEETING_ID));
    assert.deepEqual(meetingFolders(root), [BASE, `${BASE} (2)`]);
    assert.deepEqual(meetingFolders(closedRoot), [`${BASE} (2)`]);
    assert.deepEqual(
      again.files.map((f) => f.url),
      a.files.map((f) => f.url),
    );
    assert.ok((await docxText(readFileSync(join(root, `${BASE} (2)`, OPEN_DOC)))).includes('Gewijzigd na herpublicatie.'));
    assert.ok((await docxText(readFileSync(join(closedRoot, `${BASE} (2)`, CLOSED_DOC)))).includes('Vertrouwelijk, gewijzigd.'));
    assert.ok(readFileSync(join(root, BASE, OPEN_DOC)).equals(bBefore));

    // A third chat's meeting with a closed part: "(3)" in both trees (chat A has "(2)" in the closed tree).
    const chatC = otherChatSeries();
    chatC.conversationId = '19:dvo-twente-derde@thread.v2';
    for (const m of chatC.meetings) m.id = m.id.replace('-tweede', '-derde');
    for (const action of chatC.actions) action.meetingId = action.meetingId.replace('-tweede', '-derde');
    chatC.meetings[1]!.agenda[1]!.closed = true;
    await publisher.publish(await buildMinutesPackage(chatC, `${OCTOBER_MEETING_ID}-derde`));
    assert.deepEqual(meetingFolders(root), [BASE, `${BASE} (2)`, `${BASE} (3)`]);
    assert.deepEqual(meetingFolders(closedRoot), [`${BASE} (2)`, `${BASE} (3)`]);
  });

  it('removes the closed document, its register and its folder from the closed tree when a republish has no closed item', async () => {
    const publisher = new FolderMinutesPublisher(root);
    const series = seriesWithClosedItem();
    await publisher.publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    // Another meeting's closed folder with the same name pattern stays.
    const other = otherChatSeries();
    other.meetings[1]!.agenda[1]!.closed = true;
    await publisher.publish(await buildMinutesPackage(other, SECOND_MEETING));
    assert.deepEqual(meetingFolders(closedRoot), [BASE, `${BASE} (2)`]);

    for (const item of series.meetings[1]!.agenda) item.closed = false;
    const again = await publisher.publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    assert.deepEqual(meetingFolders(closedRoot), [`${BASE} (2)`], 'only the other meeting’s closed folder is left');
    assert.deepEqual(readdirSync(join(root, BASE)).sort(), [OPEN_DOC, RECORDS_FILE]);
    assert.deepEqual(
      again.files.map((f) => f.name),
      [OPEN_DOC],
    );
    assert.equal(again.closedLocation, undefined);
  });

  it('takes over a folder without records (an older version) and skips one it cannot read', async () => {
    const publisher = new FolderMinutesPublisher(root);
    mkdirSync(join(root, BASE));
    writeFileSync(join(root, BASE, OPEN_DOC), 'older version');
    mkdirSync(join(root, `${BASE} (2)`));
    writeFileSync(join(root, `${BASE} (2)`, RECORDS_FILE), '{ not json');

    await publisher.publish(await buildMinutesPackage(seedSeries(), OCTOBER_MEETING_ID));
    assert.equal(register(root, BASE, RECORDS_FILE).meetingId, OCTOBER_MEETING_ID);
    assert.notEqual(readFileSync(join(root, BASE, OPEN_DOC), 'utf8'), 'older version');

    const b = await publisher.publish(await buildMinutesPackage(otherChatSeries(), SECOND_MEETING));
    assert.deepEqual(meetingFolders(root), [BASE, `${BASE} (2)`, `${BASE} (3)`]);
    assert.equal(register(root, `${BASE} (3)`, RECORDS_FILE).meetingId, SECOND_MEETING);
    assert.equal(readFileSync(join(root, `${BASE} (2)`, RECORDS_FILE), 'utf8'), '{ not json', 'the unreadable folder is left alone');
    assert.equal(fileURLToPath(b.files[0]!.url), join(root, `${BASE} (3)`, OPEN_DOC));
  });

  it('cleans up at start what a crash left: temporary files in both .tmp folders, and an older version’s beside the minutes', async () => {
    const closedElsewhere = join(root, 'besloten-elders');
    const minutesDir = join(root, 'notulen');
    const first = new FolderMinutesPublisher(minutesDir, { closedRoot: closedElsewhere });
    await first.publish(await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID));

    const dead = deadPid();
    const hour = Date.now() / 1000 - 3600;
    const crashed = [
      join(minutesDir, TEMP_FOLDER, `${HOST_TAG}.${dead}.0123456789abcdef.tmp`),
      join(closedElsewhere, TEMP_FOLDER, `${HOST_TAG}.${dead}.fedcba9876543210.tmp`),
      // A restarted container gets its old pid again: at start nothing of its own is being written.
      join(closedElsewhere, TEMP_FOLDER, `${HOST_TAG}.${process.pid}.aaaaaaaaaaaaaaaa.tmp`),
      // Another host's (a shared folder), an hour old.
      join(minutesDir, TEMP_FOLDER, 'ffffffffffff.12.bbbbbbbbbbbbbbbb.tmp'),
      // Versions before the .tmp folders wrote "<name>.<pid>.tmp" beside the minutes.
      join(minutesDir, BASE, `${CLOSED_DOC}.${dead}.tmp`),
      join(closedElsewhere, BASE, `${CLOSED_DOC}.${dead}.tmp`),
    ];
    const kept = [
      // Another host's, written a moment ago: it may still be in use.
      join(minutesDir, TEMP_FOLDER, 'ffffffffffff.13.cccccccccccccccc.tmp'),
      // A live process's on this host (another instance on the same folder).
      join(minutesDir, TEMP_FOLDER, `${HOST_TAG}.${process.ppid}.dddddddddddddddd.tmp`),
    ];
    for (const file of [...crashed, ...kept]) writeFileSync(file, 'vertrouwelijk, half geschreven');
    utimesSync(crashed[3]!, hour, hour);

    const second = new FolderMinutesPublisher(minutesDir, { closedRoot: closedElsewhere });
    await second.cleanUp();
    for (const file of crashed) assert.ok(!existsSync(file), `${file} is removed`);
    for (const file of kept) assert.ok(existsSync(file), `${file} is kept`);
    assert.deepEqual(allFiles(closedElsewhere).sort(), [`${BASE}/${CLOSED_DOC}`, `${BASE}/${CLOSED_RECORDS_FILE}`]);
    // Once: a second call does nothing more (publish() calls it too).
    writeFileSync(crashed[0]!, 'x');
    await second.cleanUp();
    assert.ok(existsSync(crashed[0]!));
  });

  it('moves an older version’s closed part out of the public folder at start: besloten.docx and the closed records', async () => {
    // The layout before the closed tree: both documents in one folder, closed records marked in the one register.
    const pkg = await buildMinutesPackage(seriesWithClosedItem(), OCTOBER_MEETING_ID);
    mkdirSync(join(root, BASE));
    for (const file of pkg.files) writeFileSync(join(root, BASE, file.name), file.content);
    const legacy = { meetingId: pkg.meetingId, seriesId: pkg.seriesId, decisions: pkg.decisions, actions: pkg.actions };
    writeFileSync(join(root, BASE, RECORDS_FILE), JSON.stringify(legacy, null, 2));
    writeFileSync(join(root, BASE, `${CLOSED_DOC}.4242.tmp`), 'half');

    const publisher = new FolderMinutesPublisher(root);
    await publisher.cleanUp();
    assert.deepEqual(readdirSync(join(root, BASE)).sort(), [OPEN_DOC, RECORDS_FILE]);
    assert.deepEqual(readdirSync(join(closedRoot, BASE)).sort(), [CLOSED_DOC, CLOSED_RECORDS_FILE]);
    const open = readFileSync(join(root, BASE, RECORDS_FILE), 'utf8');
    for (const secret of CLOSED_TEXTS) assert.ok(!open.includes(secret), `public register still holds "${secret}"`);
    assert.ok(!open.includes('"closed"'));
    assert.equal(register(root, BASE, RECORDS_FILE).decisions.length, 3);
    const closed = register(closedRoot, BASE, CLOSED_RECORDS_FILE);
    assert.equal(closed.meetingId, OCTOBER_MEETING_ID);
    assert.deepEqual(
      closed.decisions.map((d) => d.text),
      [SECRET_DECISION],
    );
    assert.deepEqual(
      closed.actions.map((a) => a.text),
      [SECRET_ACTION],
    );
    assert.ok(readFileSync(join(closedRoot, BASE, CLOSED_DOC)).equals(pkg.files[1]!.content));

    // The next publish finds the moved part its own and replaces it in place.
    await publisher.publish(pkg);
    assert.deepEqual(meetingFolders(closedRoot), [BASE]);
    assert.deepEqual(readdirSync(join(closedRoot, BASE)).sort(), [CLOSED_DOC, CLOSED_RECORDS_FILE]);
  });

  it('a title of 200 × "会" publishes: every name within 255 bytes, and no folder left behind', async () => {
    const series = seriesWithClosedItem();
    series.meetings[1]!.title = '会'.repeat(200);
    const publisher = new FolderMinutesPublisher(root);
    const result = await publisher.publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    assert.equal(result.files.length, 2);
    const names = [...allFiles(root), ...meetingFolders(root), ...meetingFolders(closedRoot)].flatMap((p) => p.split('/'));
    for (const name of names) assert.ok(Buffer.byteLength(name) <= 255, `${name}: ${Buffer.byteLength(name)} bytes`);
    assert.equal(meetingFolders(root).length, 1);
    assert.equal(meetingFolders(closedRoot).length, 1);
  });

  it('a title with an emoji at the cut publishes with the emoji whole', async () => {
    const series = seedSeries();
    series.meetings[1]!.title = `${'a'.repeat(79)}😀 en meer`;
    await new FolderMinutesPublisher(root).publish(await buildMinutesPackage(series, OCTOBER_MEETING_ID));
    assert.deepEqual(meetingFolders(root), [`2016-10-10 ${'a'.repeat(79)}😀`]);
  });
});
