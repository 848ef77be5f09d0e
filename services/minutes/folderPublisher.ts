// The embedded default: minutes written to local folders, one folder per meeting, in two trees. The public
// part goes to MINUTES_DIR, the closed part to a tree of its own (MINUTES_CLOSED_DIR, by default the
// `besloten` folder inside MINUTES_DIR, beside the meeting folders), so that an administrator can restrict
// the closed tree to the chair and the secretary with file-system permissions:
//
//   <MINUTES_DIR>/<date> <title>/<date> <title> openbaar.docx
//   <MINUTES_DIR>/<date> <title>/besluiten-en-acties.json                  public decisions and actions only
//   <MINUTES_CLOSED_DIR>/<date> <title>/<date> <title> besloten.docx
//   <MINUTES_CLOSED_DIR>/<date> <title>/besloten-besluiten-en-acties.json  the closed ones
//
// With MINUTES_PDF=1 the package holds a PDF/A copy after each .docx (pdf.ts), written beside it like any
// document; a copy the package no longer has (the conversion failed this time, or MINUTES_PDF was turned
// off) is removed, so no PDF of an earlier version stays beside a newer document.
//
// Each file is written under a temporary name in its tree's own `.tmp` folder, where nothing is published
// (and on the same file system as the minutes, so the rename is atomic), flushed and renamed into place:
// a reader never sees half a document, a republish replaces the earlier file in one step, and a crash
// leaves a temporary file only in `.tmp`, which cleanUp() empties at the next start.
//
// A meeting's folder is "<date> <title>". Two chats can hold a meeting with the same title on the same
// day, so a folder is only used when it is free or already this meeting's: the register in it names its
// meeting. Otherwise the next of "<date> <title> (2)", "(3)", … is tried. The closed folder takes the
// public folder's name when that is free (or this meeting's) in the closed tree.
import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { MinutesPart } from './model';
import { meetingFolderName, partOfFileName } from './package';
import { pdfName } from './pdf';
import type {
  MinutesFile,
  MinutesPackage,
  MinutesPublisher,
  PublishedAction,
  PublishedDecision,
  PublisherLog,
  PublishResult,
} from './publisher';

/** The public register beside openbaar.docx: the records SharePoint's public lists would hold; also the folder's owner. */
export const RECORDS_FILE = 'besluiten-en-acties.json';
/** The closed register beside besloten.docx, in the closed tree: the closed decisions and actions; also that folder's owner. */
export const CLOSED_RECORDS_FILE = 'besloten-besluiten-en-acties.json';
/** The closed tree's default place: this folder inside MINUTES_DIR. */
export const DEFAULT_CLOSED_FOLDER = 'besloten';
/** Where a tree's temporary files are written: at its root, beside no minutes. */
export const TEMP_FOLDER = '.tmp';
/** "(2)" … "(100)": far more meetings with one title on one day than any site has. */
const MAX_FOLDERS = 100;
/** A temporary file of another host (a shared folder) is taken for a leftover once it is this old. */
const STALE_TEMP_MS = 10 * 60 * 1000;
/** Meeting folders start with their date; nothing else in a tree (`.tmp`, `besloten`) does. */
const MEETING_FOLDER = /^\d{4}-\d{2}-\d{2} /;
/** What versions before the `.tmp` folders left beside the minutes: "<name>.<pid>.tmp". */
const LEGACY_TEMP = /\.\d+\.tmp$/;

/** Temporary files are named "<host>.<pid>.<random>.tmp" (no title in them), so a start can tell whose they are. */
const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 12);

export interface FolderPublisherOptions {
  /** MINUTES_CLOSED_DIR; default `<root>/besloten`. */
  closedRoot?: string;
  log?: PublisherLog;
  /**
   * TEST HOOK (NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE), inert unless set: after the temporary file of
   * this part's document is written and flushed, say so on stderr and wait (60 s) before renaming it,
   * so a test can kill the process at that moment.
   */
  pauseAfterTempFile?: MinutesPart;
}

interface Tree {
  root: string;
  registerFile: string;
  /** Made readable for the bot's own user only when the bot creates it (the closed tree). */
  privateRoot: boolean;
}

interface Register {
  meetingId: string;
  seriesId: string;
  part: MinutesPart;
  decisions: Omit<PublishedDecision, 'closed'>[];
  actions: Omit<PublishedAction, 'closed'>[];
}

export class FolderMinutesPublisher implements MinutesPublisher {
  readonly kind = 'folder';
  private readonly publicTree: Tree;
  private readonly closedTree: Tree;
  private cleaned?: Promise<void>;

  constructor(
    root: string,
    private readonly opts: FolderPublisherOptions = {},
  ) {
    this.publicTree = { root: resolve(root), registerFile: RECORDS_FILE, privateRoot: false };
    this.closedTree = {
      root: resolve(opts.closedRoot ?? join(root, DEFAULT_CLOSED_FOLDER)),
      registerFile: CLOSED_RECORDS_FILE,
      privateRoot: true,
    };
  }

  /** The closed tree's root (MINUTES_CLOSED_DIR). */
  get closedRoot(): string {
    return this.closedTree.root;
  }

  cleanUp(): Promise<void> {
    this.cleaned ??= this.removeLeftovers().catch((err: unknown) =>
      this.opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'minutes folder: clean-up at start failed'),
    );
    return this.cleaned;
  }

  async publish(pkg: MinutesPackage): Promise<PublishResult> {
    await this.cleanUp();
    const base = meetingFolderName({ date: pkg.meetingDate, title: pkg.body });
    const closedFiles = pkg.files.filter((f) => f.part === 'besloten');
    const hasClosed = closedFiles.length > 0 || pkg.decisions.some((d) => d.closed) || pkg.actions.some((a) => a.closed);

    // The records first: they name the meeting, so the folder is claimed before the documents go in.
    const publicFolder = await this.claimFolder(this.publicTree, base, pkg.meetingId, 1);
    // A besloten document beside the public one was written by a version before the closed tree.
    await removeClosedDocuments(publicFolder.path);
    await this.write(this.publicTree, join(publicFolder.path, RECORDS_FILE), registerJson(pkg, 'openbaar'));
    const files: PublishResult['files'] = [];
    const publicFiles = pkg.files.filter((f) => f.part === 'openbaar');
    for (const file of publicFiles) files.push(await this.writeDocument(this.publicTree, publicFolder.path, file));
    await removeMissingCopies(publicFolder.path, publicFiles);

    if (!hasClosed) {
      // A closed part an earlier publish wrote and this one does not have (its items are no longer closed).
      await this.removeClosedPart(base, pkg.meetingId);
      return { files };
    }
    const closed = await this.claimFolder(this.closedTree, base, pkg.meetingId, publicFolder.n);
    await this.write(this.closedTree, join(closed.path, CLOSED_RECORDS_FILE), registerJson(pkg, 'besloten'));
    for (const file of closedFiles) files.push(await this.writeDocument(this.closedTree, closed.path, file));
    await removeMissingCopies(closed.path, closedFiles);
    return { files, closedLocation: { kind: 'folder', description: closed.path, records: 'register' } };
  }

  // -- folders --------------------------------------------------------------------------------------

  /** The first of "<date> <title>", "… (2)", … from "(startAt)" on that is free or this meeting's, in `tree`. */
  private async claimFolder(tree: Tree, base: string, meetingId: string, startAt: number): Promise<{ path: string; n: number }> {
    await this.ensureRoot(tree);
    const order = [...range(startAt, MAX_FOLDERS), ...range(1, startAt - 1)];
    for (const n of order) {
      const path = join(tree.root, folderName(base, n));
      try {
        // Not recursive: EEXIST tells a folder someone already has from one this publish made.
        await mkdir(path);
        return { path, n };
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
      if ((await folderOwner(path, tree.registerFile, meetingId)) !== 'other') return { path, n };
    }
    throw new Error(`no free folder for "${base}" among ${MAX_FOLDERS}`);
  }

  private async ensureRoot(tree: Tree): Promise<void> {
    if (!tree.privateRoot) {
      await mkdir(tree.root, { recursive: true });
      return;
    }
    // The parents as usual; the closed tree itself readable by the bot's user only, until the administrator grants more.
    await mkdir(dirname(tree.root), { recursive: true });
    await mkdir(tree.root, { mode: 0o700 }).catch((err: unknown) => {
      if (errorCode(err) !== 'EEXIST') throw err;
    });
  }

  /** Removes this meeting's closed documents and register from the closed tree, and its folder there when that is empty. */
  private async removeClosedPart(base: string, meetingId: string): Promise<void> {
    for (const name of await listNames(this.closedTree.root)) {
      if (!isMeetingFolderName(name, base)) continue;
      const folder = join(this.closedTree.root, name);
      if ((await folderOwner(folder, CLOSED_RECORDS_FILE, meetingId)) !== 'ours') continue;
      await removeClosedDocuments(folder);
      await rm(join(folder, CLOSED_RECORDS_FILE), { force: true });
      await rmdir(folder).catch(() => undefined);
    }
  }

  // -- files ----------------------------------------------------------------------------------------

  private async writeDocument(tree: Tree, folder: string, file: MinutesFile): Promise<PublishResult['files'][number]> {
    const target = join(folder, file.name);
    await this.write(tree, target, file.content, file.part);
    return { name: file.name, url: pathToFileURL(target).href };
  }

  /** Writes `content` to `target` through a temporary file in the tree's `.tmp` folder (see the top of this file). */
  private async write(tree: Tree, target: string, content: Buffer, part?: MinutesPart): Promise<void> {
    const tempDir = join(tree.root, TEMP_FOLDER);
    await mkdir(tempDir, { recursive: true, mode: 0o700 });
    const temp = join(tempDir, `${HOST_TAG}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      await writeFile(temp, content, { flag: 'wx' });
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (part !== undefined && part === this.opts.pauseAfterTempFile) {
        process.stderr.write(`[test hook] paused after writing the temporary file ${temp}\n`);
        await sleep(60_000);
      }
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }

  // -- at start ---------------------------------------------------------------------------------------

  private async removeLeftovers(): Promise<void> {
    for (const tree of [this.publicTree, this.closedTree]) {
      const tempDir = join(tree.root, TEMP_FOLDER);
      for (const name of await listNames(tempDir)) {
        if (await isLeftover(join(tempDir, name), name)) await rm(join(tempDir, name), { recursive: true, force: true });
      }
      for (const name of await listNames(tree.root)) {
        if (!MEETING_FOLDER.test(name)) continue;
        for (const file of await listNames(join(tree.root, name))) {
          if (LEGACY_TEMP.test(file)) await rm(join(tree.root, name, file), { force: true });
        }
      }
    }
    await this.moveLegacyClosedParts();
  }

  /**
   * Versions before the closed tree wrote besloten.docx beside openbaar.docx, and the closed decisions and
   * actions (`closed: true`) into the public register. Moves both into the closed tree, under the same
   * folder name, unless that folder there is another meeting's (then they stay, and a warning says so).
   * Safe to repeat after a crash part way: each step is atomic, and a repeat finds what is still left.
   */
  private async moveLegacyClosedParts(): Promise<void> {
    for (const name of await listNames(this.publicTree.root)) {
      if (!MEETING_FOLDER.test(name)) continue;
      const folder = join(this.publicTree.root, name);
      const documents = (await listNames(folder)).filter(isClosedDocument);
      const register = await readRegister(join(folder, RECORDS_FILE));
      const closedRecords = {
        decisions: (register?.decisions ?? []).filter(isClosedRecord),
        actions: (register?.actions ?? []).filter(isClosedRecord),
      };
      if (documents.length === 0 && closedRecords.decisions.length + closedRecords.actions.length === 0) continue;
      const meetingId = typeof register?.meetingId === 'string' ? register.meetingId : undefined;
      const target = join(this.closedTree.root, name);
      const owner = await folderOwner(target, CLOSED_RECORDS_FILE, meetingId ?? '');
      if (owner === 'other' || (meetingId === undefined && owner !== 'free')) {
        this.opts.log?.warn(
          { folder: name },
          'minutes folder: an older closed part stays in place, its closed folder belongs to another meeting',
        );
        continue;
      }
      await this.ensureRoot(this.closedTree);
      await mkdir(target, { recursive: true });
      const closedRegisterExists = (await listNames(target)).includes(CLOSED_RECORDS_FILE);
      if (closedRecords.decisions.length + closedRecords.actions.length > 0 || !closedRegisterExists) {
        const closedRegister = {
          meetingId,
          seriesId: register?.seriesId,
          part: 'besloten',
          decisions: closedRecords.decisions.map(legacyRecord),
          actions: closedRecords.actions.map(legacyRecord),
        };
        await this.write(this.closedTree, join(target, CLOSED_RECORDS_FILE), Buffer.from(JSON.stringify(closedRegister, null, 2)));
      }
      for (const document of documents) await this.move(join(folder, document), join(target, document));
      if (register && closedRecords.decisions.length + closedRecords.actions.length > 0) {
        const publicRegister = {
          ...register,
          part: 'openbaar',
          decisions: (register.decisions ?? []).filter((r) => !isClosedRecord(r)).map(legacyRecord),
          actions: (register.actions ?? []).filter((r) => !isClosedRecord(r)).map(legacyRecord),
        };
        await this.write(this.publicTree, join(folder, RECORDS_FILE), Buffer.from(JSON.stringify(publicRegister, null, 2)));
      }
      this.opts.log?.info({ folder: name }, 'minutes folder: moved an older closed part to the closed folder');
    }
  }

  /** A rename, or (the closed tree on another file system) a copy through the closed tree's `.tmp`, then the removal. */
  private async move(from: string, to: string): Promise<void> {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return;
      if (errorCode(err) !== 'EXDEV') throw err;
    }
    const tempDir = join(this.closedTree.root, TEMP_FOLDER);
    await mkdir(tempDir, { recursive: true, mode: 0o700 });
    const temp = join(tempDir, `${HOST_TAG}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
    await copyFile(from, temp);
    await rename(temp, to);
    await rm(from, { force: true });
  }
}

/** "… besloten.docx" ("… closed.docx" in English, and their PDF/A copies): a closed document, whatever the title. */
const isClosedDocument = (name: string) => partOfFileName(name) === 'besloten';

async function removeClosedDocuments(folder: string): Promise<void> {
  for (const name of await listNames(folder)) if (isClosedDocument(name)) await rm(join(folder, name), { force: true });
}

/** Removes the PDF copy of each document in `files` that `files` has no copy of (see the top of this file). */
async function removeMissingCopies(folder: string, files: MinutesFile[]): Promise<void> {
  const names = new Set(files.map((f) => f.name));
  for (const file of files) {
    if (!/\.docx$/i.test(file.name) || names.has(pdfName(file.name))) continue;
    await rm(join(folder, pdfName(file.name)), { force: true });
  }
}

function registerJson(pkg: MinutesPackage, part: MinutesPart): Buffer {
  const closed = part === 'besloten';
  const register: Register = {
    meetingId: pkg.meetingId,
    seriesId: pkg.seriesId,
    part,
    decisions: pkg.decisions.filter((d) => d.closed === closed).map(withoutClosedFlag),
    actions: pkg.actions.filter((a) => a.closed === closed).map(withoutClosedFlag),
  };
  return Buffer.from(JSON.stringify(register, null, 2));
}

/** Which part a record is in is said by the register it is in. */
function withoutClosedFlag<T extends object>(record: T): Omit<T, 'closed'> {
  const { closed: _closed, ...rest } = record as T & { closed?: unknown };
  return rest;
}

/** A record of an older version's register, without its closed flag. */
function legacyRecord(record: unknown): unknown {
  return typeof record === 'object' && record !== null ? withoutClosedFlag(record) : record;
}

function isClosedRecord(record: unknown): boolean {
  return typeof record === 'object' && record !== null && (record as Record<string, unknown>).closed === true;
}

function folderName(base: string, n: number): string {
  return n === 1 ? base : `${base} (${n})`;
}

function isMeetingFolderName(name: string, base: string): boolean {
  return name === base || (name.startsWith(`${base} (`) && /^ \(\d+\)$/.test(name.slice(base.length)));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return [];
    throw err;
  }
}

async function readRegister(
  file: string,
): Promise<
  (Record<string, unknown> & { decisions?: unknown[]; actions?: unknown[]; meetingId?: unknown; seriesId?: unknown }) | undefined
> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const register = parsed as Record<string, unknown>;
    return {
      ...register,
      decisions: Array.isArray(register.decisions) ? register.decisions : undefined,
      actions: Array.isArray(register.actions) ? register.actions : undefined,
    };
  } catch {
    return undefined;
  }
}

/**
 * A temporary file in a `.tmp` folder left by a crash: one of this host whose process is gone (or has this
 * process's id: at start nothing of ours is being written yet, and a restarted container reuses its pid),
 * or any other (another host's, on a shared folder) once it is older than STALE_TEMP_MS.
 */
async function isLeftover(path: string, name: string): Promise<boolean> {
  const [host, pid] = name.split('.');
  if (host === HOST_TAG && pid !== undefined && /^\d+$/.test(pid)) return Number(pid) === process.pid || !processAlive(Number(pid));
  try {
    return Date.now() - (await stat(path)).mtimeMs > STALE_TEMP_MS;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM';
  }
}

/**
 * Who a folder belongs to, by the meeting id in its register. Without the file (written by an older
 * version, a publish that stopped right after creating the folder, or no folder at all) or without a
 * meeting id in it (an older version), nobody has claimed it: 'free'. Unreadable or not a folder: 'other',
 * to stay away.
 */
async function folderOwner(folder: string, registerFile: string, meetingId: string): Promise<'free' | 'ours' | 'other'> {
  let text: string;
  try {
    text = await readFile(join(folder, registerFile), 'utf8');
  } catch (err) {
    return errorCode(err) === 'ENOENT' ? 'free' : 'other';
  }
  let owner: unknown;
  try {
    const parsed: unknown = JSON.parse(text);
    owner = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).meetingId : undefined;
  } catch {
    return 'other';
  }
  if (owner === undefined) return 'free';
  return owner === meetingId ? 'ours' : 'other';
}

function errorCode(err: unknown): string | undefined {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
