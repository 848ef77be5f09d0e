// Child processes for the tests that need a process of their own: the real bot (`node dist/bot/index.js`)
// and the SharePoint publish/setup driver. A child is needed whenever the process must trust the Graph
// stand-in's CA: Node reads NODE_EXTRA_CA_CERTS only at start-up.
//
// The bot child gets an environment built from scratch (nothing inherited but PATH/HOME/TMPDIR-like
// variables), runs in a directory of the test's own (so no stray .env is read), and preloads this file with
// NOTULIST_TEST_HOST_GUARD=1, which reports on stderr every host name the bot resolves and refuses all but
// local ones.
//
// Only node: built-ins and type-only imports here: the file is also preloaded into the bot (`node -r`).
import { ChildProcess, spawn } from 'node:child_process';
import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { GraphStandIn } from './graphStandIn';
import type { DriverGraphSettings, DriverJob } from './publishDriver';

export const BOT_ENTRY = path.join(__dirname, '../../bot/index.js');
const DRIVER = path.join(__dirname, 'publishDriver.js');

/**
 * The node flags `npm start` gives the bot (package.json's start script: V8's young generation is sized on
 * the command line or not at all), so a child runs as production runs it.
 */
const START_FLAGS: readonly string[] = startFlags();

function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { scripts?: { start?: string } };
  const start = pkg.scripts?.start ?? '';
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/bot\/index\.js\b/.exec(start);
  if (!flags) throw new Error(`package.json's start script does not run node dist/bot/index.js: ${start}`);
  return flags[1]!.split(/\s+/).filter(Boolean);
}

const HOST_GUARD_ENV = 'NOTULIST_TEST_HOST_GUARD';
const LOOKUP_MARK = '[host-guard] lookup ';
/** Inherited from the test process; every other variable the bot sees is set explicitly. */
const PASS_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SYSTEMROOT', 'LANG', 'TZ'];
/**
 * Settings that must not reach the bot from anywhere but the test: set (to '' when unused) so that
 * dotenv, which never overrides a variable already set, cannot fill them in from a .env file either.
 */
const BLANKED = [
  'MicrosoftAppId',
  'MicrosoftAppPassword',
  'MicrosoftAppTenantId',
  'HOST',
  'DATABASE_URL',
  'MINUTES_DIR',
  'MINUTES_CLOSED_DIR',
  'SHAREPOINT_SITE_ID',
  'SHAREPOINT_DRIVE_ID',
  'SHAREPOINT_DECISIONS_LIST_ID',
  'SHAREPOINT_ACTIONS_LIST_ID',
  'SHAREPOINT_CLOSED_DECISIONS_LIST_ID',
  'SHAREPOINT_CLOSED_ACTIONS_LIST_ID',
  'NOTULIST_TEST_HOOK_PAUSE_AFTER_TEMP_FILE',
  'NOTULIST_TEST_HOOK_PAUSE_PUBLISH',
  'GRAPH_TENANT_ID',
  'GRAPH_CLIENT_ID',
  'GRAPH_CLIENT_SECRET',
];

// -- the host guard (runs inside the bot when preloaded) ---------------------------------------------

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * Replaces dns.lookup (net, tls, undici and MSAL all call it at connect time, and listen() with a host):
 * every name is reported on stderr, and any but a local one is refused.
 */
function installHostGuard(): void {
  const realLookup = dns.lookup;
  const guarded = (hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback): void => {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts: LookupOptions = typeof options === 'object' ? options : typeof options === 'number' ? { family: options } : {};
    process.stderr.write(`${LOOKUP_MARK}${hostname}\n`);
    if (LOCAL_HOSTS.has(hostname)) {
      realLookup(hostname, opts, (err, address, family) => cb(err, address, family));
      return;
    }
    const err: NodeJS.ErrnoException = new Error(`test host guard: refused to resolve ${hostname}`);
    err.code = 'ENOTFOUND';
    process.nextTick(() => cb(err, ''));
  };
  Object.defineProperty(dns, 'lookup', { value: guarded, writable: true, configurable: true });
}

if (process.env[HOST_GUARD_ENV] === '1') installHostGuard();

// -- the bot as a child process --------------------------------------------------------------------

/** A port that was free a moment ago (listen on 0, close). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The Graph part of the bot's environment, pointed at the stand-in (the closed lists when given). */
/** The Graph settings that reach the Graph stand-in (its tenant, app and addresses), for a driver job. */
export function standInGraph(standIn: GraphStandIn): DriverGraphSettings {
  return {
    tenantId: standIn.tenantId,
    clientId: standIn.clientId,
    clientSecret: standIn.clientSecret,
    baseUrl: standIn.baseUrl,
    authorityHost: standIn.authorityHost,
  };
}

export function standInEnv(
  standIn: GraphStandIn,
  lists: { decisionsListId: string; actionsListId: string; closedDecisionsListId?: string; closedActionsListId?: string },
): Record<string, string> {
  return {
    SHAREPOINT_SITE_ID: standIn.siteId,
    SHAREPOINT_DECISIONS_LIST_ID: lists.decisionsListId,
    SHAREPOINT_ACTIONS_LIST_ID: lists.actionsListId,
    SHAREPOINT_CLOSED_DECISIONS_LIST_ID: lists.closedDecisionsListId ?? '',
    SHAREPOINT_CLOSED_ACTIONS_LIST_ID: lists.closedActionsListId ?? '',
    GRAPH_TENANT_ID: standIn.tenantId,
    GRAPH_CLIENT_ID: standIn.clientId,
    GRAPH_CLIENT_SECRET: standIn.clientSecret,
    GRAPH_BASE_URL: standIn.baseUrl,
    GRAPH_AUTHORITY_HOST: standIn.authorityHost,
    NODE_EXTRA_CA_CERTS: standIn.caFile,
  };
}

export interface ChildBotOptions {
  port: number;
  dataDir: string;
  /** The child's working directory: one without a .env file. */
  cwd: string;
  /** Settings on top of the blanked ones (SHAREPOINT_*, GRAPH_*, NODE_EXTRA_CA_CERTS, ...). */
  env: Record<string, string>;
  logLevel?: string;
  readyTimeoutMs?: number;
  /** false: without --enable-source-maps, as `npm start` runs it (the bench); the tests map every stack. */
  sourceMaps?: boolean;
  /** More node flags (the bench's profile: --cpu-prof, which NODE_OPTIONS does not take). */
  nodeFlags?: string[];
}

const running = new Set<ChildProcess>();

export class ChildBot {
  /** stdout and stderr, interleaved as they arrived. */
  output = '';
  readonly url: string;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    void this.exited.then(() => running.delete(child));
  }

  /** Starts `node dist/bot/index.js` (with START_FLAGS) and waits until GET /readyz answers 200. */
  static async start(opts: ChildBotOptions): Promise<ChildBot> {
    const env: Record<string, string> = {};
    for (const name of PASS_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name]!;
    for (const name of BLANKED) env[name] = '';
    Object.assign(env, {
      PORT: String(opts.port),
      DATA_DIR: opts.dataDir,
      LOG_LEVEL: opts.logLevel ?? 'warn',
      SHAREPOINT_FOLDER: 'Besluitenlijsten',
      [HOST_GUARD_ENV]: '1',
      ...opts.env,
    });
    const flags = [...START_FLAGS, ...(opts.sourceMaps === false ? [] : ['--enable-source-maps']), ...(opts.nodeFlags ?? [])];
    const child = spawn(process.execPath, [...flags, '-r', __filename, BOT_ENTRY], {
      cwd: opts.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const bot = new ChildBot(child, opts.port);
    try {
      await bot.waitReady(opts.readyTimeoutMs ?? 15_000);
    } catch (err) {
      bot.kill();
      throw err;
    }
    return bot;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    void this.exited.then((e) => (exit = e));
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (exit) throw new Error(`the bot exited before it was ready (code ${exit.code}, signal ${exit.signal}):\n${this.output}`);
      try {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
        await res.body?.cancel();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`the bot was not ready after ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The process id (the benchmark reads its memory). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Every host name the bot resolved or tried to (only local ones are let through). */
  hostLookups(): string[] {
    return this.output
      .split('\n')
      .filter((l) => l.startsWith(LOOKUP_MARK))
      .map((l) => l.slice(LOOKUP_MARK.length));
  }

  /** Host names other than local ones the bot tried to resolve (refused). */
  outsideLookups(): string[] {
    return this.hostLookups().filter((h) => !LOCAL_HOSTS.has(h));
  }

  /** SIGTERM (the bot finishes turns and publishing in flight), then waits for the exit; SIGKILL after the timeout. */
  async stop(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.alive) this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.kill();
      throw new Error(`the bot did not exit within ${timeoutMs} ms of SIGTERM:\n${this.output}`);
    }
    return result;
  }

  /** SIGKILL, for cleanup after a failure. */
  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }
}

/** Kills every bot child still running (an after hook's safety net). */
export function killChildBots(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

// A test process that exits without its after hooks must not leave a bot behind.
if (process.env[HOST_GUARD_ENV] !== '1') process.once('exit', killChildBots);

// -- the publish/setup driver ----------------------------------------------------------------------

export interface DriverAnswer {
  ok: boolean;
  result?: unknown;
  error?: string;
  /** With a failed publish: what it wrote, for the next publish's `previous`. */
  remote?: Record<string, string>;
  hostLookups: string[];
  stderr: string;
}

/** Runs one job in a publishDriver child that trusts the stand-in's CA. */
export function runDriver(standIn: GraphStandIn, job: DriverJob): Promise<DriverAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DRIVER], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: standIn.caFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const parsed: unknown = JSON.parse(stdout);
        const answer = parsed as Omit<DriverAnswer, 'stderr'>;
        resolve({ ...answer, stderr });
      } catch {
        reject(new Error(`driver printed no JSON. stdout: ${stdout}\nstderr: ${stderr}`));
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}
