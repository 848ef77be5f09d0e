// The embedded default: minutes written to a local folder, one folder per meeting. Each file is written
// to a temporary name, flushed and renamed, so a reader never sees half a document and a republish
// replaces the earlier file in one step.
//
// A meeting's folder is "<date> <title>". Two chats can hold a meeting with the same title on the same
// day, so a folder is only used when it is free or already this meeting's: the besluiten-en-acties.json
// in it names its meeting. Otherwise the next of "<date> <title> (2)", "(3)", … is tried.
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { minutesFileName, safeFileTitle } from './package';
import type { MinutesPackage, MinutesPublisher, PublishResult } from './publisher';

/** The records that would become SharePoint list items, kept beside the documents; also the folder's owner. */
export const RECORDS_FILE = 'besluiten-en-acties.json';
/** "(2)" … "(100)": far more meetings with one title on one day than any site has. */
const MAX_FOLDERS = 100;

export class FolderMinutesPublisher implements MinutesPublisher {
  readonly kind = 'folder';

  constructor(private readonly root: string) {}

  async publish(pkg: MinutesPackage): Promise<PublishResult> {
    const folder = await this.meetingFolder(pkg);
    // A closed part an earlier publish wrote and this one does not (its items are no longer closed) goes
    // first: it would otherwise stay beside the new minutes, closed content included.
    if (!pkg.files.some((f) => f.part === 'besloten'))
      await rm(join(folder, minutesFileName({ date: pkg.meetingDate, title: pkg.body }, 'besloten')), { force: true });
    // Then the records: they name the meeting, so the folder is claimed before the documents go in.
    const records = { meetingId: pkg.meetingId, seriesId: pkg.seriesId, decisions: pkg.decisions, actions: pkg.actions };
    await writeAtomically(join(folder, RECORDS_FILE), Buffer.from(JSON.stringify(records, null, 2)));
    const files: PublishResult['files'] = [];
    for (const file of pkg.files) {
      const target = join(folder, file.name);
      await writeAtomically(target, file.content);
      files.push({ name: file.name, url: pathToFileURL(target).href });
    }
    return { files };
  }

  /** The first of "<date> <title>", "… (2)", … that is free or this meeting's. */
  private async meetingFolder(pkg: MinutesPackage): Promise<string> {
    await mkdir(this.root, { recursive: true });
    const base = `${pkg.meetingDate} ${safeFileTitle(pkg.body)}`;
    for (let n = 1; n <= MAX_FOLDERS; n++) {
      const folder = resolve(this.root, n === 1 ? base : `${base} (${n})`);
      try {
        // Not recursive: EEXIST tells a folder someone already has from one this publish made.
        await mkdir(folder);
        return folder;
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
      if ((await folderOwner(folder, pkg.meetingId)) !== 'other') return folder;
    }
    throw new Error(`no free folder for "${base}" among ${MAX_FOLDERS}`);
  }
}

/**
 * Who a folder belongs to, by the meeting id in its records file. Without the file (written by an older
 * version, or a publish that stopped right after creating the folder) or without a meeting id in it
 * (an older version), nobody has claimed it: 'free'. Unreadable or not a folder: 'other', to stay away.
 */
async function folderOwner(folder: string, meetingId: string): Promise<'free' | 'ours' | 'other'> {
  let text: string;
  try {
    text = await readFile(join(folder, RECORDS_FILE), 'utf8');
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

async function writeAtomically(target: string, content: Buffer): Promise<void> {
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, content);
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, target);
}
