// npm run bench: speed and memory of the parts a meeting leans on, measured (never asserted in tests).
// Prints one line per figure; the README keeps the latest numbers.
import { performance } from 'node:perf_hooks';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agendaCard, itemCard } from '../../cards/cards';
import { strings } from '../../services/i18n';
import { MeetingService } from '../../services/meeting/service';
import * as ops from '../../services/meeting/operations';
import { renderDraftPage } from '../../services/minutes/draftPage';
import { minutesModel, minutesParts } from '../../services/minutes/model';
import { buildMinutesPackage } from '../../services/minutes/package';
import { parseProposal } from '../../services/proposal/parseProposal';
import type { DocumentStore } from '../../services/store/documentStore';
import { PostgresDocumentStore } from '../../services/store/postgresStore';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { POSTGRES_SKIP_MESSAGE, startPostgres } from '../support/postgres';
import { OCTOBER_MEETING_ID, seedSeries, SECRETARY } from '../support/seedMeeting';
import { startBotHarness, TEST_USERS } from '../support/botHarness';
import { ChildBot, freePort } from '../support/childBot';
import { spawn } from 'node:child_process';
import { Connector } from '../support/connector';
import { RemoteConnector } from './connectorProcess';
import { TeamsClient } from '../support/teamsClient';
import type { TeamsUser } from '../support/teamsClient';
import type { GcCounts } from './heapProbe';
import { readFileSync } from 'node:fs';

/** The 12 KB seed proposal (voorstel 001). */
const SEED_PROPOSAL = join(__dirname, '../../../test/fixtures/seeds/001_48c68ed017299e19.txt');

async function time(label: string, runs: number, fn: () => unknown): Promise<void> {
  await fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  const ms = (performance.now() - t0) / runs;
  console.log(`${label.padEnd(52)} ${ms.toFixed(2).padStart(9)} ms/op  (${runs} runs)`);
}

async function main(): Promise<void> {
  // `npm run bench -- load`: only the bots beside each other; `-- full`: only the full meetings against empty ones;
  // `-- http`: only the typed commands over HTTP in this process.
  if (process.argv[2] === 'load') return beside();
  if (process.argv[2] === 'http') return overHttp();
  if (process.argv[2] === 'full') return beside({ fullOnly: true });
  const s = strings('nl-NL');
  const series = seedSeries();
  const meeting = series.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
  await time('agenda card (seed meeting)', 200, () => agendaCard(s, series, meeting, { role: 'chair' }));
  await time('item card (seed meeting, D1)', 200, () => itemCard(s, series, meeting, meeting.agenda[3]!, { role: 'chair', live: true }));
  await time('minutes package (.docx, seed meeting)', 20, () => buildMinutesPackage(series, meeting.id));
  const parts = minutesParts(meeting);
  await time('full draft page (HTML, seed meeting)', 100, () =>
    renderDraftPage({
      s,
      meetingTitle: meeting.title,
      models: parts.map((p) => minutesModel(series, meeting.id, p)),
      downloads: [],
      adopted: false,
    }),
  );
  const proposal = readFileSync(SEED_PROPOSAL, 'utf8');
  await time('parse proposal (seed 001, 12 KB)', 200, () => parseProposal(proposal));

  const dir = mkdtempSync(join(tmpdir(), 'notulist-bench-'));
  const store = new SqliteDocumentStore(join(dir, 'bench.sqlite'));
  const meetings = new MeetingService(store);
  await meetings.update('t', 'c', (sr, now) => {
    ops.planMeeting(sr, SECRETARY, { title: 'Bench', date: '2026-12-01', members: [] }, now);
  });
  let n = 0;
  await time('store: one announcement (read, change, fsync write)', 300, () =>
    meetings.update('t', 'c', (sr, now) => ops.addContribution(sr, SECRETARY, 'announcement', `Mededeling ${n++}`, undefined, now)),
  );
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      meetings.update('t', 'c', (sr, now) =>
        ops.addContribution(sr, { id: `29:m${i}`, name: `Lid ${i}` }, 'announcement', 'tegelijk', undefined, now),
      ),
    ),
  );
  console.log(`${'store: 30 members at once (eTag retries)'.padEnd(52)} ${(performance.now() - t0).toFixed(2).padStart(9)} ms total`);

  // A chat that has met for years: 100 earlier meetings (each a copy of the seed meeting) in its series.
  const history = seedSeries();
  const seedMeeting = history.meetings.find((m) => m.id === OCTOBER_MEETING_ID)!;
  history.meetings = Array.from({ length: 100 }, (_, i) => ({
    ...structuredClone(seedMeeting),
    id: `old-${i}`,
    status: 'closed' as const,
    // Adopted and published: done with, so the next write folds its records away (MeetingService).
    minutes: { status: 'adopted' as const, publication: { state: 'published' as const, at: '', status: 'adopted' as const, files: [] } },
  }));
  await store.write({ [MeetingService.key('t', 'history')]: { ...(history as unknown as Record<string, unknown>), eTag: '*' } });
  await meetings.update('t', 'history', (sr, now) => {
    ops.planMeeting(sr, SECRETARY, { title: 'Bench', date: '2026-12-01', members: [] }, now);
  });
  const size = JSON.stringify((await store.read([MeetingService.key('t', 'history')]))[MeetingService.key('t', 'history')]).length;
  await time(`store: one announcement, 100 earlier meetings folded (${(size / 2 ** 10).toFixed(0)} KB)`, 50, () =>
    meetings.update('t', 'history', (sr, now) => ops.addContribution(sr, SECRETARY, 'announcement', `Mededeling ${n++}`, undefined, now)),
  );
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      meetings.update('t', 'history', (sr, now) =>
        ops.addContribution(sr, { id: `29:m${i}`, name: `Lid ${i}` }, 'announcement', 'tegelijk', undefined, now),
      ),
    ),
  );
  console.log(
    `${'store: 30 members at once, 100 earlier meetings'.padEnd(52)} ${(performance.now() - t1).toFixed(2).padStart(9)} ms total`,
  );

  await store.close();
  rmSync(dir, { recursive: true, force: true });
  await fullMeetingStores();
  await overHttp();
  await beside();
  global.gc?.();
  const mem = process.memoryUsage();
  console.log(
    `${'memory after the runs, a bot over HTTP among them (rss / heap)'.padEnd(52)} ${(mem.rss / 2 ** 20).toFixed(1)} MB / ${(mem.heapUsed / 2 ** 20).toFixed(1)} MB`,
  );
}

/**
 * A typed command over HTTP, as Teams sends it, in the bench's own process: its answer, and (in a quiet chat)
 * until its card edit reached the connector.
 */
async function overHttp(): Promise<void> {
  const crowd: Record<string, TeamsUser> = {};
  for (let i = 1; i <= 30; i++) crowd[`m${i}`] = { id: `29:lid-${i}`, name: `Lid ${i}`, aadObjectId: `aad-lid-${i}` };
  const h = await startBotHarness({ extraUsers: crowd });
  try {
    const t = h.client();
    for (const text of ['vergadering\ntitel: DVO\ndatum: 12-12-2016', 'agenda\nA Opening\nB Mededelingen\nF Sluiting', 'start'])
      await t.say('secretary', text);
    await time('HTTP: help (no card to edit)', 30, () => t.say('member', 'help'));
    // A chat with no edit in its last gap gets its edit at once: one person typing now and then. The gap
    // is a second per edit of the chat's last flush: here two (the agenda and the current item's card).
    let k = 0;
    let total = 0;
    for (let i = 0; i < 10; i++) {
      await new Promise((r) => setTimeout(r, 2100));
      const t0 = performance.now();
      await t.say('member', `mededeling: Bench ${k++}`);
      total += performance.now() - t0;
    }
    console.log(
      `${'HTTP: mededeling in a quiet chat, until its card edit'.padEnd(52)} ${(total / 10).toFixed(2).padStart(9)} ms/op  (10 runs)`,
    );
    const answers = h.client({ conversationId: t.conversationId, settle: undefined });
    const t0 = performance.now();
    await Promise.all(Object.keys(crowd).map((id) => answers.say(id, `mededeling: Tegelijk ${id}`)));
    console.log(`${'HTTP: 30 members at once, until all answered'.padEnd(52)} ${(performance.now() - t0).toFixed(2).padStart(9)} ms total`);
    await h.app.liveCards.idle();
  } finally {
    await h.stop();
  }
}

/**
 * Turns per second, Notulist beside the bare EchoBot: `connections` clients, each sending Teams-shaped
 * `mededeling:` turns one after the other, spread over `chats` chats (each with a meeting), for `seconds`.
 */
async function load(
  url: string,
  clients: TeamsClient[],
  connections: number,
  seconds: number,
): Promise<{ perSecond: number; p99: number }> {
  await quiet(clients[0]!.connector);
  const until = performance.now() + seconds * 1000;
  const times: number[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      while (performance.now() < until) {
        const t = clients[(c * 7 + n++) % clients.length]!;
        const t0 = performance.now();
        const user = `c${n % 500}`;
        const r = await t.say(user, `mededeling: Belasting ${n}`);
        if (r.status !== 200) throw new Error(`${url}: HTTP ${r.status}`);
        times.push(performance.now() - t0);
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { perSecond: times.length / seconds, p99: times[Math.floor(times.length * 0.99)] ?? 0 };
}

/**
 * Waits until the connector has heard nothing for a second (20 s at most): the card edits a run leaves
 * behind (coalesced, paced at Teams' rate) are not counted against the next run, of either bot.
 */
async function quiet(connector: { log: unknown[] }): Promise<void> {
  const until = performance.now() + 20_000;
  let seen = -1;
  while (seen !== connector.log.length && performance.now() < until) {
    seen = connector.log.length;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Rounds of each figure, A B A B: this machine's speed moves between runs, so the median ratio is the figure. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);

/** The median of some numbers. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** "0.71 / 0.83 / 0.80 / 0.77, median 0.79": each round's ratio, then the median. */
function ratios(values: number[]): string {
  return `${values.map((v) => v.toFixed(2)).join(' / ')}, median ${median(values).toFixed(2)}`;
}

/** p50 and p99 of a list of milliseconds. */
function percentiles(ms: number[]): { p50: number; p99: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)] ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0 };
}

/**
 * A fixed offered load: `rate` Teams-shaped `mededeling:` turns a second over `chats` chats for `seconds`,
 * sent on schedule whatever the answers (at most `connections` in flight; a turn that finds none free is
 * counted as not served). Measures the HTTP answer and the reply reaching the connector (its POST to
 * …/activities/<the turn's id>), each from the moment the turn was sent.
 */
async function fixedRate(
  clients: TeamsClient[],
  connector: RemoteConnector,
  rate: number,
  seconds: number,
  connections: number,
): Promise<{
  served: number;
  offered: number;
  http: { p50: number; p99: number };
  reply: { p50: number; p99: number };
  samples: { http: number[]; reply: number[] };
}> {
  const sentAt = new Map<string, number>();
  const replyMs: number[] = [];
  const log = connector.log;
  const push = log.push.bind(log);
  log.push = (...entries) => {
    for (const e of entries) {
      const t0 = e.replyTo ? sentAt.get(e.replyTo) : undefined;
      if (t0 !== undefined) {
        // When the connector got it, by its own clock (the same clock as this process's timeOrigin + now).
        replyMs.push(e.at - (performance.timeOrigin + t0));
        sentAt.delete(e.replyTo!);
      }
    }
    return push(...entries);
  };
  const httpMs: number[] = [];
  let inFlight = 0;
  let offered = 0;
  let served = 0;
  const turns: Promise<void>[] = [];
  const start = performance.now();
  try {
    for (let n = 0; n < rate * seconds; n++) {
      const due = start + (n * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      offered++;
      if (inFlight >= connections) continue;
      const t = clients[n % clients.length]!;
      const id = `f:bench-${n}-${Math.random().toString(36).slice(2)}`;
      const activity = t.base(`c${n % 500}`, {
        id,
        type: 'message',
        textFormat: 'plain',
        text: `<at>Notulist</at> mededeling: Vast ${n}`,
        entities: [{ type: 'mention', text: '<at>Notulist</at>', mentioned: { id: `28:${t.botId}`, name: 'Notulist' } }],
      });
      inFlight++;
      const t0 = performance.now();
      sentAt.set(id, t0);
      turns.push(
        t.send(activity).then((r) => {
          inFlight--;
          if (r.status === 200) {
            served++;
            httpMs.push(performance.now() - t0);
          }
        }),
      );
    }
    await Promise.all(turns);
  } finally {
    log.push = push;
  }
  return { served, offered, http: percentiles(httpMs), reply: percentiles(replyMs), samples: { http: httpMs, reply: replyMs } };
}

/** A bot in a process of its own: its URL, its pid (for its memory) and how long it took to be ready. */
interface BotProcess {
  url: string;
  pid: number;
  startMs: number;
  stop(): Promise<void>;
}

/** The EchoBot as a child process (`node echoBot.js 0`), ready once it prints its URL. */
async function startEchoChild(): Promise<BotProcess> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...PROBE_FLAGS, join(__dirname, 'echoBot.js'), '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, HEAP_PROBE_DIR: PROBE_DIR },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the EchoBot exited (${code})`)));
  });
  return {
    url,
    pid: child.pid!,
    startMs: performance.now() - t0,
    stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))),
  };
}

/** Notulist as production runs it (`node dist/bot/index.js`, SQLite in a fresh data directory), ready at /readyz. */
async function startNotulistChild(dataDir: string): Promise<BotProcess> {
  const t0 = performance.now();
  const bot = await ChildBot.start({
    port: await freePort(),
    dataDir,
    cwd: dataDir,
    env: { MINUTES_DIR: join(dataDir, 'minutes'), HEAP_PROBE_DIR: PROBE_DIR },
    // BENCH_NODE_FLAGS: more node flags for Notulist alone (a profile: --cpu-prof --cpu-prof-dir=DIR).
    nodeFlags: [...PROBE_FLAGS, ...(process.env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? [])],
    logLevel: 'warn',
    sourceMaps: false,
  });
  return {
    url: bot.url,
    pid: bot.pid!,
    startMs: performance.now() - t0,
    stop: async () => {
      await bot.stop();
    },
  };
}

const fullChatId = (i: number) => `19:full-${i}@thread.v2`;

/**
 * Chats whose meeting is full, written into the store before the bot starts: 60 items, each with the
 * 12 KB seed proposal, and 500 announcements, in tenant-1 with the test secretary.
 */
async function writeFullMeetings(file: string, chats: number): Promise<void> {
  const store = new SqliteDocumentStore(file);
  const meetings = new MeetingService(store);
  for (let i = 0; i < chats; i++) await fillMeeting(meetings, 'tenant-1', fullChatId(i));
  await store.close();
}

/** The seed proposal, read and parsed once for every full meeting. */
let seedProposal: ReturnType<typeof parseProposal> | undefined;

/** A full meeting in one chat: 60 items, each with the 12 KB seed proposal, and 500 announcements. */
async function fillMeeting(meetings: MeetingService, tenantId: string, chat: string): Promise<void> {
  const proposal = (seedProposal ??= parseProposal(readFileSync(SEED_PROPOSAL, 'utf8')));
  await meetings.update(tenantId, chat, (sr, now) => {
    ops.planMeeting(sr, SECRETARY, { title: 'Vol', date: '2030-12-12', members: [] }, now);
    const lines = Array.from({ length: 60 }, (_, k) => ({
      code: `P${k + 1}`,
      title: `Agendapunt ${k + 1} met een titel van gewone lengte`,
      kind: 'discussion' as const,
      closed: false,
      attachments: [],
    }));
    ops.setAgenda(sr, SECRETARY, lines);
    for (const line of lines) ops.attachProposal(sr, SECRETARY, line.code, structuredClone(proposal));
    for (let k = 0; k < 500; k++)
      ops.addContribution(
        sr,
        { id: `29:c-${k}`, name: `Deelnemer ${k}` },
        'announcement',
        `Mededeling ${k} van gewone lengte`,
        undefined,
        now,
      );
  });
}

/**
 * A turn's work in the store, in-process, in a full meeting (60 items with proposals, 500 records): one
 * announcement and a read, on SQLite and (when installed) PostgreSQL, by a service other than the one that
 * filled the meeting, as an instance after a restart (it opens no proposal; on PostgreSQL every chunk it
 * holds is confirmed by eTag).
 */
async function fullMeetingStores(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'notulist-bench-'));
  const postgres = await startPostgres();
  const stores: [string, DocumentStore][] = [['SQLite', new SqliteDocumentStore(join(dir, 'full.sqlite'))]];
  if (postgres) stores.push(['PostgreSQL', await PostgresDocumentStore.open(postgres.url)]);
  try {
    for (const [name, store] of stores) {
      await fillMeeting(new MeetingService(store), 't', 'full');
      const meetings = new MeetingService(store);
      let n = 0;
      await time(`store: announcement and read, full meeting (${name})`, 200, async () => {
        await meetings.update('t', 'full', (sr, now) =>
          ops.addContribution(sr, { id: `29:x${n % 50}`, name: `X ${n % 50}` }, 'announcement', `Mededeling ${n++}`, undefined, now),
        );
        await meetings.read('t', 'full');
      });
    }
    if (!postgres) console.log(`  (${POSTGRES_SKIP_MESSAGE})`);
  } finally {
    for (const [, store] of stores) await store.close();
    await postgres?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where the bots' heap probes (heapProbe.ts) write; both bots are started with it. */
const PROBE_DIR = mkdtempSync(join(tmpdir(), 'notulist-heap-'));
const PROBE_FLAGS = ['--expose-gc', '-r', join(__dirname, 'heapProbe.js')];

/**
 * The highest rss a process reaches while `work` runs, in MB, sampled every 50 ms from /proc (Linux; 0
 * elsewhere): the memory a bot needs under a load, whatever its collector has handed back by the end.
 */
async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = 0;
  const sample = () => {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) peak = Math.max(peak, Number(kb) / 1024);
    } catch {
      // not Linux, or the process is gone
    }
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

/** A bot's collections so far, as its heap probe last wrote them (none yet: zero). */
function gcCounts(pid: number): GcCounts {
  try {
    return JSON.parse(readFileSync(join(PROBE_DIR, `${pid}.gc.json`), 'utf8')) as GcCounts;
  } catch {
    return { minor: 0, minorMs: 0, major: [] };
  }
}

/** The collections a bot made while `work` ran (read a little after, as the probe writes every 100 ms). */
async function collecting<T extends object>(pid: number, work: () => Promise<T>): Promise<T & { gc: GcCounts }> {
  const before = gcCounts(pid);
  const result = await work();
  await new Promise((r) => setTimeout(r, 250));
  const after = gcCounts(pid);
  return {
    ...result,
    gc: { minor: after.minor - before.minor, minorMs: after.minorMs - before.minorMs, major: after.major.slice(before.major.length) },
  };
}

/** "12 scavenges (avg 4.1 ms), 1 full (12 ms)". */
function gcText(gc: GcCounts): string {
  const avg = gc.minor ? gc.minorMs / gc.minor : 0;
  const full = gc.major.length ? `${gc.major.length} full (${gc.major.map((ms) => ms.toFixed(0)).join(', ')} ms)` : 'no full';
  return `${gc.minor} scavenges (avg ${avg.toFixed(1)} ms), ${full}`;
}

/** A bot's rss and the heap alive after a full collection, in MB, from its heap probe. */
async function probe(pid: number): Promise<{ rss: number; alive: number }> {
  const file = join(PROBE_DIR, `${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  const m = JSON.parse(readFileSync(file, 'utf8')) as { rss: number; heapUsed: number; external: number };
  return { rss: m.rss / 2 ** 20, alive: (m.heapUsed + m.external) / 2 ** 20 };
}

/**
 * Notulist beside the bare EchoBot, each in a process of its own as production runs them, and the one
 * Bot Connector both answer to in a third (connectorProcess.ts); the load lives in this process.
 */
async function beside(opts: { fullOnly?: boolean } = {}): Promise<void> {
  const crowd: Record<string, TeamsUser> = {};
  for (let i = 0; i < 500; i++) crowd[`c${i}`] = { id: `29:c-${i}`, name: `Deelnemer ${i}`, aadObjectId: `aad-c-${i}` };
  const users = { ...TEST_USERS, ...crowd };
  const connector = await RemoteConnector.start(Object.values(users));
  const dataDir = mkdtempSync(join(tmpdir(), 'notulist-bench-'));
  const fullChats = 10;
  await writeFullMeetings(join(dataDir, 'notulist.sqlite'), fullChats);
  const echo = await startEchoChild();
  const ours = await startNotulistChild(dataDir);
  try {
    // What the bot holds before any chat is served (its code, its settings): the data held is what comes on top.
    const idle = await probe(ours.pid);
    console.log(
      `${'start: process start to ready'.padEnd(52)} Notulist ${ours.startMs.toFixed(0)} ms (/readyz), EchoBot ${echo.startMs.toFixed(0)} ms (listening)`,
    );
    const chats = 100;
    // The load does not wait for the card edits: it measures the answer, as Teams sees it.
    const client = (url: string, i: number, conversationId = `19:bench-${i}@thread.v2`) =>
      // The load only posts turns: of the connector a client needs its URL (and nextSeq for an invoke).
      new TeamsClient({ botUrl: url, connector: connector as unknown as Connector, users, tenantId: 'tenant-1', conversationId });
    const oursClients = Array.from({ length: chats }, (_, i) => client(ours.url, i));
    for (const t of oursClients) {
      await t.say('secretary', 'vergadering\ntitel: DVO\ndatum: 12-12-2030');
      await t.say('secretary', 'agenda\nA Opening\nB Mededelingen\nF Sluiting');
    }
    const theirs = Array.from({ length: chats }, (_, i) => client(echo.url, i));
    // Warmed up alike before anything is measured (the JIT, SQLite's page cache, the heap's size).
    await load(echo.url, theirs, 20, 3);
    await load(ours.url, oursClients, 20, 3);
    if (!opts.fullOnly) await beside100(ours, oursClients, echo, theirs, connector, idle);
    // The same bot, 10 chats each: empty meetings against full ones (60 items with an 11 KB proposal, 500
    // records), both started, so each turn edits the same live cards (agenda and current item).
    const full = Array.from({ length: fullChats }, (_, i) => client(ours.url, i, fullChatId(i)));
    for (const t of full) await t.say('secretary', 'start');
    const empty = Array.from({ length: fullChats }, (_, i) => client(ours.url, i, `19:empty-${i}@thread.v2`));
    for (const t of empty) {
      await t.say('secretary', 'vergadering\ntitel: DVO\ndatum: 12-12-2030');
      await t.say('secretary', 'agenda\nA Opening\nB Mededelingen\nF Sluiting');
      await t.say('secretary', 'start');
    }
    const fullRounds: { full: number; empty: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = await load(ours.url, empty, 20, 5);
      const b = await load(ours.url, full, 20, 5);
      fullRounds.push({ empty: a.perSecond, full: b.perSecond });
    }
    console.log(
      `${'HTTP: turns/s, 10 full meetings vs 10 empty, 20 conns'.padEnd(52)} full ${fullRounds.map((r) => r.full.toFixed(0)).join(' / ')}, empty ${fullRounds
        .map((r) => r.empty.toFixed(0))
        .join(' / ')}: ${ratios(fullRounds.map((r) => r.full / r.empty))}×`,
    );
    const [o, e] = [await probe(ours.pid), await probe(echo.pid)];
    // The data the bot holds: its heap alive after a collection, beyond the idle bot's (the caches of
    // parsed chunks, proposals and cards, the live cards' state). The goal: twice the EchoBot's rss plus that.
    const held = Math.max(0, o.alive - idle.alive);
    const stored =
      ['notulist.sqlite', 'notulist.sqlite-wal']
        .map((f) => join(dataDir, f))
        .reduce((sum, f) => sum + (existsSync(f) ? statSync(f).size : 0), 0) /
      2 ** 20;
    console.log(
      `${'memory after the load (rss)'.padEnd(52)} Notulist ${o.rss.toFixed(0)} MB, EchoBot ${e.rss.toFixed(0)} MB: ${(o.rss / e.rss).toFixed(2)}×; ` +
        `data held ${held.toFixed(0)} MB (heap alive ${o.alive.toFixed(0)} MB, idle ${idle.alive.toFixed(0)} MB; stored ${stored.toFixed(0)} MB): ` +
        `${(o.rss / (2 * e.rss + held)).toFixed(2)}× of twice the EchoBot's plus the data held`,
    );
  } finally {
    await ours.stop();
    await echo.stop();
    await connector.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(PROBE_DIR, { recursive: true, force: true });
  }
}

/** The 100 chats: a fixed 100 turns/s, then turns/s at 20 and 200 connections, Notulist beside the EchoBot. */
async function beside100(
  ours: BotProcess,
  oursClients: TeamsClient[],
  echo: BotProcess,
  theirs: TeamsClient[],
  connector: RemoteConnector,
  idle: { alive: number },
): Promise<void> {
  const chats = oursClients.length;
  const httpRatios: number[] = [];
  const replyRatios: number[] = [];
  const peaks = { ours: 0, echo: 0 };
  // Every round's times together as well: a p99 of 500 turns is their fifth slowest, of 2,000 their twentieth.
  const pooled = { ours: { http: [] as number[], reply: [] as number[] }, echo: { http: [] as number[], reply: [] as number[] } };
  // Each round's ratios, by whether a full collection paused Notulist during its round.
  const byPause = { none: { http: [] as number[], reply: [] as number[] }, some: { http: [] as number[], reply: [] as number[] } };
  // One bot's round at the fixed rate, once the connector is quiet: its times, highest rss and collections.
  const measured = async (bot: BotProcess, clients: TeamsClient[]) => {
    await quiet(connector);
    return collecting(bot.pid, () => peakRss(bot.pid, () => fixedRate(clients, connector, 100, 5, 50)));
  };
  for (let round = 0; round < ROUNDS; round++) {
    const { result: e, peak: echoPeak, gc: echoGc } = await measured(echo, theirs);
    const { result: o, peak: oursPeak, gc: oursGc } = await measured(ours, oursClients);
    peaks.echo = Math.max(peaks.echo, echoPeak);
    peaks.ours = Math.max(peaks.ours, oursPeak);
    for (const [into, from] of [
      [pooled.echo, e.samples],
      [pooled.ours, o.samples],
    ] as const) {
      into.http.push(...from.http);
      into.reply.push(...from.reply);
    }
    const r = (a: number, b: number) => (b ? (a / b).toFixed(1) : '–');
    httpRatios.push(o.http.p99 / e.http.p99);
    replyRatios.push(o.reply.p99 / e.reply.p99);
    const into = oursGc.major.length ? byPause.some : byPause.none;
    into.http.push(o.http.p99 / e.http.p99);
    into.reply.push(o.reply.p99 / e.reply.p99);
    console.log(
      `${'HTTP: 100 turns/s offered over 100 chats, 50 connections'.padEnd(52)} served ${o.served}/${o.offered} vs ${e.served}/${e.offered}; ` +
        `HTTP p50/p99 ${o.http.p50.toFixed(0)}/${o.http.p99.toFixed(0)} vs ${e.http.p50.toFixed(0)}/${e.http.p99.toFixed(0)} ms (p99 ${r(o.http.p99, e.http.p99)}×); ` +
        `reply p50/p99 ${o.reply.p50.toFixed(0)}/${o.reply.p99.toFixed(0)} vs ${e.reply.p50.toFixed(0)}/${e.reply.p99.toFixed(0)} ms (p99 ${r(o.reply.p99, e.reply.p99)}×); ` +
        `collections ${gcText(oursGc)} vs ${gcText(echoGc)}`,
    );
  }
  console.log(`${'  p99 ratios at 100 turns/s'.padEnd(52)} HTTP ${ratios(httpRatios)}; reply ${ratios(replyRatios)}`);
  for (const [label, rounds] of [
    ['without a full collection', byPause.none],
    ['with one or more', byPause.some],
  ] as const)
    if (rounds.http.length)
      console.log(
        `${`  rounds ${label} in Notulist`.padEnd(52)} ${rounds.http.length}: HTTP ${ratios(rounds.http)}; reply ${ratios(rounds.reply)}`,
      );
  const [oh, eh, or, er] = [pooled.ours.http, pooled.echo.http, pooled.ours.reply, pooled.echo.reply].map((ms) => percentiles(ms).p99);
  console.log(
    `${'  p99 of all rounds together'.padEnd(52)} HTTP ${oh!.toFixed(0)} vs ${eh!.toFixed(0)} ms (${(oh! / eh!).toFixed(2)}×); ` +
      `reply ${or!.toFixed(0)} vs ${er!.toFixed(0)} ms (${(or! / er!).toFixed(2)}×)`,
  );
  // The goal's memory figure: the most each bot took under that load, against twice the EchoBot's plus the data held then.
  const held = Math.max(0, (await probe(ours.pid)).alive - idle.alive);
  console.log(
    `${'memory under 100 turns/s (highest rss)'.padEnd(52)} Notulist ${peaks.ours.toFixed(0)} MB, EchoBot ${peaks.echo.toFixed(0)} MB; ` +
      `data held ${held.toFixed(0)} MB: ${(peaks.ours / (2 * peaks.echo + held)).toFixed(2)}× of twice the EchoBot's plus the data held`,
  );
  for (const connections of [20, 200]) {
    const rounds: { ours: number; theirs: number; oursP99: number; theirsP99: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const e = await load(echo.url, theirs, connections, 5);
      const o = await load(ours.url, oursClients, connections, 5);
      rounds.push({ ours: o.perSecond, theirs: e.perSecond, oursP99: o.p99, theirsP99: e.p99 });
    }
    const ratio = ratios(rounds.map((r) => r.ours / r.theirs));
    console.log(
      `${`HTTP: turns/s over ${chats} chats, ${connections} connections`.padEnd(52)} Notulist ${rounds.map((r) => r.ours.toFixed(0)).join(' / ')}, EchoBot ${rounds
        .map((r) => r.theirs.toFixed(0))
        .join(
          ' / ',
        )}: ${ratio}× (p99 ${rounds.map((r) => r.oursP99.toFixed(0)).join('/')} vs ${rounds.map((r) => r.theirsP99.toFixed(0)).join('/')} ms)`,
    );
  }
}

void main();
