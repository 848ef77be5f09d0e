// Starts the real Notulist server in-process with a local Bot Connector, for the HTTP tests.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { startNotulist, Notulist } from '../../bot/index';
import type { TurnLimits } from '../../bot/limits';
import type { LiveCardsOptions } from '../../bot/liveCards';
import { loadConfig } from '../../services/config';
import { validateCard } from './cardValidation';
import { Connector } from './connector';
import { TeamsClient, TeamsUser } from './teamsClient';

export interface BotHarness {
  app: Notulist;
  connector: Connector;
  dataDir: string;
  minutesDir: string;
  users: Record<string, TeamsUser>;
  client(opts?: { tenantId?: string; conversationId?: string; locale?: string; settle?: () => Promise<void> }): TeamsClient;
  stop(): Promise<void>;
}

export const TEST_USERS: Record<string, TeamsUser> = {
  secretary: { id: '29:secretaris', name: 'H. Meuleman', aadObjectId: 'aad-secretaris' },
  chair: { id: '29:voorzitter', name: 'O. van Veldhuizen', aadObjectId: 'aad-voorzitter' },
  kok: { id: '29:kok', name: 'G.J. Kok', aadObjectId: 'aad-kok' },
  member: { id: '29:slot', name: 'J. Slot', aadObjectId: 'aad-slot' },
};

export async function startBotHarness(
  opts: {
    liveCards?: LiveCardsOptions;
    extraUsers?: Record<string, TeamsUser>;
    limits?: TurnLimits;
    /** More configuration variables (e.g. MINUTES_PDF). */
    env?: Record<string, string>;
  } = {},
): Promise<BotHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'notulist-http-'));
  const minutesDir = join(dataDir, 'minutes');
  const users = { ...TEST_USERS, ...(opts.extraUsers ?? {}) };
  const connector = await Connector.start(Object.values(users));
  // loadConfig refuses PORT '0' (see the report): ask for any port, then take a free one.
  const config = { ...loadConfig({ PORT: '3978', DATA_DIR: dataDir, MINUTES_DIR: minutesDir, LOG_LEVEL: 'silent', ...opts.env }), port: 0 };
  const app = await startNotulist(config, { liveCards: opts.liveCards, limits: opts.limits });
  return {
    app,
    connector,
    dataDir,
    minutesDir,
    users,
    client: (o = {}) =>
      new TeamsClient({ botUrl: app.url, connector, users, tenantId: 'tenant-1', settle: () => app.liveCards.idle(), ...o }),
    async stop() {
      await app.stop();
      await connector.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Every .docx under a folder, recursively. */
export async function findDocx(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await findDocx(p)));
    else if (e.name.endsWith('.docx')) out.push(p);
  }
  return out;
}

/** The text of a .docx (word/document.xml without tags, entities decoded; paragraphs on their own lines). */
export async function docxText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}

/** Validates cards; returns "card i: problem" lines. */
export function cardProblems(cards: unknown[], allowedLiterals: string[]): string[] {
  const out: string[] = [];
  cards.forEach((card, i) => {
    for (const p of validateCard(card, { allowedLiterals })) out.push(`card ${i}: ${p}`);
  });
  return out;
}

/**
 * Waits until the bot has sent nothing for `quietMs`: live card edits and what background work (a
 * publish's result card) sends alike, which `liveCards.drain()` alone would not cover.
 */
export async function settle(h: BotHarness, quietMs = 600, timeoutMs = 15000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let seen = h.connector.log.length;
  let since = Date.now();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 50));
    if (h.connector.log.length !== seen) {
      seen = h.connector.log.length;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}
