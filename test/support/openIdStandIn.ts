// A loopback stand-in of Microsoft's login hosts for the token tests: the Bot Connector's OpenID metadata
// and key set (login.botframework.com) and the Entra ID one the SDK reads for Emulator and skill tokens,
// with RSA keys of our own, so a token the bot accepts is really signed and checked. It mints tokens as
// the Bot Connector does (iss https://api.botframework.com, aud the bot's app id, serviceurl) and can be
// made to fail (500) or hang.
import { createHmac, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const TRUSTED_KID = 'stand-in-key-1';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function rsaKeyPair(bits = 2048): KeyPair {
  return generateKeyPairSync('rsa', { modulusLength: bits });
}

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

/** A compact JWS: header.payload.signature, RS* signed by `key`, HS256 by a secret, or unsigned. */
export function jwt(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key?: KeyObject | string,
  alg = String(header.alg ?? 'RS256'),
): string {
  const data = `${b64(header)}.${b64(payload)}`;
  if (key === undefined) return `${data}.`;
  if (typeof key === 'string') return `${data}.${createHmac('sha256', key).update(data).digest('base64url')}`;
  const hash = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' }[alg] ?? 'sha256';
  return `${data}.${sign(hash, Buffer.from(data), key).toString('base64url')}`;
}

export type StandInMode = 'ok' | 'fail' | 'hang';

export class OpenIdStandIn {
  readonly trusted = rsaKeyPair();
  /** Requests for metadata or keys, by path. */
  readonly requests: string[] = [];
  mode: StandInMode = 'ok';
  /** Channels the trusted key is endorsed for (as Microsoft's key set lists them). */
  endorsements = ['msteams', 'emulator', 'webchat'];
  private server?: http.Server;
  url = '';

  static async start(): Promise<OpenIdStandIn> {
    const s = new OpenIdStandIn();
    await s.listen();
    return s;
  }

  /** ToBotFromChannelOpenIdMetadataUrl for the bot. */
  get channelMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /** ToBotFromEmulatorOpenIdMetadataUrl for the bot: a key set without our key. */
  get emulatorMetadataUrl(): string {
    return `${this.url}/common/v2.0/.well-known/openid-configuration`;
  }

  /** A token as the Bot Connector sends it to the bot; `claims` override or (undefined) remove claims. */
  token(appId: string, serviceUrl: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: CHANNEL_ISSUER,
      aud: appId,
      serviceurl: serviceUrl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + 3600,
      ...claims,
    };
    for (const [k, v] of Object.entries(claims)) if (v === undefined) delete payload[k];
    return jwt({ alg: 'RS256', typ: 'JWT', kid: TRUSTED_KID, ...header }, payload, this.trusted.privateKey);
  }

  private async listen(): Promise<void> {
    const other = rsaKeyPair();
    this.server = http.createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      this.requests.push(path);
      if (this.mode === 'hang') return; // never answers
      if (this.mode === 'fail') {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error at the stand-in');
        return;
      }
      const json = (obj: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(obj));
      };
      const jwk = (k: KeyObject, kid: string, endorsements?: string[]) => {
        const { n, e } = k.export({ format: 'jwk' }) as { n: string; e: string };
        return { kty: 'RSA', use: 'sig', kid, n, e, ...(endorsements ? { endorsements } : {}) };
      };
      if (path === '/v1/.well-known/openidconfiguration')
        return json({
          issuer: CHANNEL_ISSUER,
          authorization_endpoint: `${this.url}/v1/authorize`,
          jwks_uri: `${this.url}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      if (path === '/v1/.well-known/keys') return json({ keys: [jwk(this.trusted.publicKey, TRUSTED_KID, this.endorsements)] });
      if (path === '/common/v2.0/.well-known/openid-configuration')
        return json({ issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', jwks_uri: `${this.url}/common/discovery/v2.0/keys` });
      if (path === '/common/discovery/v2.0/keys') return json({ keys: [jwk(other.publicKey, 'entra-key-1')] });
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
