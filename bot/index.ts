// The composition root: configuration → store → services → bot → HTTP server. Nothing else starts
// anything; tests build the same graph through startNotulist().
import 'dotenv/config';
import { ConfigurationBotFrameworkAuthentication, ConfigurationBotFrameworkAuthenticationOptions, TurnContext } from 'botbuilder';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Config, ConfigError, loadConfig } from '../services/config';
import { strings } from '../services/i18n';
import { createLogger, Logger } from '../services/log';
import { MeetingService } from '../services/meeting/service';
import { FolderMinutesPublisher } from '../services/minutes/folderPublisher';
import { DraftLinks } from '../services/minutes/draftLinks';
import { createGraphClient } from '../services/minutes/graph';
import { MinutesService } from '../services/minutes/minutesService';
import { PendingPublishes } from '../services/minutes/pendingPublishes';
import type { MinutesPublisher } from '../services/minutes/publisher';
import { SharePointMinutesPublisher } from '../services/minutes/sharePointPublisher';
import type { DocumentStore } from '../services/store/documentStore';
import { PostgresDocumentStore } from '../services/store/postgresStore';
import { SqliteDocumentStore } from '../services/store/sqliteStore';
import { NotulistAdapter } from './adapter';
import { BOT_FRAMEWORK, TokenGate } from './auth';
import { connectorHttpClient } from './connectorHttp';
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

async function openStore(config: Config): Promise<DocumentStore> {
  if (config.databaseUrl) return PostgresDocumentStore.open(config.databaseUrl);
  return new SqliteDocumentStore(`${config.dataDir.replace(/\/+$/, '')}/notulist.sqlite`);
}

function createPublisher(config: Config, log: Logger): MinutesPublisher {
  if (!config.sharePoint) return new FolderMinutesPublisher(config.minutesDir);
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
  const auth = new ConfigurationBotFrameworkAuthentication(options, undefined, undefined, undefined, connectorOptions);
  // Local mode checks no token, as the SDK does not with an empty app id.
  const gate = config.localMode
    ? undefined
    : new TokenGate({
        channelOpenIdMetadataUrl: channelOpenIdMetadataUrl ?? BOT_FRAMEWORK.channelOpenIdMetadataUrl,
        emulatorOpenIdMetadataUrl: emulatorOpenIdMetadataUrl ?? BOT_FRAMEWORK.emulatorOpenIdMetadataUrl,
      });
  return { auth, gate };
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
  /** Deadline of one Bot Connector call (default 5 s). */
  connectorTimeoutMs?: number;
}

export async function startNotulist(config: Config, opts: StartOptions = {}): Promise<Notulist> {
  const log = opts.log ?? createLogger(config.logLevel);
  const store = await openStore(config);
  const meetings = new MeetingService(store);
  // Links to full drafts need an address users' browsers reach: PUBLIC_URL, or our own when local.
  let ownUrl = '';
  const { publicUrl } = config;
  const draftBase = publicUrl ? () => publicUrl : config.localMode ? () => ownUrl : undefined;
  const draftLinks = draftBase ? await DraftLinks.open(store, draftBase).catch(closing(store)) : undefined;
  const minutes = new MinutesService(meetings, createPublisher(config, log), new PendingPublishes(store), draftLinks);

  const httpClient = connectorHttpClient({ timeoutMs: opts.connectorTimeoutMs ?? CONNECTOR_TIMEOUT_MS, log });
  const { auth, gate } = botAuthentication(config, { httpClient });
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

  const liveCards = new LiveCards(adapter, config.bot.appId ?? '', log, opts.liveCards);
  const background = new Set<Promise<unknown>>();
  const bot = new NotulistBot({ services: { meetings, minutes }, liveCards, log, background });
  const http = createServer({ adapter, bot, log, ready: () => store.ping(), drafts: minutes });
  const { server, inFlight } = http;

  server.listen(config.port, config.host);
  await once(server.server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  ownUrl = url;
  if (config.localMode)
    log.warn({ host: config.host, port }, 'local mode: no MicrosoftAppId, so tokens are not checked; listening on this host only');
  log.info(
    { port, store: config.databaseUrl ? 'postgres' : 'sqlite', minutes: config.sharePoint ? 'sharepoint' : 'folder' },
    'Notulist is up',
  );

  const resumed = await bot.resumePublishes();
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
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  const app = await startNotulist(config, { log });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'stopping: finishing turns in flight');
      void app.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err: err instanceof Error ? err.message : String(err) }, 'stopping failed');
          process.exit(1);
        },
      );
    });
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`Notulist could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
