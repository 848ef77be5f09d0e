// A local Bot Connector for the HTTP tests: the bot's serviceUrl points here, and everything the bot posts,
// edits or deletes is recorded. Roster lookups answer from a members list. The next N sends (or edits) can
// be answered with 429 + Retry-After to exercise the bot's retry, or a chosen send or edit refused outright.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface ConnectorMember {
  id: string;
  name: string;
  aadObjectId?: string;
  [key: string]: unknown;
}

export type ConnectorOp = 'send' | 'update' | 'delete';

export interface ConnectorEntry {
  seq: number;
  op: ConnectorOp;
  conv: string;
  id: string;
  replyTo?: string;
  // The bot's outgoing activity (with the id the connector gave it); absent for deletes.
  activity?: ConnectorActivity;
}

export interface ConnectorActivity {
  id?: string;
  type?: string;
  text?: string;
  entities?: { type?: string; text?: string; mentioned?: { id?: string; name?: string } }[];
  attachments?: { contentType?: string; content?: unknown }[];
  [key: string]: unknown;
}

export interface CardOnScreen {
  id: string | null;
  card: Record<string, unknown>;
  seq: number;
}

export class Connector {
  readonly log: ConnectorEntry[] = [];
  /** Requests answered with 429, for the retry tests. */
  readonly throttled: { op: ConnectorOp; conv: string }[] = [];
  /** Roster lookups (GET …/members/{id}), by member id, in order. */
  readonly memberLookups: string[] = [];
  /** How long sends and edits wait before they are answered (a slow connector keeps turns in flight). */
  delayMs = 0;
  members: ConnectorMember[];
  private server?: http.Server;
  private n = 0;
  private seq = 0;
  private throttle = { count: 0, ops: new Set<ConnectorOp>(['send']) };
  /** Sends and edits answered by `refuseNext`, for the tests to see the refusal happened. */
  readonly refused: { conv: string; op: ConnectorOp; activity: ConnectorActivity }[] = [];
  private refusals: { status: number; op: ConnectorOp; matches: (activity: ConnectorActivity) => boolean }[] = [];
  url = '';

  constructor(members: ConnectorMember[] = []) {
    this.members = members;
  }

  static async start(members: ConnectorMember[] = []): Promise<Connector> {
    const c = new Connector(members);
    await c.listen();
    return c;
  }

  /** A sequence number shared with the clients' invoke answers, so cards can be ordered in time. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Answers the next `count` requests of these kinds with 429 and Retry-After: 1. */
  throttleNext(count: number, ops: ConnectorOp[] = ['send']): void {
    this.throttle = { count, ops: new Set(ops) };
  }

  /** Answers the next send (or edit: `op`) whose activity `matches` with `status` (once), as a connector in trouble would. */
  refuseNext(matches: (activity: ConnectorActivity) => boolean, status = 500, op: ConnectorOp = 'send'): void {
    this.refusals.push({ status, op, matches });
  }

  private async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (this.delayMs > 0 && req.method !== 'GET') setTimeout(() => this.answer(req, res, body), this.delayMs);
        else this.answer(req, res, body);
      });
    });
    // Kept-alive connections are reused, as Microsoft's connector's are: a Keep-Alive hint of 1 s would make
    // Node's agent drop each socket after one request (it subtracts a second from the hint).
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const json = (code: number, obj: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(obj));
    };
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let activity: ConnectorActivity | undefined;
    try {
      activity = body ? (JSON.parse(body) as ConnectorActivity) : undefined;
    } catch {
      return json(400, { error: { code: 'BadSyntax', message: 'body is not JSON' } });
    }
    const isConv = parts[0] === 'v3' && parts[1] === 'conversations';
    if (isConv && parts[3] === 'activities') {
      const conv = parts[2]!;
      const op: ConnectorOp | undefined =
        req.method === 'POST' ? 'send' : req.method === 'PUT' ? 'update' : req.method === 'DELETE' ? 'delete' : undefined;
      if (!op) return json(405, { error: { code: 'MethodNotAllowed' } });
      if (this.throttle.count > 0 && this.throttle.ops.has(op)) {
        this.throttle.count--;
        this.throttled.push({ op, conv });
        return json(429, { error: { code: 'TooManyRequests', message: 'throttled' } }, { 'Retry-After': '1' });
      }
      const refusal = activity ? this.refusals.findIndex((r) => r.op === op && r.matches(activity)) : -1;
      if (refusal >= 0) {
        const { status } = this.refusals.splice(refusal, 1)[0]!;
        this.refused.push({ conv, op, activity: activity! });
        return json(status, { error: { code: 'ServiceError', message: 'refused by the test' } });
      }
      if (op === 'send') {
        const id = `act-${++this.n}`;
        this.log.push({ seq: this.nextSeq(), op, conv, id, replyTo: parts[4], activity: { ...activity, id } });
        return json(200, { id });
      }
      const id = parts[4];
      if (!id) return json(400, { error: { code: 'BadArgument', message: 'activity id missing' } });
      if (op === 'update') {
        this.log.push({ seq: this.nextSeq(), op, conv, id, activity: { ...activity, id } });
        return json(200, { id });
      }
      this.log.push({ seq: this.nextSeq(), op, conv, id });
      return json(200, {});
    }
    if (isConv && parts[3] === 'members') {
      if (parts[4]) {
        this.memberLookups.push(parts[4]);
        const m = this.members.find((u) => u.id === parts[4] || u.aadObjectId === parts[4]);
        return m ? json(200, m) : json(404, { error: { code: 'MemberNotFoundInConversation', message: 'not a member' } });
      }
      return json(200, this.members);
    }
    if (isConv && parts[3] === 'pagedmembers') return json(200, { members: this.members });
    if (isConv && parts.length === 2 && req.method === 'POST') return json(200, { id: `19:new-${++this.n}@thread.v2` });
    if (parts[0] === 'v1' && parts[1] === 'meetings')
      return json(200, {
        details: { id: parts[2], title: 'Vergadering', type: 'Scheduled' },
        conversation: { id: 'conv', isGroup: true, conversationType: 'groupChat' },
        organizer: this.members[0] ?? {},
      });
    json(404, { error: { code: 'NotFound', message: `${req.method} ${url.pathname}` } });
  }

  /** Everything recorded for one conversation, optionally from a log position on. */
  sent(conversationId: string, since = 0): ConnectorEntry[] {
    return this.log.slice(since).filter((e) => e.conv === conversationId);
  }

  /** Log position, for `sent(conv, mark)`. */
  mark(): number {
    return this.log.length;
  }

  /** The cards as they stand now in a chat (edits applied, deletes removed), newest first. */
  cards(conversationId: string): CardOnScreen[] {
    const byId = new Map<string, CardOnScreen>();
    for (const e of this.sent(conversationId)) {
      if (e.op === 'delete') {
        byId.delete(e.id);
        continue;
      }
      const card = e.activity?.attachments?.find((a) => a.contentType === CARD_CONTENT_TYPE)?.content;
      byId.delete(e.id);
      if (card && typeof card === 'object') byId.set(e.id, { id: e.id, card: card as Record<string, unknown>, seq: e.seq });
    }
    return [...byId.values()].sort((a, b) => b.seq - a.seq);
  }

  /** Every card the bot ever posted or edited in (all conversations). */
  allCards(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const e of this.log)
      for (const a of e.activity?.attachments ?? [])
        if (a.contentType === CARD_CONTENT_TYPE && a.content) out.push(a.content as Record<string, unknown>);
    return out;
  }

  /** Polls until the predicate holds; throws with the predicate's source after the timeout. */
  async waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      if (await predicate()) return;
      if (Date.now() > until) throw new Error(`waitFor timed out after ${timeoutMs} ms: ${predicate.toString().slice(0, 200)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections?.();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

/** The Adaptive Card an entry posted or edited in, if any. */
export function cardOf(entry: ConnectorEntry | undefined): Record<string, unknown> | undefined {
  const content = entry?.activity?.attachments?.find((a) => a.contentType === CARD_CONTENT_TYPE)?.content;
  return content && typeof content === 'object' ? (content as Record<string, unknown>) : undefined;
}

/** Plain text of a card (texts, titles, values, labels), for assertions. */
export function cardText(node: unknown, out: string[] = []): string {
  if (Array.isArray(node)) {
    node.forEach((n) => cardText(n, out));
    return out.join('\n');
  }
  if (!node || typeof node !== 'object') return out.join('\n');
  const o = node as Record<string, unknown>;
  for (const k of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof o[k] === 'string') out.push(o[k]);
  for (const k of ['body', 'items', 'columns', 'rows', 'cells', 'facts', 'inlines', 'actions', 'card', 'choices'])
    if (o[k]) cardText(o[k], out);
  return out.join('\n');
}
