// The CloudAdapter with authentication and the turn as two steps, so the server answers each failure with
// its own status: CloudAdapter.process() answers every error 401 or 500 with the error's text as the body
// and writes the whole error to the console.
import { Activity, CloudAdapter, ConfigurationBotFrameworkAuthentication, InvokeResponse, TurnContext } from 'botbuilder';
import { AuthRejected, AuthUnavailable, TokenGate } from './auth';

export type AuthenticateRequestResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** How long the SDK's own token check may take (it fetches OpenID metadata without a deadline). */
const SDK_AUTH_TIMEOUT_MS = 10_000;

export class NotulistAdapter extends CloudAdapter {
  /** `gate`: absent in local mode, where the SDK checks no token either. */
  constructor(
    private readonly auth: ConfigurationBotFrameworkAuthentication,
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
