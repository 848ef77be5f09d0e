// A local HTTPS stand-in for Entra ID (token endpoint + OpenID metadata) and the part of Microsoft Graph
// the SharePoint publisher and its setup use: drives, folders (and listing their children, paged, with
// their list items' fields), uploads (simple and upload sessions), library fields, lists, columns and
// list items. It speaks the documented wire format so that the real
// @azure/identity and the real Graph client run against it unmodified. Faults (429/503 with
// Retry-After, 401 as for a revoked token, dropped connections, before or after a write is applied) can
// be injected per request.
//
// The client process must trust `caFile` (NODE_EXTRA_CA_CERTS, read by Node at start-up only).
import fs from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { generate } from 'selfsigned';

export interface StandInOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  siteId?: string;
  driveId?: string;
  /** Token lifetime in seconds. */
  tokenLifetime?: number;
}

export interface Fault {
  method?: string;
  /** Matched against the decoded path and query (e.g. ":/content", "/createUploadSession", "/upload/"). */
  pathIncludes: string;
  /**
   * 401: as Graph answers a token it no longer accepts (InvalidAuthenticationToken, WWW-Authenticate); the
   * token the request carried is refused from then on too, like a revoked one.
   */
  status?: 401 | 429 | 503 | 504;
  /** Seconds, sent as Retry-After with `status` (429/503/504: 1 unless given; 401: only when given). */
  retryAfter?: number;
  /** Close the connection without an answer. */
  drop?: boolean;
  /** With drop: apply the request first, then drop (the client loses the answer to a write that happened). */
  afterWrite?: boolean;
  /** How many matching requests to hit; default 1. */
  times?: number;
  /** Let this many matching requests through first (e.g. 2: hit the third fragment). */
  skip?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Decoded path with the query string. */
  path: string;
  status?: number;
  /** Whether the request carried an Authorization header (upload URLs must not get one). */
  authorization: boolean;
  fault?: string;
  /** Arrival time (ms since the epoch). */
  at: number;
}

export interface StoredFile {
  id: string;
  /** Path from the drive's root, e.g. "Besluitenlijsten/2016-10-10 DVO/x.docx". */
  path: string;
  name: string;
  /** The id of the folder it is in. */
  parentId: string;
  versions: number;
  bytes: Buffer;
  fields: Record<string, unknown>;
}

export interface StoredListItem {
  id: string;
  fields: Record<string, unknown>;
  /** How many times the item was written (create = 1). */
  writes: number;
}

export interface StoredColumn {
  id: string;
  name: string;
  displayName: string;
  type: string;
  indexed: boolean;
  enforceUniqueValues: boolean;
  readOnly: boolean;
  choices?: string[];
  allowMultipleLines?: boolean;
  definition: Record<string, unknown>;
}

export interface StoredList {
  id: string;
  displayName: string;
  template: string;
  columns: StoredColumn[];
  items: Map<string, StoredListItem>;
  nextItemId: number;
}

interface DriveNode {
  id: string;
  name: string;
  parentId?: string;
  folder: boolean;
  bytes?: Buffer;
  hash?: string;
  versions: number;
  fields: Record<string, unknown>;
  created: string;
  modified: string;
}

interface UploadSession {
  id: string;
  parentId: string;
  name: string;
  conflictBehavior: string;
  received: Buffer[];
  receivedBytes: number;
  total?: number;
  expires: string;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Ctx {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const FRAGMENT_UNIT = 320 * 1024;
const DEFAULT_CHILDREN_PAGE_SIZE = 200;
const BUILT_IN_COLUMNS: [string, string, string][] = [
  ['Title', 'Title', 'text'],
  ['ContentType', 'Content Type', 'contentType'],
  ['Created', 'Created', 'dateTime'],
  ['Modified', 'Modified', 'dateTime'],
  ['Author', 'Created By', 'personOrGroup'],
  ['Editor', 'Modified By', 'personOrGroup'],
  ['Attachments', 'Attachments', 'boolean'],
];
const READ_ONLY = new Set(['ContentType', 'Created', 'Modified', 'Author', 'Editor', 'Attachments']);

export class GraphStandIn {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly siteId: string;
  readonly driveId: string;
  readonly libraryListId = 'b1b1b1b1-0000-4000-8000-00000000d0c5';
  /** Every request, in order. */
  readonly requests: RequestLogEntry[] = [];
  tokenRequests = 0;
  /** Page size of a children listing without $top (Graph's is 200); set lower to make the client follow nextLink. */
  childrenPageSize = DEFAULT_CHILDREN_PAGE_SIZE;

  private server?: https.Server;
  private origin = '';
  private caPath = '';
  private readonly tokens = new Map<string, number>();
  private readonly faults: (Fault & { left: number; toSkip: number })[] = [];
  private readonly nodes = new Map<string, DriveNode>();
  private readonly lists = new Map<string, StoredList>();
  private readonly sessions = new Map<string, UploadSession>();
  private nextId = 1;
  private readonly rootId = '01ROOT000000000000000000000000000';
  private readonly tokenLifetime: number;

  private constructor(opts: StandInOptions) {
    this.tenantId = opts.tenantId ?? '7e5a0c1d-6a3b-4c4e-9f1a-2b3c4d5e6f70';
    this.clientId = opts.clientId ?? '0b6c2f4e-1d2e-4f5a-8b9c-0d1e2f3a4b5c';
    this.clientSecret = opts.clientSecret ?? `secret-${randomBytes(6).toString('hex')}`;
    this.siteId = opts.siteId ?? 'contoso.sharepoint.com,2c8e6a1b-3d4f-4a5b-8c7d-9e0f1a2b3c4d,5f6a7b8c-9d0e-4f1a-8b2c-3d4e5f6a7b8c';
    this.driveId = opts.driveId ?? 'b!standInDrive0000000000000000000000000000000000000000000000';
    this.tokenLifetime = opts.tokenLifetime ?? 3599;
    this.resetContent();
  }

  /** Generates a CA and a server certificate for 127.0.0.1/localhost and listens on 127.0.0.1 only. */
  static async start(opts: StandInOptions = {}): Promise<GraphStandIn> {
    const standIn = new GraphStandIn(opts);
    const ca = await generate([{ name: 'commonName', value: 'Notulist test CA' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      ],
    });
    const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graph-stand-in-'));
    standIn.caPath = path.join(dir, 'ca.pem');
    fs.writeFileSync(standIn.caPath, ca.cert);

    const server = https.createServer({ key: leaf.private, cert: leaf.cert }, (req, res) => {
      standIn.dispatch(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    // Longer than a test's pauses: a server-side idle close racing a reused connection would look
    // like an injected drop.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    standIn.server = server;
    standIn.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return standIn;
  }

  get baseUrl(): string {
    return this.origin;
  }

  get authorityHost(): string {
    return this.origin;
  }

  /** The CA certificate (PEM) to trust through NODE_EXTRA_CA_CERTS. */
  get caFile(): string {
    return this.caPath;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(path.dirname(this.caPath), { recursive: true, force: true });
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1, toSkip: fault.skip ?? 0 });
  }

  /** Faults injected but not (fully) used. */
  pendingFaults(): Fault[] {
    return this.faults.filter((f) => f.left > 0);
  }

  /** Forgets files, list items, faults and the request log; keeps lists and columns (the setup). */
  resetContent(): void {
    this.nodes.clear();
    this.sessions.clear();
    this.faults.length = 0;
    this.requests.length = 0;
    this.tokenRequests = 0;
    this.childrenPageSize = DEFAULT_CHILDREN_PAGE_SIZE;
    const now = new Date().toISOString();
    this.nodes.set(this.rootId, {
      id: this.rootId,
      name: 'root',
      folder: true,
      versions: 1,
      fields: {},
      created: now,
      modified: now,
    });
    for (const list of this.lists.values()) list.items.clear();
    this.libraryList();
  }

  /** Forgets everything, lists and columns included. */
  resetAll(): void {
    this.lists.clear();
    this.resetContent();
  }

  // -- state for assertions -------------------------------------------------------------------------

  files(): StoredFile[] {
    return [...this.nodes.values()]
      .filter((n) => !n.folder)
      .map((n) => ({
        id: n.id,
        path: this.pathOf(n),
        name: n.name,
        parentId: n.parentId ?? this.rootId,
        versions: n.versions,
        bytes: n.bytes ?? Buffer.alloc(0),
        fields: { ...n.fields },
      }));
  }

  file(filePath: string): StoredFile | undefined {
    return this.files().find((f) => f.path === filePath);
  }

  folders(): string[] {
    return [...this.nodes.values()].filter((n) => n.folder && n.id !== this.rootId).map((n) => this.pathOf(n));
  }

  /** The id of the folder at a path from the drive's root, or undefined. */
  folderId(folderPath: string): string | undefined {
    return [...this.nodes.values()].find((n) => n.folder && n.id !== this.rootId && this.pathOf(n) === folderPath)?.id;
  }

  list(displayName: string): StoredList | undefined {
    return [...this.lists.values()].find((l) => l.displayName === displayName);
  }

  listById(id: string): StoredList | undefined {
    return this.lists.get(id);
  }

  /** Puts a file at a path from the drive's root (folders made as needed), as a user or an older version would have. */
  seedFile(filePath: string, bytes: Buffer, fields: Record<string, unknown> = {}): void {
    const segments = filePath.split('/');
    let parentId = this.rootId;
    const now = new Date().toISOString();
    for (const segment of segments.slice(0, -1)) {
      let folder = this.child(parentId, segment);
      if (!folder) {
        folder = { id: this.newId(), name: segment, parentId, folder: true, versions: 1, fields: {}, created: now, modified: now };
        this.nodes.set(folder.id, folder);
      }
      parentId = folder.id;
    }
    const { node } = this.writeFile(parentId, segments[segments.length - 1], bytes, 'replace');
    node.fields = { ...fields };
  }

  /** Deletes a file or folder (with its content) by its path, as a user would in SharePoint. */
  removeItem(itemPath: string): void {
    this.deleteNode(this.walk(this.rootId, itemPath.split('/')).id);
  }

  /** Requests that changed something (for "writes nothing" assertions). */
  writes(): RequestLogEntry[] {
    return this.requests.filter((r) => r.method !== 'GET' && !r.path.includes('/oauth2/'));
  }

  // -- dispatch ---------------------------------------------------------------------------------------

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.origin);
    const method = req.method ?? 'GET';
    const decodedPath = safeDecode(url.pathname) + safeDecode(url.search);
    const entry: RequestLogEntry = {
      method,
      path: decodedPath,
      authorization: req.headers.authorization !== undefined,
      at: Date.now(),
    };
    this.requests.push(entry);

    const matching = this.faults.filter((f) => f.left > 0 && (!f.method || f.method === method) && decodedPath.includes(f.pathIncludes));
    let fault: (typeof matching)[number] | undefined;
    for (const f of matching) {
      if (f.toSkip > 0) f.toSkip -= 1;
      else fault ??= f;
    }
    if (fault) fault.left -= 1;
    if (fault?.drop && !fault.afterWrite) {
      entry.fault = 'dropped';
      req.socket.destroy();
      return;
    }
    if (fault?.status) {
      entry.fault = `${fault.status}`;
      entry.status = fault.status;
      let reply: Reply;
      if (fault.status === 401) {
        const presented = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        if (presented) this.tokens.delete(presented);
        reply = this.unauthorized('Access token has expired or is not yet valid. (Injected by the stand-in.)');
        if (fault.retryAfter !== undefined) reply.headers = { ...reply.headers, 'Retry-After': String(fault.retryAfter) };
      } else {
        const code = fault.status === 429 ? 'TooManyRequests' : 'serviceNotAvailable';
        reply = graphError(fault.status, code, 'Injected by the stand-in.');
        reply.headers = { ...reply.headers, 'Retry-After': String(fault.retryAfter ?? 1) };
      }
      this.send(res, reply);
      return;
    }

    let reply: Reply;
    try {
      reply = this.route({ method, url, headers: req.headers, body: Buffer.concat(chunks) });
    } catch (err) {
      reply =
        err instanceof HttpError && err.status === 401
          ? this.unauthorized(err.message)
          : err instanceof HttpError
            ? graphError(err.status, err.code, err.message)
            : graphError(500, 'generalException', String(err));
    }
    if (fault?.drop) {
      entry.fault = 'dropped after write';
      entry.status = reply.status;
      req.socket.destroy();
      return;
    }
    entry.status = reply.status;
    this.send(res, reply);
  }

  private send(res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string> = { 'request-id': randomUUID(), ...reply.headers };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.writeHead(reply.status, { 'content-type': JSON_TYPE, ...headers });
    res.end(text);
  }

  private route(ctx: Ctx): Reply {
    const p = ctx.url.pathname;
    if (p.startsWith('/upload/')) return this.uploadFragment(ctx, p.slice('/upload/'.length));
    if (p.startsWith('/v1.0/')) {
      this.authorize(ctx);
      return this.graph(ctx, p.slice('/v1.0/'.length));
    }
    const entra = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(p);
    if (entra) return entra[2].startsWith('oauth2') ? this.token(ctx, entra[1]) : this.openIdConfiguration(entra[1]);
    throw new HttpError(404, 'notFound', `No route for ${ctx.method} ${p}`);
  }

  // -- Entra ID ---------------------------------------------------------------------------------------

  private openIdConfiguration(tenant: string): Reply {
    if (tenant !== this.tenantId) return entraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    const base = `${this.origin}/${tenant}`;
    return {
      status: 200,
      body: {
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${base}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${this.origin}/oidc/userinfo`,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid', 'oid'],
        kerberos_endpoint: `${base}/kerberos`,
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: new URL(this.origin).host,
        rbac_url: 'https://pas.windows.net',
      },
    };
  }

  private token(ctx: Ctx, tenant: string): Reply {
    this.tokenRequests += 1;
    if (ctx.method !== 'POST') throw new HttpError(405, 'methodNotAllowed', 'POST only');
    const form = new URLSearchParams(ctx.body.toString('utf8'));
    if (tenant !== this.tenantId) return entraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    let clientId = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(ctx.headers.authorization ?? '');
    if (basic) [clientId, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    if (clientId !== this.clientId) {
      return entraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`);
    }
    if (secret !== this.clientSecret) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    if (scope !== `${this.origin}/.default`) {
      return entraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid.`);
    }
    const now = Math.floor(Date.now() / 1000);
    const token = [
      b64url({ typ: 'JWT', alg: 'RS256', kid: 'stand-in' }),
      b64url({
        aud: this.origin,
        iss: `https://sts.windows.net/${tenant}/`,
        iat: now,
        nbf: now,
        exp: now + this.tokenLifetime,
        appid: clientId,
        tid: tenant,
        roles: ['Sites.Selected'],
      }),
      randomBytes(32).toString('base64url'),
    ].join('.');
    this.tokens.set(token, (now + this.tokenLifetime) * 1000);
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: this.tokenLifetime,
        ext_expires_in: this.tokenLifetime,
        access_token: token,
      },
    };
  }

  /** Graph's 401: InvalidAuthenticationToken, with the challenge naming where a token comes from. */
  private unauthorized(message: string): Reply {
    const reply = graphError(401, 'InvalidAuthenticationToken', message);
    reply.headers = {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${this.origin}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    };
    return reply;
  }

  private authorize(ctx: Ctx): void {
    const header = ctx.headers.authorization;
    if (!header) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const token = /^Bearer (.+)$/.exec(header)?.[1];
    const expires = token ? this.tokens.get(token) : undefined;
    if (expires === undefined) throw new HttpError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    if (expires < Date.now()) throw new HttpError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
  }

  // -- Graph ------------------------------------------------------------------------------------------

  private graph(ctx: Ctx, rawPath: string): Reply {
    const { method } = ctx;
    // Path-based addressing: drives/{d}/(root|items/{id}):/{relative path}[:[/content|/createUploadSession]]
    const byPath = /^drives\/([^/]+)\/(root|items\/([^/:]+)):\/(.+?)(?::\/(content|createUploadSession)|:)?$/.exec(rawPath);
    if (byPath) {
      this.checkDrive(safeDecode(byPath[1]));
      const baseId = byPath[3] ? this.resolveId(safeDecode(byPath[3])) : this.rootId;
      const segments = byPath[4].split('/').map(safeDecode);
      const action = byPath[5];
      if (!action && method === 'GET') return ok(this.driveItemJson(this.walk(baseId, segments)));
      const parentId = segments.length > 1 ? this.walk(baseId, segments.slice(0, -1)).id : baseId;
      const name = segments[segments.length - 1];
      if (action === 'content' && method === 'PUT') return this.putContent(ctx, parentId, name);
      if (action === 'createUploadSession' && method === 'POST') return this.createUploadSession(ctx, parentId, name);
      throw new HttpError(405, 'invalidRequest', `${method} not supported here`);
    }

    const s = rawPath.split('/').map(safeDecode);
    const is = (...pattern: string[]): boolean => s.length === pattern.length && pattern.every((part, i) => part === '*' || part === s[i]);

    if (is('sites', '*', 'drive') && method === 'GET') {
      this.checkSite(s[1]);
      return ok(this.driveJson());
    }
    if (s[0] === 'drives') {
      this.checkDrive(s[1]);
      if (is('drives', '*') && method === 'GET') return ok(this.driveJson());
      if (is('drives', '*', 'list') && method === 'GET') return ok(this.listJson(this.libraryList()));
      if (is('drives', '*', 'root') && method === 'GET') return ok(this.driveItemJson(this.node(this.rootId)));
      if ((is('drives', '*', 'root', 'children') || is('drives', '*', 'items', '*', 'children')) && method === 'POST') {
        return this.createFolder(ctx, s[2] === 'root' ? this.rootId : this.resolveId(s[3]));
      }
      if ((is('drives', '*', 'root', 'children') || is('drives', '*', 'items', '*', 'children')) && method === 'GET') {
        return ok(this.listChildren(ctx, s[2] === 'root' ? this.rootId : this.resolveId(s[3])));
      }
      if (is('drives', '*', 'items', '*')) {
        const node = this.node(this.resolveId(s[3]));
        if (method === 'GET') return ok(this.driveItemJson(node));
        if (method === 'DELETE') {
          this.deleteNode(node.id);
          return { status: 204 };
        }
      }
      if (is('drives', '*', 'items', '*', 'listItem') && method === 'GET') {
        return ok(this.driveListItemJson(this.node(this.resolveId(s[3])), true));
      }
      if (is('drives', '*', 'items', '*', 'listItem', 'fields')) {
        const node = this.node(this.resolveId(s[3]));
        if (method === 'GET') return ok(this.fieldsJson(node.fields));
        if (method === 'PATCH') {
          const changes = this.validateFields(this.libraryList(), jsonBody(ctx), undefined);
          applyFields(node.fields, changes);
          return ok(this.fieldsJson(node.fields));
        }
      }
    }

    if (s[0] === 'sites') {
      this.checkSite(s[1]);
      if (is('sites', '*', 'lists')) {
        if (method === 'GET') return ok({ value: this.filterLists(ctx.url) });
        if (method === 'POST') return this.createList(ctx);
      }
      if (s[2] === 'lists' && s.length >= 4) {
        const list = this.lists.get(s[3]);
        if (!list) throw new HttpError(404, 'itemNotFound', 'The requested list was not found.');
        if (is('sites', '*', 'lists', '*') && method === 'GET') return ok(this.listJson(list));
        if (is('sites', '*', 'lists', '*', 'columns')) {
          if (method === 'GET') return ok({ value: list.columns.map((c) => c.definition) });
          if (method === 'POST') return this.createColumn(list, jsonBody(ctx));
        }
        if (is('sites', '*', 'lists', '*', 'items')) {
          if (method === 'GET') return ok({ value: this.queryItems(ctx, list) });
          if (method === 'POST') return this.createItem(ctx, list);
        }
        if (s[4] === 'items' && s.length >= 6) {
          const item = list.items.get(s[5]);
          if (!item) throw new HttpError(404, 'itemNotFound', 'The specified list item was not found.');
          if (is('sites', '*', 'lists', '*', 'items', '*')) {
            if (method === 'GET') return ok(this.itemJson(list, item, true));
            if (method === 'DELETE') {
              list.items.delete(item.id);
              return { status: 204 };
            }
          }
          if (is('sites', '*', 'lists', '*', 'items', '*', 'fields')) {
            if (method === 'GET') return ok(this.fieldsJson(item.fields));
            if (method === 'PATCH') {
              const changes = this.validateFields(list, jsonBody(ctx), item.id);
              applyFields(item.fields, changes);
              item.writes += 1;
              return ok(this.fieldsJson(item.fields));
            }
          }
        }
      }
    }
    throw new HttpError(400, 'invalidRequest', `Unsupported request: ${method} /v1.0/${rawPath}`);
  }

  private checkSite(site: string): void {
    if (site !== this.siteId) throw new HttpError(404, 'itemNotFound', 'Requested site could not be found');
  }

  private checkDrive(drive: string): void {
    if (drive !== this.driveId) throw new HttpError(404, 'itemNotFound', 'The resource could not be found.');
  }

  private driveJson(): Record<string, unknown> {
    return {
      id: this.driveId,
      driveType: 'documentLibrary',
      name: 'Documenten',
      webUrl: `${this.origin}/sites/bestuur/Gedeelde%20documenten`,
    };
  }

  // -- drive items ----------------------------------------------------------------------------------

  private resolveId(id: string): string {
    return id === 'root' ? this.rootId : id;
  }

  private node(id: string): DriveNode {
    const node = this.nodes.get(id);
    if (!node) throw new HttpError(404, 'itemNotFound', 'The resource could not be found.');
    return node;
  }

  private child(parentId: string, name: string): DriveNode | undefined {
    const lower = name.toLowerCase();
    return [...this.nodes.values()].find((n) => n.parentId === parentId && n.name.toLowerCase() === lower);
  }

  private walk(baseId: string, segments: string[]): DriveNode {
    let node = this.node(baseId);
    for (const segment of segments) {
      const next = this.child(node.id, segment);
      if (!next) throw new HttpError(404, 'itemNotFound', 'The resource could not be found.');
      node = next;
    }
    return node;
  }

  private pathOf(node: DriveNode): string {
    const parts: string[] = [];
    for (let n: DriveNode | undefined = node; n && n.id !== this.rootId; n = n.parentId ? this.nodes.get(n.parentId) : undefined) {
      parts.unshift(n.name);
    }
    return parts.join('/');
  }

  private newId(): string {
    return `01STANDIN${String(this.nextId++).padStart(24, '0')}`;
  }

  private driveItemJson(node: DriveNode): Record<string, unknown> {
    const json: Record<string, unknown> = {
      id: node.id,
      name: node.name,
      createdDateTime: node.created,
      lastModifiedDateTime: node.modified,
      eTag: `"{${node.id}},${node.versions}"`,
      webUrl: `${this.origin}/sites/bestuur/Gedeelde%20documenten/${this.pathOf(node).split('/').map(encodeURIComponent).join('/')}`,
      parentReference: { driveId: this.driveId, driveType: 'documentLibrary', id: node.parentId },
    };
    if (node.folder) json.folder = { childCount: [...this.nodes.values()].filter((n) => n.parentId === node.id).length };
    else {
      json.size = node.bytes?.length ?? 0;
      json.file = {
        mimeType: 'application/octet-stream',
        hashes: { quickXorHash: node.hash ?? standInQuickXorHash(node.bytes ?? Buffer.alloc(0)) },
      };
    }
    return json;
  }

  /**
   * GET …/children: the folder's items by name, a page at a time ($top, else childrenPageSize), with
   * "@odata.nextLink" (the full URL of the next page, $skiptoken opaque) while more follow. $expand
   * "listItem" adds each item's listItem, "listItem($expand=fields)" with its column values.
   */
  private listChildren(ctx: Ctx, parentId: string): Record<string, unknown> {
    const parent = this.node(parentId);
    if (!parent.folder) throw new HttpError(400, 'invalidRequest', 'The item is not a folder.');
    const expand = ctx.url.searchParams.get('$expand');
    if (expand !== null && expand !== 'listItem' && expand !== 'listItem($expand=fields)') {
      throw new HttpError(400, 'invalidRequest', `Unsupported $expand: ${expand}`);
    }
    const topParam = ctx.url.searchParams.get('$top');
    const top = topParam === null ? this.childrenPageSize : Number(topParam);
    if (!Number.isInteger(top) || top < 1) throw new HttpError(400, 'invalidRequest', `Invalid $top: ${topParam}`);
    const token = ctx.url.searchParams.get('$skiptoken');
    const from =
      token === null
        ? 0
        : Number(
            Buffer.from(token, 'base64url')
              .toString('utf8')
              .replace(/^Paged=TRUE&p_Index=/, ''),
          );
    if (!Number.isInteger(from) || from < 0) throw new HttpError(400, 'invalidRequest', 'Invalid $skiptoken.');
    const children = [...this.nodes.values()].filter((n) => n.parentId === parentId).sort((a, b) => a.name.localeCompare(b.name));
    const page = children.slice(from, from + top).map((n) => {
      const json = this.driveItemJson(n);
      if (expand !== null) json.listItem = this.driveListItemJson(n, expand.includes('fields'));
      return json;
    });
    const itemPath = parentId === this.rootId ? 'root' : `items/${parentId}`;
    const body: Record<string, unknown> = {
      '@odata.context': `${this.origin}/v1.0/$metadata#drives('${this.driveId}')/${itemPath}/children`,
      value: page,
    };
    if (from + top < children.length) {
      const next = Buffer.from(`Paged=TRUE&p_Index=${from + top}`).toString('base64url');
      const query = [expand !== null ? `$expand=${expand}` : '', topParam !== null ? `$top=${top}` : '', `$skiptoken=${next}`];
      body['@odata.nextLink'] =
        `${this.origin}/v1.0/drives/${encodeURIComponent(this.driveId)}/${itemPath}/children?${query.filter(Boolean).join('&')}`;
    }
    return body;
  }

  /** A drive item's listItem as Graph shows it (GET …/listItem, or expanded on the item). */
  private driveListItemJson(node: DriveNode, withFields: boolean): Record<string, unknown> {
    const id = this.listItemIdOf(node);
    const json: Record<string, unknown> = {
      '@odata.etag': `"{${node.id}},${node.versions}"`,
      id,
      eTag: `"{${node.id}},${node.versions}"`,
      createdDateTime: node.created,
      lastModifiedDateTime: node.modified,
      webUrl: this.driveItemJson(node).webUrl,
      parentReference: { id: this.libraryListId, siteId: this.siteId },
      contentType: node.folder ? { id: '0x0120', name: 'Folder' } : { id: '0x0101', name: 'Document' },
    };
    if (withFields) {
      json['fields@odata.context'] = `${this.origin}/v1.0/$metadata#drives('${this.driveId}')/items('${node.id}')/listItem/fields/$entity`;
      json.fields = {
        ...this.fieldsJson(node.fields),
        id,
        FileLeafRef: node.name,
        ContentType: node.folder ? 'Folder' : 'Document',
        Created: node.created,
        Modified: node.modified,
      };
    }
    return json;
  }

  private createFolder(ctx: Ctx, parentId: string): Reply {
    this.node(parentId);
    const body = jsonBody(ctx);
    const name = typeof body.name === 'string' ? body.name : '';
    if (!name || !isRecord(body.folder)) throw new HttpError(400, 'invalidRequest', 'name and folder are required');
    const behavior = typeof body['@microsoft.graph.conflictBehavior'] === 'string' ? body['@microsoft.graph.conflictBehavior'] : 'fail';
    const existing = this.child(parentId, name);
    if (existing) {
      if (behavior === 'fail') throw new HttpError(409, 'nameAlreadyExists', 'The specified item name already exists.');
      if (behavior === 'replace' && existing.folder) return { status: 201, body: this.driveItemJson(existing) };
    }
    const now = new Date().toISOString();
    const node: DriveNode = {
      id: this.newId(),
      name: existing ? `${name} 1` : name,
      parentId,
      folder: true,
      versions: 1,
      fields: {},
      created: now,
      modified: now,
    };
    this.nodes.set(node.id, node);
    return { status: 201, body: this.driveItemJson(node) };
  }

  /** Writes a file's bytes: a new file, or a new version of the one with that name. */
  private writeFile(parentId: string, name: string, bytes: Buffer, conflictBehavior: string): { node: DriveNode; created: boolean } {
    const existing = this.child(parentId, name);
    const now = new Date().toISOString();
    if (existing) {
      if (existing.folder || conflictBehavior === 'fail') {
        throw new HttpError(409, 'nameAlreadyExists', 'The specified item name already exists.');
      }
      if (conflictBehavior === 'replace') {
        existing.bytes = bytes;
        existing.hash = standInQuickXorHash(bytes);
        existing.versions += 1;
        existing.modified = now;
        return { node: existing, created: false };
      }
    }
    const node: DriveNode = {
      id: this.newId(),
      name: existing ? name.replace(/(\.[^.]*)?$/, ' 1$1') : name,
      parentId,
      folder: false,
      bytes,
      hash: standInQuickXorHash(bytes),
      versions: 1,
      fields: {},
      created: now,
      modified: now,
    };
    this.nodes.set(node.id, node);
    return { node, created: true };
  }

  private putContent(ctx: Ctx, parentId: string, name: string): Reply {
    const parent = this.node(parentId);
    if (!parent.folder) throw new HttpError(400, 'invalidRequest', 'The parent is not a folder.');
    // PUT defaults to replace.
    const behavior = ctx.url.searchParams.get('@microsoft.graph.conflictBehavior') ?? 'replace';
    const { node, created } = this.writeFile(parentId, name, ctx.body, behavior);
    return { status: created ? 201 : 200, body: this.driveItemJson(node) };
  }

  private createUploadSession(ctx: Ctx, parentId: string, name: string): Reply {
    this.node(parentId);
    const body = jsonBody(ctx);
    const item = isRecord(body.item) ? body.item : {};
    if (typeof item.name === 'string' && item.name !== name) {
      throw new HttpError(400, 'invalidRequest', 'The name in the body does not match the path.');
    }
    const behavior = typeof item['@microsoft.graph.conflictBehavior'] === 'string' ? item['@microsoft.graph.conflictBehavior'] : 'fail';
    const session: UploadSession = {
      id: randomBytes(16).toString('hex'),
      parentId,
      name,
      conflictBehavior: behavior,
      received: [],
      receivedBytes: 0,
      expires: new Date(Date.now() + 3600_000).toISOString(),
    };
    this.sessions.set(session.id, session);
    return {
      status: 200,
      body: {
        '@odata.context': `${this.origin}/v1.0/$metadata#microsoft.graph.uploadSession`,
        uploadUrl: `${this.origin}/upload/${session.id}?tempauth=${randomBytes(12).toString('hex')}`,
        expirationDateTime: session.expires,
        nextExpectedRanges: ['0-'],
      },
    };
  }

  private uploadFragment(ctx: Ctx, sessionId: string): Reply {
    const session = this.sessions.get(sessionId);
    if (!session) throw new HttpError(404, 'itemNotFound', 'The upload session was not found.');
    const status = (): Record<string, unknown> => ({
      expirationDateTime: session.expires,
      nextExpectedRanges: [`${session.receivedBytes}-${session.total !== undefined ? session.total - 1 : ''}`],
    });
    if (ctx.method === 'GET') return ok(status());
    if (ctx.method === 'DELETE') {
      this.sessions.delete(sessionId);
      return { status: 204 };
    }
    if (ctx.method !== 'PUT') throw new HttpError(405, 'invalidRequest', 'PUT, GET or DELETE only');
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(ctx.headers['content-range'] ?? ''));
    if (!range) throw new HttpError(400, 'invalidRequest', 'Content-Range is missing or malformed.');
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (session.total !== undefined && session.total !== total) {
      throw new HttpError(400, 'invalidRequest', 'The declared file size changed during the session.');
    }
    if (end - start + 1 !== ctx.body.length) {
      throw new HttpError(400, 'invalidRequest', 'Content-Range does not match the body length.');
    }
    if (start < session.receivedBytes) {
      throw new HttpError(416, 'invalidRange', 'The fragment overlaps bytes already received.');
    }
    if (start > session.receivedBytes) throw new HttpError(416, 'invalidRange', 'Fragments must be uploaded in order.');
    const last = end === total - 1;
    // Graph: every fragment but the last must be a multiple of 320 KiB.
    if (!last && ctx.body.length % FRAGMENT_UNIT !== 0) {
      throw new HttpError(400, 'invalidRequest', 'Fragment size must be a multiple of 320 KiB.');
    }
    session.total = total;
    session.received.push(ctx.body);
    session.receivedBytes += ctx.body.length;
    if (!last) return { status: 202, body: status() };
    const { node, created } = this.writeFile(session.parentId, session.name, Buffer.concat(session.received), session.conflictBehavior);
    this.sessions.delete(sessionId);
    return { status: created ? 201 : 200, body: this.driveItemJson(node) };
  }

  private deleteNode(id: string): void {
    if (id === this.rootId) throw new HttpError(403, 'accessDenied', 'The root cannot be deleted.');
    for (const n of [...this.nodes.values()]) if (n.parentId === id) this.deleteNode(n.id);
    this.nodes.delete(id);
  }

  private listItemIdOf(node: DriveNode): string {
    return String(Number.parseInt(node.id.slice(-8), 10));
  }

  // -- lists ------------------------------------------------------------------------------------------

  private libraryList(): StoredList {
    let list = this.lists.get(this.libraryListId);
    if (!list) {
      list = {
        id: this.libraryListId,
        displayName: 'Documenten',
        template: 'documentLibrary',
        columns: [],
        items: new Map(),
        nextItemId: 1,
      };
      for (const [name, displayName, type] of [...BUILT_IN_COLUMNS, ['FileLeafRef', 'Name', 'text']]) {
        list.columns.push(this.builtInColumn(name, displayName, type));
      }
      this.lists.set(list.id, list);
    }
    return list;
  }

  private builtInColumn(name: string, displayName: string, type: string): StoredColumn {
    const id = randomUUID();
    return {
      id,
      name,
      displayName,
      type,
      indexed: false,
      enforceUniqueValues: false,
      readOnly: READ_ONLY.has(name),
      definition: { id, name, displayName, columnGroup: 'Custom Columns', readOnly: READ_ONLY.has(name), [type]: {} },
    };
  }

  private listJson(list: StoredList): Record<string, unknown> {
    return {
      id: list.id,
      name: list.displayName.replace(/\s+/g, ''),
      displayName: list.displayName,
      webUrl: `${this.origin}/sites/bestuur/Lists/${encodeURIComponent(list.displayName.replace(/\s+/g, ''))}`,
      list: { template: list.template, hidden: false, contentTypesEnabled: false },
    };
  }

  private filterLists(url: URL): Record<string, unknown>[] {
    const filter = url.searchParams.get('$filter');
    const all = [...this.lists.values()];
    if (!filter) return all.map((l) => this.listJson(l));
    const m = /^displayName eq '((?:[^']|'')*)'$/.exec(filter.trim());
    if (!m) throw new HttpError(400, 'invalidRequest', `Unsupported $filter: ${filter}`);
    const name = m[1].replace(/''/g, "'");
    return all.filter((l) => l.displayName === name).map((l) => this.listJson(l));
  }

  private createList(ctx: Ctx): Reply {
    const body = jsonBody(ctx);
    const displayName = typeof body.displayName === 'string' ? body.displayName : '';
    if (!displayName) throw new HttpError(400, 'invalidRequest', 'displayName is required');
    if ([...this.lists.values()].some((l) => l.displayName.toLowerCase() === displayName.toLowerCase())) {
      throw new HttpError(
        409,
        'nameAlreadyExists',
        'A list, survey, discussion board, or document library with the specified title already exists in this Web site.',
      );
    }
    const template = isRecord(body.list) && typeof body.list.template === 'string' ? body.list.template : 'genericList';
    const list: StoredList = { id: randomUUID(), displayName, template, columns: [], items: new Map(), nextItemId: 1 };
    for (const [name, dn, type] of BUILT_IN_COLUMNS) list.columns.push(this.builtInColumn(name, dn, type));
    const columns = Array.isArray(body.columns) ? body.columns : [];
    for (const column of columns) if (isRecord(column)) this.addColumn(list, column);
    this.lists.set(list.id, list);
    return { status: 201, body: this.listJson(list) };
  }

  private createColumn(list: StoredList, body: Record<string, unknown>): Reply {
    return { status: 201, body: this.addColumn(list, body).definition };
  }

  private addColumn(list: StoredList, body: Record<string, unknown>): StoredColumn {
    const name = typeof body.name === 'string' ? body.name : '';
    if (!name) throw new HttpError(400, 'invalidRequest', 'A column needs a name.');
    if (list.columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) {
      throw new HttpError(409, 'nameAlreadyExists', `A duplicate field name "${name}" was found.`);
    }
    const type = ['text', 'dateTime', 'number', 'choice', 'boolean'].find((t) => isRecord(body[t]));
    if (!type) throw new HttpError(400, 'invalidRequest', `Column ${name} has no type.`);
    const facet = body[type] as Record<string, unknown>;
    const enforceUniqueValues = body.enforceUniqueValues === true;
    const indexed = body.indexed === true;
    if (enforceUniqueValues && !indexed) {
      throw new HttpError(400, 'invalidRequest', 'A column that enforces unique values must be indexed.');
    }
    const id = randomUUID();
    const column: StoredColumn = {
      id,
      name,
      displayName: typeof body.displayName === 'string' ? body.displayName : name,
      type,
      indexed,
      enforceUniqueValues,
      readOnly: false,
      choices: Array.isArray(facet.choices) ? facet.choices.filter((c): c is string => typeof c === 'string') : undefined,
      allowMultipleLines: facet.allowMultipleLines === true,
      definition: { ...body, id, columnGroup: 'Custom Columns', readOnly: false },
    };
    list.columns.push(column);
    return column;
  }

  /** Checks names and values as SharePoint would; returns the values to store (null clears). */
  private validateFields(list: StoredList, body: Record<string, unknown>, itemId: string | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(body)) {
      const column = list.columns.find((c) => c.name === name);
      if (!column) throw new HttpError(400, 'invalidRequest', `Field '${name}' is not recognized`);
      if (column.readOnly) throw new HttpError(400, 'invalidRequest', `Field '${name}' is read-only`);
      if (value !== null) {
        const bad = (why: string): never => {
          throw new HttpError(400, 'invalidRequest', `Invalid value for field '${name}': ${why}`);
        };
        if (column.type === 'text' && typeof value !== 'string') bad('text expected');
        if (column.type === 'text' && !column.allowMultipleLines && String(value).length > 255) bad('longer than 255');
        if (column.type === 'number' && typeof value !== 'number') bad('number expected');
        if (column.type === 'dateTime' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) bad('date expected');
        if (column.type === 'choice' && (typeof value !== 'string' || !(column.choices ?? []).includes(value))) {
          bad(`not one of ${JSON.stringify(column.choices)}`);
        }
        if (column.enforceUniqueValues) {
          const clash = [...list.items.values()].find((i) => i.id !== itemId && i.fields[name] === value);
          if (clash) throw new HttpError(409, 'nameAlreadyExists', `This value already exists in the list (field '${name}').`);
        }
      }
      out[name] = value;
    }
    return out;
  }

  private createItem(ctx: Ctx, list: StoredList): Reply {
    const body = jsonBody(ctx);
    if (!isRecord(body.fields)) throw new HttpError(400, 'invalidRequest', 'fields is required');
    const fields: Record<string, unknown> = {};
    applyFields(fields, this.validateFields(list, body.fields, undefined));
    const item: StoredListItem = { id: String(list.nextItemId++), fields, writes: 1 };
    list.items.set(item.id, item);
    return { status: 201, body: this.itemJson(list, item, true) };
  }

  private queryItems(ctx: Ctx, list: StoredList): Record<string, unknown>[] {
    const expand = ctx.url.searchParams.get('$expand') ?? '';
    const filter = ctx.url.searchParams.get('$filter');
    let items = [...list.items.values()];
    if (filter) {
      const m = /^fields\/(\w+) eq '((?:[^']|'')*)'$/.exec(filter.trim());
      if (!m) throw new HttpError(400, 'invalidRequest', `Unsupported $filter: ${filter}`);
      const column = list.columns.find((c) => c.name === m[1]);
      if (!column) throw new HttpError(400, 'invalidRequest', `Field '${m[1]}' is not recognized`);
      const prefer = String(ctx.headers.prefer ?? '');
      if (!column.indexed && !prefer.includes('HonorNonIndexedQueriesWarningMayFailRandomly')) {
        throw new HttpError(
          400,
          'invalidRequest',
          `Field '${m[1]}' cannot be referenced in filter or orderby as it is not indexed. Provide the 'Prefer: HonorNonIndexedQueriesWarningMayFailRandomly' header to allow this, but be warned that such queries may fail on large lists.`,
        );
      }
      const value = m[2].replace(/''/g, "'");
      items = items.filter((i) => i.fields[m[1]] === value);
    }
    return items.map((i) => this.itemJson(list, i, expand.startsWith('fields')));
  }

  private itemJson(list: StoredList, item: StoredListItem, withFields: boolean): Record<string, unknown> {
    const json: Record<string, unknown> = {
      id: item.id,
      webUrl: `${this.listJson(list).webUrl as string}/DispForm.aspx?ID=${item.id}`,
      contentType: { id: '0x0100', name: 'Item' },
    };
    if (withFields) json.fields = { ...this.fieldsJson(item.fields), id: item.id };
    return json;
  }

  private fieldsJson(fields: Record<string, unknown>): Record<string, unknown> {
    return { '@odata.etag': `"${randomUUID()},1"`, ...fields };
  }
}

// ---------------------------------------------------------------------------------------------------

function ok(body: unknown): Reply {
  return { status: 200, body };
}

function graphError(status: number, code: string, message: string): Reply {
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: { date: new Date().toISOString(), 'request-id': randomUUID(), 'client-request-id': randomUUID() },
      },
    },
  };
}

function entraError(status: number, error: string, code: number, description: string): Reply {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonBody(ctx: Ctx): Record<string, unknown> {
  if (ctx.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(ctx.body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'BadRequest', 'Unable to read JSON request payload.');
  }
  if (!isRecord(parsed)) throw new HttpError(400, 'BadRequest', 'A JSON object was expected.');
  return parsed;
}

function applyFields(target: Record<string, unknown>, changes: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete target[name];
    else target[name] = value;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function b64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** quickXorHash written as a 160-bit rotate-and-XOR over BigInt, independently of the publisher's. */
export function standInQuickXorHash(data: Uint8Array): string {
  const width = 160n;
  const mask = (1n << width) - 1n;
  let register = 0n;
  let shift = 0n;
  for (const byte of data) {
    const v = BigInt(byte) << shift;
    register ^= (v & mask) | (v >> width);
    shift = (shift + 11n) % width;
  }
  register ^= BigInt(data.length) << (width - 64n);
  const out = Buffer.alloc(20);
  for (let i = 0; i < 20; i++) out[i] = Number((register >> BigInt(8 * i)) & 0xffn);
  return out.toString('base64');
}
