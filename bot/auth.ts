// The gate in front of the SDK's token check. botbuilder validates Bot Framework tokens itself, but a bad
// token reaches code that answers 500 with internal text (a metadata fetch that failed, "invalid
// signature") and writes stack traces and key material to the console. This gate checks the same things
// first, quietly: the token's form, algorithm, issuer, lifetime and its RS signature against the key the
// OpenID metadata publishes under its kid (with the key's channel endorsements). Whatever it refuses is an
// AuthRejected (401); metadata it cannot fetch is an AuthUnavailable (503). A token it lets through is then
// checked again, in full, by the SDK (audience, serviceUrl claim, ...), which stays the authority.
import { createPublicKey, KeyObject, verify } from 'node:crypto';

/** A request whose token is missing, malformed or not valid: HTTP 401. `reason` is ours, never token text. */
export class AuthRejected extends Error {
  constructor(readonly reason: string) {
    super(`not authenticated: ${reason}`);
    this.name = 'AuthRejected';
  }
}

/** The signing keys could not be fetched, so no token can be checked now: HTTP 503. */
export class AuthUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`token check unavailable: ${reason}`);
    this.name = 'AuthUnavailable';
  }
}

/** Microsoft's public-cloud values, as botframework-connector's AuthenticationConstants has them. */
export const BOT_FRAMEWORK = {
  channelIssuer: 'https://api.botframework.com',
  channelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  emulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  toChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  toChannelFromBotOAuthScope: 'https://api.botframework.com',
  oAuthUrl: 'https://api.botframework.com',
  callerId: 'urn:botframework:azure',
} as const;

/** Issuers of Entra ID tokens (the Emulator, skills): their keys are in the emulator metadata. */
const ENTRA_ISSUER_PREFIXES = ['https://sts.windows.net/', 'https://login.microsoftonline.com/', 'https://login.microsoftonline.us/'];
const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
/** Real tokens are 1-3 KB; anything far longer is not one. */
const MAX_TOKEN_CHARS = 16 * 1024;
const FAILED_FETCH_PAUSE_MS = 2000;

export interface TokenGateOptions {
  channelOpenIdMetadataUrl: string;
  emulatorOpenIdMetadataUrl: string;
  channelIssuer?: string;
  /** Seconds of clock skew allowed on exp and nbf (the SDK allows 5 minutes). */
  clockToleranceSec?: number;
  /** How long one metadata or key-set fetch may take. */
  fetchTimeoutMs?: number;
  /** How old the keys may get before they are fetched again. */
  refreshMs?: number;
  /** An unknown kid fetches the keys again, at most this often (key rollover). */
  unknownKidRefreshMs?: number;
  now?: () => number;
}

interface SigningKey {
  key: KeyObject;
  endorsements?: string[];
}

export class TokenGate {
  private readonly sources = new Map<string, KeySource>();
  private readonly channelIssuer: string;
  private readonly tolerance: number;
  private readonly now: () => number;

  constructor(private readonly opts: TokenGateOptions) {
    this.channelIssuer = opts.channelIssuer ?? BOT_FRAMEWORK.channelIssuer;
    this.tolerance = opts.clockToleranceSec ?? 300;
    this.now = opts.now ?? Date.now;
  }

  /** Resolves when the header carries a well-formed, signed, current token; throws AuthRejected or AuthUnavailable. */
  async check(authHeader: string | undefined, channelId: string | undefined): Promise<void> {
    if (!authHeader) throw new AuthRejected('no Authorization header');
    if (authHeader.length > MAX_TOKEN_CHARS) throw new AuthRejected('token too long');
    const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)$/.exec(authHeader);
    if (!m) throw new AuthRejected('not a Bearer JWT');
    const [, headerPart, payloadPart, signaturePart] = m as unknown as [string, string, string, string];
    const header = decodeJson(headerPart);
    const payload = decodeJson(payloadPart);
    if (!header || !payload) throw new AuthRejected('token is not JSON');
    const alg = header.alg;
    if (typeof alg !== 'string' || !Object.hasOwn(ALGORITHMS, alg)) throw new AuthRejected('signing algorithm not allowed');
    if (typeof header.kid !== 'string' || !header.kid || header.kid.length > 256) throw new AuthRejected('no key id');
    if (!signaturePart) throw new AuthRejected('no signature');

    const iss = payload.iss;
    if (typeof iss !== 'string') throw new AuthRejected('no issuer');
    const metadataUrl =
      iss === this.channelIssuer
        ? this.opts.channelOpenIdMetadataUrl
        : ENTRA_ISSUER_PREFIXES.some((p) => iss.startsWith(p))
          ? this.opts.emulatorOpenIdMetadataUrl
          : undefined;
    if (!metadataUrl) throw new AuthRejected('issuer not trusted');

    const now = this.now() / 1000;
    if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new AuthRejected('no expiry');
    if (payload.exp + this.tolerance <= now) throw new AuthRejected('token expired');
    if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || !Number.isFinite(payload.nbf)))
      throw new AuthRejected('bad not-before');
    if (typeof payload.nbf === 'number' && payload.nbf - this.tolerance > now) throw new AuthRejected('token not yet valid');

    const key = await this.source(metadataUrl).key(header.kid);
    if (!key) throw new AuthRejected('unknown signing key');
    const signature = Buffer.from(signaturePart, 'base64url');
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    let valid = false;
    try {
      valid = verify(ALGORITHMS[alg]!, signed, key.key, signature);
    } catch {
      valid = false;
    }
    if (!valid) throw new AuthRejected('bad signature');
    if (Array.isArray(key.endorsements) && key.endorsements.length && !key.endorsements.includes(channelId ?? ''))
      throw new AuthRejected('signing key not endorsed for this channel');
  }

  private source(url: string): KeySource {
    let s = this.sources.get(url);
    if (!s) {
      s = new KeySource(
        url,
        this.opts.fetchTimeoutMs ?? 5000,
        this.opts.refreshMs ?? 24 * 3600_000,
        this.opts.unknownKidRefreshMs ?? 300_000,
        this.now,
      );
      this.sources.set(url, s);
    }
    return s;
  }
}

/** One OpenID metadata document's signing keys, fetched when first needed and kept for a day. */
class KeySource {
  private keys?: Map<string, SigningKey>;
  private fetchedAt = 0;
  private lastAttempt = 0;
  /** After a failed fetch, the next waits this long: a flood of tokens does not become a flood of fetches. */
  private failedUntil = 0;
  private lastError = '';
  private loading?: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly refreshMs: number,
    private readonly unknownKidRefreshMs: number,
    private readonly now: () => number,
  ) {}

  async key(kid: string): Promise<SigningKey | undefined> {
    const stale = !this.keys || this.now() - this.fetchedAt > this.refreshMs;
    if (stale) await this.refresh(!this.keys);
    let key = this.keys?.get(kid);
    if (!key && this.now() - this.lastAttempt > this.unknownKidRefreshMs) {
      await this.refresh(false);
      key = this.keys?.get(kid);
    }
    return key;
  }

  /** `required`: without keys yet, a failed fetch means no token can be checked (AuthUnavailable). */
  private async refresh(required: boolean): Promise<void> {
    if (this.now() < this.failedUntil) {
      if (required || !this.keys) throw new AuthUnavailable(this.lastError);
      return;
    }
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    try {
      await this.loading;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      this.failedUntil = this.now() + FAILED_FETCH_PAUSE_MS;
      // Keys fetched before stay in use while the metadata is unreachable.
      if (required || !this.keys) throw new AuthUnavailable(this.lastError);
    }
  }

  private async load(): Promise<void> {
    this.lastAttempt = this.now();
    const metadata = await getJson(this.url, this.timeoutMs);
    const jwksUri = metadata.jwks_uri;
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) throw new Error('OpenID metadata without jwks_uri');
    const jwks = await getJson(jwksUri, this.timeoutMs);
    if (!Array.isArray(jwks.keys)) throw new Error('key set without keys');
    const keys = new Map<string, SigningKey>();
    for (const jwk of jwks.keys as Record<string, unknown>[]) {
      if (!jwk || typeof jwk !== 'object' || typeof jwk.kid !== 'string' || jwk.kty !== 'RSA') continue;
      if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') continue;
      try {
        const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
        // The SDK (jsonwebtoken) refuses RSA keys under 2048 bits too.
        if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) continue;
        const endorsements = Array.isArray(jwk.endorsements)
          ? jwk.endorsements.filter((e): e is string => typeof e === 'string')
          : undefined;
        keys.set(jwk.kid, { key, endorsements });
      } catch {
        // A key that does not parse signs nothing.
      }
    }
    this.keys = keys;
    this.fetchedAt = this.now();
  }
}

async function getJson(url: string, timeoutMs: number): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw new Error(
      `${new URL(url).host} unreachable${cause ? ` (${cause})` : (err as Error).name === 'TimeoutError' ? ' (timeout)' : ''}`,
    );
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${new URL(url).host} answered ${res.status}`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error(`${new URL(url).host} sent no JSON object`);
  return body as Record<string, unknown>;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
