// The CloudAdapter with authentication and the turn as two steps, so the server answers each failure with
// its own status: CloudAdapter.process() answers every error 401 or 500 with the error's text as the body
// and writes the whole error to the console.
import { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, InvokeResponse, TurnContext } from 'botbuilder';
import { setNewest } from '../services/newest';
import { AuthRejected, AuthUnavailable, TokenGate } from './auth';
import type { ConnectorCredentials } from './connectorHttp';

export type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>>;

/** Clients kept at most (by app id, service URL and audience): a bot talks to a handful of connectors. */
const MAX_CLIENTS = 64;

/**
 * The SDK's authentication, keeping the clients it makes: CloudAdapter asks for a new ConnectorClient and
 * UserTokenClient (each a pipeline of a dozen policies) on every turn and every proactive card edit, a
 * tenth of a turn's work. A client holds no turn's state (its credentials fetch, cache and renew their
 * own token), so one per app id (the SDK's own: the token's audience, else its appid claim), service URL
 * and audience serves every turn. A client that could not be made is not kept.
 */
export class BotAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: this.reusing(result.claimsIdentity, result.connectorFactory) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(claimsIdentity, super.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return kept(this.tokenClients, appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  private reusing(claimsIdentity: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    return {
      create: (serviceUrl: string, audience?: string) =>
        kept(this.connectors, `${appId}\u0000${serviceUrl}\u0000${audience ?? ''}`, () => factory.create(serviceUrl, audience)),
    };
  }
}

function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
}

function kept<T>(clients: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let client = clients.get(key);
  if (!client) {
    client = make();
    setNewest(clients, key, client, MAX_CLIENTS);
    client.catch(() => clients.get(key) === client && clients.delete(key));
  }
  return client;
}

/** How long the SDK's own token check may take (it fetches OpenID metadata without a deadline). */
const SDK_AUTH_TIMEOUT_MS = 10_000;

export class NotulistAdapter extends CloudAdapter {
  /** `gate`: absent in local mode, where the SDK checks no token either. */
  constructor(
    private readonly auth: BotAuthentication,
    private readonly gate: TokenGate | undefined,
  ) {
    super(auth);
  }

  /** Throws AuthRejected (401) or AuthUnavailable (503); anything else is the SDK's own error, classified by authFailure(). */
  async authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    await this.gate?.check(authHeader, activity.channelId);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AuthUnavailable('token check timed out')), SDK_AUTH_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.auth.authenticateRequest(activity, authHeader), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The credentials a proactive turn's connector client for `serviceUrl` signs with (the SDK's kept client,
   * asked as continueConversationAsync asks, with no audience of its own): the bot's own requests outside
   * a turn sign with them.
   */
  async connectorCredentials(appId: string, serviceUrl: string): Promise<ConnectorCredentials> {
    const factory = this.auth.createConnectorFactory(this.createClaimsIdentity(appId));
    return (await factory.create(serviceUrl, undefined)).credentials;
  }

  /** Runs an authenticated turn; the invoke response, if the turn made one. */
  run(
    auth: AuthenticateRequestResult,
    activity: Activity,
    logic: (ctx: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** What an authentication error means for the HTTP answer. `reason` is short and never token text. */
export function authFailure(err: unknown): { status: 401 | 503 | 500; reason: string } {
  if (err instanceof AuthRejected) return { status: 401, reason: err.reason };
  if (err instanceof AuthUnavailable) return { status: 503, reason: err.reason };
  const e = err as { statusCode?: unknown; name?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  // botframework-connector's AuthenticationError carries the status it means.
  if (e?.statusCode === 401) return { status: 401, reason: message.slice(0, 200) };
  // Its OpenID metadata fetch: node-fetch's FetchError, or a "Failed to load ..." AuthenticationError (500).
  if (e?.name === 'FetchError' || (e?.statusCode === 500 && /^Failed to load/.test(message)))
    return { status: 503, reason: 'OpenID metadata unreachable' };
  return { status: 500, reason: message.slice(0, 200) };
}
