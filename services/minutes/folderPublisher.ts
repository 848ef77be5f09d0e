// The embedded default: minutes written to a local folder, one folder per meeting. Each file is written
// to a temporary name, flushed and renamed, so a reader never sees half a document and a republish
// replaces the earlier file in one step.
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { safeFileTitle } from './package';
import type { MinutesPackage, MinutesPublisher, PublishResult } from './publisher';

export class FolderMinutesPublisher implements MinutesPublisher {
  readonly kind = 'folder';

  constructor(private readonly root: string) {}

  async publish(pkg: MinutesPackage): Promise<PublishResult> {
    const folder = resolve(this.root, `${pkg.meetingDate} ${safeFileTitle(pkg.body)}`);
    await mkdir(folder, { recursive: true });
    const files: PublishResult['files'] = [];
    for (const file of pkg.files) {
      const target = join(folder, file.name);
      await writeAtomically(target, file.content);
      files.push({ name: file.name, url: pathToFileURL(target).href });
    }
    // The records that would become SharePoint list items, kept beside the documents.
    await writeAtomically(
      join(folder, 'besluiten-en-acties.json'),
      Buffer.from(JSON.stringify({ decisions: pkg.decisions, actions: pkg.actions }, null, 2)),
    );
    return { files };
  }
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
