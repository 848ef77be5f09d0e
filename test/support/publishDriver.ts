// Runs the SharePoint publisher (or the setup) in a child process, so that the process can trust the
// stand-in's CA through NODE_EXTRA_CA_CERTS (Node reads it only at start-up).
//
// stdin: one JSON job; stdout: one JSON answer ({ ok: true, result, hostLookups } or { ok: false, error, remote }).
// Every host name the process resolves is recorded (hostLookups) and refused unless it is local, so a
// test can show that nothing tries to reach an outside host.
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { createGraphClient } from '../../services/minutes/graph';
import { PartlyPublished, type MinutesPackage } from '../../services/minutes/publisher';
import { setupSharePoint } from '../../services/minutes/setupSharePoint';
import type { RetrySettings } from '../../services/minutes/graphRetries';
import { SharePointMinutesPublisher } from '../../services/minutes/sharePointPublisher';

export interface DriverGraphSettings {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  baseUrl: string;
  authorityHost: string;
  scope?: string;
}

/** A MinutesPackage with file contents as base64, as JSON can carry it. */
export type WirePackage = Omit<MinutesPackage, 'files'> & {
  files: { name: string; part: 'openbaar' | 'besloten'; base64: string }[];
};

export type DriverJob =
  | { kind: 'setup'; graph: DriverGraphSettings; siteId: string; driveId?: string; closedFolder?: string }
  | {
      kind: 'publish';
      graph: DriverGraphSettings;
      siteId: string;
      driveId?: string;
      folder?: string;
      decisionsListId?: string;
      actionsListId?: string;
      closedFolder?: string;
      closedDecisionsListId?: string;
      closedActionsListId?: string;
      simpleUploadLimit?: number;
      uploadFragmentSize?: number;
      retry?: Partial<RetrySettings>;
      package: WirePackage;
      previous?: Record<string, string>;
    };

const hostLookups: string[] = [];
const LOCAL = new Set(['localhost', '127.0.0.1', '::1']);

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

// net/tls look up dns.lookup at call time, so replacing it here covers https, undici's fetch and MSAL.
const realLookup = dns.lookup;
function guardedLookup(hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback): void {
  const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
  const opts: LookupOptions = typeof options === 'object' ? options : typeof options === 'number' ? { family: options } : {};
  hostLookups.push(hostname);
  if (!LOCAL.has(hostname)) {
    const err: NodeJS.ErrnoException = new Error(`test driver: refused to resolve outside host ${hostname}`);
    err.code = 'ENOTFOUND';
    process.nextTick(() => cb(err, ''));
    return;
  }
  realLookup(hostname, opts, (err, address, family) => cb(err, address, family));
}
Object.defineProperty(dns, 'lookup', { value: guardedLookup, writable: true, configurable: true });

function log(data: Record<string, unknown>, msg: string): void {
  process.stderr.write(`${JSON.stringify({ msg, ...data })}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function run(job: DriverJob): Promise<unknown> {
  const client = createGraphClient(job.graph);
  if (job.kind === 'setup') return setupSharePoint(client, job.siteId, job.driveId, undefined, job.closedFolder);
  const publisher = new SharePointMinutesPublisher({
    client,
    siteId: job.siteId,
    driveId: job.driveId,
    folder: job.folder,
    decisionsListId: job.decisionsListId,
    actionsListId: job.actionsListId,
    closedFolder: job.closedFolder,
    closedDecisionsListId: job.closedDecisionsListId,
    closedActionsListId: job.closedActionsListId,
    simpleUploadLimit: job.simpleUploadLimit,
    uploadFragmentSize: job.uploadFragmentSize,
    retry: job.retry,
    log: { info: log, warn: log },
  });
  const pkg: MinutesPackage = {
    ...job.package,
    files: job.package.files.map((f) => ({ name: f.name, part: f.part, content: Buffer.from(f.base64, 'base64') })),
  };
  return publisher.publish(pkg, job.previous);
}

async function main(): Promise<void> {
  const job = JSON.parse(await readStdin()) as DriverJob;
  try {
    const result = await run(job);
    process.stdout.write(JSON.stringify({ ok: true, result, hostLookups }));
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const remote = err instanceof PartlyPublished ? err.remote : undefined;
    process.stdout.write(JSON.stringify({ ok: false, error, remote, hostLookups }));
    process.exitCode = 1;
  }
}

void main();
