// Links to the full text of draft minutes, for the draft card. A Teams card holds at most 28 KB, so
// long minutes show a summary there and the whole draft behind a link the bot serves itself.
//
// The link carries a signed token (HMAC-SHA256) naming the tenant, the chat and the meeting, and an
// expiry: nothing else is needed to check it, and nobody can change which meeting it opens. The key is
// kept in the store, so links survive a restart and every instance (PostgreSQL) accepts every link.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DocumentStore } from '../store/documentStore';

export interface DraftRef {
  tenantId: string;
  conversationId: string;
  meetingId: string;
  /** The meeting's draftLinkVersion when the link was made. */
  version: number;
}

/** How long a link works. Whoever holds it can read the draft, closed part included. */
export const DRAFT_LINK_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
const KEY_DOCUMENT = 'notulist/draft-link-key';

const b64url = (b: Buffer) => b.toString('base64url');

export class DraftLinks {
  private constructor(
    private readonly key: Buffer,
    /** Where users' browsers reach the bot, e.g. https://notulist.example.org (asked late: a port may be chosen at start). */
    private readonly publicUrl: () => string,
    private readonly now: () => number,
  ) {}

  /** Reads the signing key from the store, creating it once (the first instance to write wins). */
  static async open(store: DocumentStore, publicUrl: () => string, now: () => number = Date.now): Promise<DraftLinks> {
    const read = async () => (await store.read([KEY_DOCUMENT]))[KEY_DOCUMENT]?.key;
    let key = await read();
    if (typeof key !== 'string') {
      // An eTag no document has: the write succeeds only while the key does not exist yet.
      await store.write({ [KEY_DOCUMENT]: { key: b64url(randomBytes(32)), eTag: 'create-only' } }).catch(() => undefined);
      key = await read();
    }
    const bytes = typeof key === 'string' ? Buffer.from(key, 'base64url') : undefined;
    // A damaged key (empty, cut short) would make links forgeable: refuse to start rather than sign with it.
    if (!bytes || bytes.length !== 32) throw new Error(`draft links: the signing key in ${KEY_DOCUMENT} is missing or damaged`);
    return new DraftLinks(bytes, publicUrl, now);
  }

  /**
   * The link to a meeting's draft. The expiry is rounded up to a whole day so that the same card drawn
   * twice in a day carries the same link (identical card edits are skipped).
   */
  url(ref: DraftRef): string {
    const exp = Math.ceil((this.now() + DRAFT_LINK_DAYS * DAY_MS) / DAY_MS) * DAY_MS;
    const payload = b64url(Buffer.from(JSON.stringify({ t: ref.tenantId, c: ref.conversationId, m: ref.meetingId, v: ref.version, exp })));
    return `${this.publicUrl().replace(/\/+$/, '')}/minutes/draft/${payload}.${this.sign(payload)}`;
  }

  /** The meeting a token opens, or why it opens nothing. */
  verify(token: string): { ok: true; ref: DraftRef; expiresAt: string } | { ok: false; reason: 'invalid' | 'expired' } {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(signature))
      return { ok: false, reason: 'invalid' };
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    const c = claims as Record<string, unknown>;
    if (
      typeof c.t !== 'string' ||
      typeof c.c !== 'string' ||
      typeof c.m !== 'string' ||
      typeof c.v !== 'number' ||
      typeof c.exp !== 'number'
    )
      return { ok: false, reason: 'invalid' };
    if (this.now() >= c.exp) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      ref: { tenantId: c.t, conversationId: c.c, meetingId: c.m, version: c.v },
      expiresAt: new Date(c.exp).toISOString(),
    };
  }

  private sign(payload: string): string {
    return b64url(createHmac('sha256', this.key).update(`notulist-draft.${payload}`).digest());
  }
}
