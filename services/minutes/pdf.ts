// PDF/A copies of the minutes (MINUTES_PDF=1), the form in which public bodies publish: beside each
// published .docx a PDF/A-2b of it with the same name, in the same place (the besloten one in the closed
// place only), made with LibreOffice headless.
//
// Each conversion gets a private temporary folder (mode 0700: the closed document passes through it) with
// a LibreOffice profile of its own, and the folder is removed afterwards whatever happened. LibreOffice
// does not take well to two instances at once, so conversions run one at a time, and one that hangs is
// killed (with everything it started) after CONVERT_TIMEOUT_MS. A document that cannot be converted is
// published without its copy, and the publisher's log says so: the .docx is what counts.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MinutesFile, MinutesPackage, MinutesPublisher, PublisherLog } from './publisher';

/** LibreOffice's command, looked up on PATH. */
export const SOFFICE = 'soffice';
/** A conversion still running after this long is killed. */
export const CONVERT_TIMEOUT_MS = 120_000;

/**
 * The PDF export filter with its options as JSON (LibreOffice 7.4 and later): SelectPdfVersion 2 is
 * PDF/A-2b (1 would be PDF/A-1b, 3 PDF/A-3b).
 */
const FILTER = `pdf:writer_pdf_Export:${JSON.stringify({ SelectPdfVersion: { type: 'long', value: '2' } })}`;
/**
 * The same setting as the profile's default for the PDF export: a LibreOffice older than 7.4 ignores the
 * JSON above but reads this, so the copy is PDF/A there too.
 */
const PROFILE_SETTINGS = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export"><prop oor:name="SelectPdfVersion" oor:op="fuse"><value>2</value></prop></item>
</oor:items>
`;
/** A PDF/A declares itself in its XMP metadata (pdfaid:part, pdfaid:conformance). */
const PDFA_MARK = 'pdfaid:part';

export interface PdfOptions {
  /** The LibreOffice command (default `soffice` on PATH); tests put a stand-in here. */
  command?: string;
  timeoutMs?: number;
  /** Where the private temporary folder is made (default the system's temporary folder). */
  tempRoot?: string;
}

/** Whether `command` is an executable file in one of PATH's folders. */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The conversions of this process, one after the other. */
let queue: Promise<unknown> = Promise.resolve();

/** A .docx as PDF/A-2b. Rejects when LibreOffice fails, hangs, or makes something that is not PDF/A. */
export function docxToPdfA(docx: Buffer, opts: PdfOptions = {}): Promise<Buffer> {
  const conversion = queue.then(() => convert(docx, opts));
  queue = conversion.catch(() => undefined);
  return conversion;
}

async function convert(docx: Buffer, opts: PdfOptions): Promise<Buffer> {
  // mkdtemp makes the folder readable for this user only.
  const dir = await mkdtemp(join(opts.tempRoot ?? tmpdir(), 'notulist-pdf-'));
  try {
    const profile = join(dir, 'profile');
    await mkdir(join(profile, 'user'), { recursive: true });
    await writeFile(join(profile, 'user', 'registrymodifications.xcu'), PROFILE_SETTINGS);
    // Fixed names: no title in a path, a log line or an argument.
    const input = join(dir, 'minutes.docx');
    const outDir = join(dir, 'out');
    await writeFile(input, docx);
    const output = await run(
      opts.command ?? SOFFICE,
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--convert-to', FILTER, '--outdir', outDir, input],
      opts.timeoutMs ?? CONVERT_TIMEOUT_MS,
    );
    let pdf: Buffer;
    try {
      pdf = await readFile(join(outDir, 'minutes.pdf'));
    } catch {
      throw new Error(`LibreOffice made no PDF${output ? ` (${output})` : ''}`);
    }
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('LibreOffice made a file that is not a PDF');
    if (!pdf.includes(PDFA_MARK)) throw new Error('LibreOffice made a PDF that is not PDF/A (it did not take the PDF/A setting)');
    return pdf;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the command without a shell, in a process group of its own so that a timeout kills what it started
 * too (soffice starts soffice.bin). Resolves with the gist of its output (the last line that says
 * something), rejects when it fails to start, exits non-zero, or runs past `timeoutMs`.
 */
function run(command: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4096);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, () => child.kill('SIGKILL'));
    }, timeoutMs);
    const gist = () =>
      output
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !/javaldx/.test(l))
        .at(-1)
        ?.slice(0, 300) ?? '';
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`LibreOffice (${command}) could not be started: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) reject(new Error(`LibreOffice did not finish within ${Math.round(timeoutMs / 1000)} s`));
      else if (code !== 0) reject(new Error(`LibreOffice stopped with ${signal ?? `exit code ${code}`}${gist() ? ` (${gist()})` : ''}`));
      else resolve(gist());
    });
  });
}

function killGroup(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid === undefined || process.platform === 'win32') throw new Error('no process group');
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

export interface PdfCopiesOptions {
  /** The conversion (default docxToPdfA); tests put a stand-in here. */
  convert?: (docx: Buffer) => Promise<Buffer>;
  log?: PublisherLog;
}

/**
 * The package with a PDF/A copy right after each .docx: the same name with `.pdf`, the same part (so a
 * publisher puts the besloten copy in the closed place, beside its document). A document that fails to
 * convert goes without its copy; the failure is logged (meeting and part, no title).
 */
export async function addPdfCopies(pkg: MinutesPackage, opts: PdfCopiesOptions = {}): Promise<MinutesPackage> {
  const convert = opts.convert ?? ((docx: Buffer) => docxToPdfA(docx));
  const files: MinutesFile[] = [];
  for (const file of pkg.files) {
    files.push(file);
    if (!/\.docx$/i.test(file.name)) continue;
    try {
      files.push({ name: pdfName(file.name), part: file.part, content: await convert(file.content) });
    } catch (err) {
      opts.log?.warn(
        { meetingId: pkg.meetingId, part: file.part, err: err instanceof Error ? err.message : String(err) },
        'minutes: no PDF/A copy made; the .docx is published without it',
      );
    }
  }
  return { ...pkg, files };
}

/** "… openbaar.docx" → "… openbaar.pdf". */
export function pdfName(docxName: string): string {
  return docxName.replace(/\.docx$/i, '.pdf');
}

/**
 * `publisher` with a PDF/A copy beside each document it publishes (MINUTES_PDF=1). The copies are made from
 * the package each publish renders, so a publish a restart finishes makes them again.
 */
export function withPdfCopies(publisher: MinutesPublisher, opts: PdfCopiesOptions = {}): MinutesPublisher {
  return {
    kind: publisher.kind,
    publish: async (pkg, previous) => publisher.publish(await addPdfCopies(pkg, opts), previous),
    ...(publisher.cleanUp ? { cleanUp: () => publisher.cleanUp!() } : {}),
  };
}
