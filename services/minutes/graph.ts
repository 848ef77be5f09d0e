// The one place where the Microsoft Graph client and its app-only credential are built. Both can be
// pointed at another cloud (or a local stand-in): then every request, the token request included,
// goes to the hosts given here and nowhere else.
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { ClientSecretCredential } from '@azure/identity';
import { Client } from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export interface GraphClientOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Graph's root without the version, e.g. "https://graph.microsoft.com". */
  baseUrl?: string;
  /** Entra ID's host, e.g. "https://login.microsoftonline.com". */
  authorityHost?: string;
  /** Defaults to "<baseUrl>/.default" (the app's granted application permissions). */
  scope?: string;
}

function httpsOrigin(value: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:') throw new Error(`${what} must use https: ${value}`);
  return url;
}

/**
 * A credential whose cached token can be dropped. @azure/identity keeps a token until shortly before it
 * expires and has no way to skip that cache (short of a claims challenge), so renewing makes a new
 * credential, whose cache is empty.
 */
class RenewableCredential implements TokenCredential {
  private current: TokenCredential;

  constructor(private readonly make: () => TokenCredential) {
    this.current = make();
  }

  getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    return this.current.getToken(scopes, options);
  }

  renew(): void {
    this.current = this.make();
  }
}

const credentials = new WeakMap<Client, RenewableCredential>();

/**
 * Makes the client's next request carry a new token from Entra ID instead of the cached one: after Graph
 * refused the token (401: revoked, or refused for a reason the cache cannot know of). Does nothing for a
 * client not made by createGraphClient.
 */
export function renewGraphToken(client: Client): void {
  credentials.get(client)?.renew();
}

export function createGraphClient(opts: GraphClientOptions): Client {
  for (const key of ['tenantId', 'clientId', 'clientSecret'] as const) {
    if (!opts[key]) throw new Error(`Graph settings: ${key} is missing`);
  }
  const base = httpsOrigin(opts.baseUrl ?? DEFAULT_GRAPH_BASE_URL, 'Graph base URL');
  const authority = httpsOrigin(opts.authorityHost ?? DEFAULT_AUTHORITY_HOST, 'Authority host');
  // The client appends "/v1.0/…" itself; a trailing slash or a version in baseUrl would double it.
  const baseUrl = base.origin + base.pathname.replace(/\/+$/, '').replace(/\/(v1\.0|beta)$/, '');

  const credential = new RenewableCredential(
    () =>
      new ClientSecretCredential(opts.tenantId, opts.clientId, opts.clientSecret, {
        authorityHost: authority.origin,
        // Without this MSAL first asks login.microsoftonline.com/common/discovery/instance, whatever the host.
        disableInstanceDiscovery: true,
      }),
  );
  const authProvider = new TokenCredentialAuthenticationProvider(credential, {
    scopes: [opts.scope ?? `${base.origin}/.default`],
  });
  const client = Client.initWithMiddleware({
    authProvider,
    baseUrl,
    // The auth middleware only sends the token to Graph's own hosts and these (hostname, no port).
    customHosts: new Set([base.hostname]),
    defaultVersion: 'v1.0',
  });
  credentials.set(client, credential);
  return client;
}
