// The composition root: configuration → store → services → bot → HTTP server. Nothing else starts
// anything; tests build the same graph through startNotulist().
import './heapGrowth';
import './sourceMaps';
import 'dotenv/config';
import { ConfigurationBotFrameworkAuthentication, ConfigurationBotFrameworkAuthenticationOptions, TurnContext } from 'botbuilder';
import type { AddressInfo } from 'node:net';
import { Config, ConfigError, loadConfig } from '../services/config';
import { strings } from '../services/i18n';
import { createLogger, Logger } from '../services/log';
import { MeetingService } from '../services/meeting/service';
import { FolderMinutesPublisher } from '../services/minutes/folderPublisher';
import { DraftLinks } from '../services/minutes/draftLinks';
import { readLogo, readLogos, type Logo } from '../services/minutes/houseStyle';
import { MinutesService } from '../services/minutes/minutesService';
import { PendingPublishes } from '../services/minutes/pendingPublishes';
import { onPath, SOFFICE, withPdfCopies } from '../services/minutes/pdf';
import type { MinutesPublisher } from '../services/minutes/publisher';
import type { DocumentStore } from '../services/store/documentStore';
import { SqliteDocumentStore } from '../services/store/sqliteStore';
import { BotAuthentication, NotulistAdapter } from './adapter';
import { AfterTurn } from './afterTurn';
import { BOT_FRAMEWORK, TokenGate } from './auth';
import { connectorHttp } from './connectorHttp';
import { Replies } from './replies';
import { TurnLimits } from './limits';
import { LiveCards, LiveCardsOptions } from './liveCards';
import { NotulistBot } from './notulistBot';
import { createServer } from './server';

export interface Notulist {
  port: number;
  url: string;
  store: DocumentStore;
  meetings: MeetingService;
  liveCards: LiveCards;
  /** Waits for in-flight turns, card edits and publishing, then closes the server and the store. */
  stop(): Promise<void>;
}

/** Requests received before a stop get this long to be answered (turns in flight, 503s). */
const SHUTDOWN_GRACE_MS = 15_000;
/** Deadline of one call to the Bot Connector. */
const CONNECTOR_TIMEOUT_MS = 5_000;
/** How long the start waits for PostgreSQL to accept the connection. */
const DATABASE_OPEN_TIMEOUT_MS = 15_000;

/** The store, or one line naming the variable whose store cannot be opened. */
async function openStore(config: Config): Promise<DocumentStore> {
  if (config.databaseUrl) {
    let timer: NodeJS.Timeout | undefined;
    // Loaded only when configured, as SharePoint below: neither is needed to start on the embedded defaults.
    const { PostgresDocumentStore } = await import('../services/store/postgresStore');
    const opening = PostgresDocumentStore.open(config.databaseUrl);
    const noAnswer = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${DATABASE_OPEN_TIMEOUT_MS / 1000} s`)), DATABASE_OPEN_TIMEOUT_MS);
    });
    try {
      return await Promise.race([opening, noAnswer]);
    } catch (err) {
      // A store that opens after all is closed again: the start has failed.
      void opening.then((store) => store.close()).catch(() => undefined);
      const reason = withoutSecret(reasonOf(err), config.databaseUrl);
      throw new ConfigError(`Configuration: DATABASE_URL must name a PostgreSQL server that accepts the connection (${reason})`);
    } finally {
      clearTimeout(timer);
    }
  }
  const dir = config.dataDir.replace(/\/+$/, '');
  try {
    return new SqliteDocumentStore(`${dir}/notulist.sqlite`);
  } catch (err) {
    throw new ConfigError(`Configuration: DATA_DIR must be a writable directory (got "${config.dataDir}": ${reasonOf(err)})`);
  }
}

/** A system error's one-line gist: "ECONNREFUSED 127.0.0.1:5432", "password authentication failed ...". */
function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown; errors?: unknown };
  // pg reports a refused host that resolves to several addresses as an AggregateError with no message.
  const first = Array.isArray(e?.errors) && e.errors.length ? (e.errors[0] as { message?: unknown }) : undefined;
  const message =
    typeof e?.message === 'string' && e.message ? e.message : typeof first?.message === 'string' ? first.message : String(err);
  return (
    message
      .split('\n')[0]!
      .replace(/^connect /, '')
      .slice(0, 200) || String(e?.code ?? 'unknown error')
  );
}

/** `text` without the connection URL or its password: neither may reach a log or a terminal. */
function withoutSecret(text: string, url: string): string {
  let out = text.split(url).join('<DATABASE_URL>');
  try {
    const password = decodeURIComponent(new URL(url).password);
    if (password) out = out.split(password).join('***');
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}

/** A listen() failure as one line naming HOST or PORT. */
function listenError(err: unknown, config: Config): Error {
  const code = (err as { code?: unknown })?.code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') return new ConfigError(`Configuration: PORT must be a free port (${config.port} is in use on ${config.host})`);
  if (code === 'EACCES')
    return new ConfigError(`Configuration: PORT must be a port this process may listen on (${where}: permission denied)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EADDRNOTAVAIL' || code === 'EAI_NONAME')
    return new ConfigError(`Configuration: HOST must be an address of this machine to listen on (got "${config.host}": ${String(code)})`);
  return new ConfigError(`Configuration: HOST and PORT must be an address to listen on (${where}: ${reasonOf(err)})`);
}

/**
 * The SDK's authentication. With Microsoft's metadata, its built-in public-cloud settings; with another
 * metadata URL the SDK wants every setting given, so the public-cloud values come along.
 */
function botAuthentication(config: Config, connectorOptions: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[4]) {
  const { channelOpenIdMetadataUrl, emulatorOpenIdMetadataUrl } = config.bot;
  const custom = channelOpenIdMetadataUrl || emulatorOpenIdMetadataUrl;
  const options = {
    MicrosoftAppId: config.bot.appId ?? '',
    MicrosoftAppPassword: config.bot.appPassword ?? '',
    MicrosoftAppTenantId: config.bot.tenantId ?? '',
    MicrosoftAppType: config.bot.appType,
    ...(custom
      ? {
          ToBotFromChannelOpenIdMetadataUrl: channelOpenIdMetadataUrl ?? BOT_FRAMEWORK.channelOpenIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: emulatorOpenIdMetadataUrl ?? BOT_FRAMEWORK.emulatorOpenIdMetadataUrl,
          ToBotFromChannelTokenIssuer: BOT_FRAMEWORK.channelIssuer,
          ToChannelFromBotLoginUrl: BOT_FRAMEWORK.toChannelFromBotLoginUrl,
          ToChannelFromBotOAuthScope: BOT_FRAMEWORK.toChannelFromBotOAuthScope,
          OAuthUrl: BOT_FRAMEWORK.oAuthUrl,
          CallerId: BOT_FRAMEWORK.callerId,
          ValidateAuthority: true,
        }
      : {}),
  } as ConfigurationBotFrameworkAuthenticationOptions;
  const auth = new BotAuthentication(options, undefined, undefined, undefined, connectorOptions);
  // Local mode checks no token, as the SDK does not with an empty app id.
  const gate = config.localMode
    ? undefined
    : new TokenGate({
        channelOpenIdMetadataUrl: channelOpenIdMetadataUrl ?? BOT_FRAMEWORK.channelOpenIdMetadataUrl,
        emulatorOpenIdMetadataUrl: emulatorOpenIdMetadataUrl ?? BOT_FRAMEWORK.emulatorOpenIdMetadataUrl,
      });
  return { auth, gate };
}

/** MINUTES_LOGO and MINUTES_LOGOS, read and checked before anything starts: a bad file is a one-line start-up error. */
function houseLogos(config: Config): { logo?: Logo; logos?: Record<string, Logo> } {
  try {
    return {
      logo: config.house.logoFile ? readLogo(config.house.logoFile) : undefined,
      logos: config.house.logosDir ? readLogos(config.house.logosDir) : undefined,
    };
  } catch (err) {
    throw new ConfigError(`Configuration: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function createPublisher(config: Config, log: Logger): Promise<MinutesPublisher> {
  const publisher = await createPlacePublisher(config, log);
  // MINUTES_PDF=1: a PDF/A copy beside each document, in the document's own place.
  return config.minutesPdf ? withPdfCopies(publisher, { log }) : publisher;
}

/** The publisher of the configured place: a local folder or SharePoint. */
async function createPlacePublisher(config: Config, log: Logger): Promise<MinutesPublisher> {
  if (!config.sharePoint)
    return new FolderMinutesPublisher(config.minutesDir, {
      closedRoot: config.minutesClosedDir,
      log,
      pauseAfterTempFile: config.testHooks.pauseAfterTempFile,
    });
  const [{ createGraphClient }, { SharePointMinutesPublisher }] = await Promise.all([
    import('../services/minutes/graph'),
    import('../services/minutes/sharePointPublisher'),
  ]);
  const g = config.graph;
  const client = createGraphClient({
    tenantId: g.tenantId!,
    clientId: g.clientId!,
    clientSecret: g.clientSecret!,
    baseUrl: g.baseUrl,
    authorityHost: g.authorityHost,
    scope: g.scope,
  });
  return new SharePointMinutesPublisher({ client, ...config.sharePoint, log });
}

/** For a start-up step that fails after the store is open: close it, then fail as before. */
const closing =
  (store: DocumentStore) =>
  async (err: unknown): Promise<never> => {
    await store.close().catch(() => undefined);
    throw err;
  };

export interface StartOptions {
  log?: Logger;
  liveCards?: LiveCardsOptions;
  /** Flood limits per user and chat (tests lift them). */
  limits?: TurnLimits;
  /** Deadline of one Bot Connector call (default 5 s). */
  connectorTimeoutMs?: number;
}

export async function startNotulist(config: Config, opts: StartOptions = {}): Promise<Notulist> {
  const log = opts.log ?? createLogger(config.logLevel);
  const logos = houseLogos(config);
  if (config.minutesPdf && !onPath(SOFFICE))
    throw new ConfigError(
      `Configuration: MINUTES_PDF must be 0 where LibreOffice is not installed (got "1", and ${SOFFICE} is not on PATH)`,
    );
  const store = await openStore(config);
  const meetings = new MeetingService(store);
  // Links to full drafts need an address users' browsers reach: PUBLIC_URL, or our own when local.
  let ownUrl = '';
  const { publicUrl } = config;
  const draftBase = publicUrl ? () => publicUrl : config.localMode ? () => ownUrl : undefined;
  const draftLinks = draftBase ? await DraftLinks.open(store, draftBase).catch(closing(store)) : undefined;
  const publisher = await createPublisher(config, log).catch(closing(store));
  // What a crash left (temporary files) goes before anything is published again.
  await publisher.cleanUp?.();
  const minutes = new MinutesService(meetings, publisher, new PendingPublishes(store), draftLinks, {
    pausePublishAt: config.testHooks.pausePublishAt,
    house: { body: config.house.body, line: config.house.line, ...logos },
  });

  const connector = connectorHttp({ timeoutMs: opts.connectorTimeoutMs ?? CONNECTOR_TIMEOUT_MS, log });
  const { auth, gate } = botAuthentication(config, { httpClient: connector.sdk });
  const adapter = new NotulistAdapter(auth, gate);
  adapter.onTurnError = async (ctx: TurnContext, err: Error) => {
    log.error({ err: err?.message ?? String(err), activityType: ctx.activity.type }, 'unhandled turn error');
    // Never throws: a failing error reply must not turn the request into a 500.
    try {
      if (ctx.activity.type === 'message') await ctx.sendActivity(strings(ctx.activity.locale).input.error());
    } catch {
      // already logged above; the connector may be what failed
    }
  };

  const liveCards = new LiveCards(adapter, config.bot.appId ?? '', connector.send, log, opts.liveCards);
  const background = new Set<Promise<unknown>>();
  const services = { meetings, minutes };
  const afterTurn = new AfterTurn({ services, cards: liveCards, log, background });
  const bot = new NotulistBot({ services, afterTurn, liveCards, replies: new Replies(connector.send), log, limits: opts.limits });
  const http = createServer({ adapter, bot, log, ready: () => store.ping(), drafts: minutes });
  const { server, inFlight } = http;

  await new Promise<void>((resolve, reject) => {
    const failed = (err: unknown) => reject(listenError(err, config));
    server.once('error', failed);
    server.server.once('listening', () => {
      server.removeListener('error', failed);
      resolve();
    });
    server.listen(config.port, config.host);
  }).catch(closing(store));
  server.on('error', (err: Error) => log.error({ err: err.message }, 'HTTP server error'));
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  ownUrl = url;
  if (config.localMode)
    log.warn({ host: config.host, port }, 'local mode: no MicrosoftAppId, so tokens are not checked; listening on this host only');
  log.info(
    {
      port,
      store: config.databaseUrl ? 'postgres' : 'sqlite',
      minutes: config.sharePoint ? 'sharepoint' : 'folder',
      ...(config.minutesPdf ? { pdf: 'PDF/A copies' } : {}),
    },
    'Notulist is up',
  );

  const resumed = await afterTurn.resumePublishes();
  if (resumed) log.info({ resumed }, 'finishing publishes a restart interrupted');

  let stopped = false;
  return {
    port,
    url,
    store,
    meetings,
    liveCards,
    async stop() {
      if (stopped) return;
      stopped = true;
      // Requests that arrive from now on, or were received but not started, get 503 with Retry-After.
      http.beginShutdown();
      server.server.close();
      await http.answered(SHUTDOWN_GRACE_MS);
      await Promise.allSettled([...inFlight]);
      await Promise.allSettled([...background]);
      await liveCards.drain();
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const app = await startNotulist(config, { log });
  let stopping = false;
  const stop = (why: Record<string, unknown>) => {
    if (stopping) return;
    stopping = true;
    log.info(why, 'stopping: finishing turns in flight');
    void app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => stop({ signal }));
  // Under `npm start`, npm killed outright (SIGKILL) leaves this process to nobody: it would hold the
  // port against the next start. Node has no parent-death signal, so the parent is looked at instead.
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && stop({ parentGone: parent }), 1000).unref();
  }
}

/** A start-up failure as one line: a ConfigError names the variable; anything else says what failed. */
export function startupErrorLine(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ').trim();
  return err instanceof ConfigError ? message : `Notulist could not start: ${message}`;
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`${startupErrorLine(err)}\n`);
    process.exit(1);
  });
}
