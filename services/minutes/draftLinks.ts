// Links to draft minutes, which the bot serves itself (GET /minutes/draft/<token>): a Teams card holds at
// most 28 KB, so long minutes show a summary there and the whole draft behind a link. A link has a scope:
//
//   - public: the public part only (the page and openbaar.docx). It may be shared; it works for 7 days,
//     rounded up to a whole day, or until the minutes are published.
//   - full: both parts, besloten.docx and the correction log, made for one named viewer (the chair or the
//     secretary, whom the page names). It works at most 24 hours (to the hour), or until the minutes are
//     published.
//
// A token is its payload (scope, tenant, chat, meeting, the meeting's draftLinkVersion, expiry, viewer)
// encrypted with AES-256-GCM: no id can be read from it, and nothing in it can be changed (the tag
// authenticates it). The IV is synthetic: the HMAC-SHA256 of the plaintext under a key of its own, cut to
// 96 bits, so the same link made within its rounding window is the same string (a card drawn again is an
// identical edit, which is skipped), and two different payloads never share an IV. The keys are kept in the
// store, so links survive a restart and every instance (PostgreSQL) accepts every link.
//
// Links of the version before the scopes (a signed, readable payload under notulist/draft-link-key) opened
// the closed part for anyone who held one: they open nothing any more, and are told apart only to answer
// "expired" rather than "invalid".
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DocumentStore, StoreUpdate } from '../store/documentStore';

export interface DraftRef {
  tenantId: string;
  conversationId: string;
  meetingId: string;
  /** The meeting's draftLinkVersion when the link was made. */
  version: number;
}

export type DraftScope = 'public' | 'full';

/** Whom a full-scope link is for: the chair or the secretary, by Teams id, with the name the page shows. */
export interface DraftViewer {
  id: string;
  name: string;
}

export type VerifiedDraft =
  { ok: true; scope: DraftScope; ref: DraftRef; viewer?: DraftViewer; expiresAt: string } | { ok: false; reason: 'invalid' | 'expired' };

/** How long a public link works (it shows the public part only). */
export const DRAFT_LINK_DAYS = 7;
/** How long a full link works at most (it shows the closed part). */
export const FULL_DRAFT_LINK_HOURS = 24;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const KEYS_DOCUMENT = 'notulist/draft-link-keys';
/** The signing key of the links before the scopes; only read to recognise such a link. */
const LEGACY_KEY_DOCUMENT = 'notulist/draft-link-key';

const FORMAT = 1;
const AAD = Buffer.from(`notulist-draft-link/${FORMAT}`);
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Far longer than any token we make (ids of a few hundred characters): anything longer is not ours. */
const MAX_TOKEN_LENGTH = 4096;

const b64url = (b: Buffer) => b.toString('base64url');

interface StoredKeys {
  keys: Record<string, unknown>;
  legacy: unknown;
}

interface Keys {
  encryption: Buffer;
  iv: Buffer;
}

export class DraftLinks {
  private constructor(
    private readonly keys: Keys,
    private readonly legacyKey: Buffer | undefined,
    /** Where users' browsers reach the bot, e.g. https://notulist.example.org (asked late: a port may be chosen at start). */
    private readonly base: () => string,
    private readonly now: () => number,
  ) {}

  /** Reads the keys from the store, creating them once (under the store's lock: every instance gets the same). */
  static async open(store: DocumentStore, base: () => string, now: () => number = Date.now): Promise<DraftLinks> {
    const stored = await store.update([KEYS_DOCUMENT, LEGACY_KEY_DOCUMENT], (items): StoreUpdate<StoredKeys> => {
      const existing = items[KEYS_DOCUMENT];
      const legacy = items[LEGACY_KEY_DOCUMENT]?.key;
      if (existing) return { changes: {}, result: { keys: existing, legacy } };
      const created = { format: FORMAT, encryptionKey: b64url(randomBytes(32)), ivKey: b64url(randomBytes(32)) };
      return { changes: { [KEYS_DOCUMENT]: created }, result: { keys: created, legacy } };
    });
    const key = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64url') : undefined);
    const encryption = key(stored.keys.encryptionKey);
    const iv = key(stored.keys.ivKey);
    // A damaged key (empty, cut short) would make links guessable: refuse to start rather than use it.
    if (!encryption || encryption.length !== 32 || !iv || iv.length !== 32)
      throw new Error(`draft links: the keys in ${KEYS_DOCUMENT} are missing or damaged`);
    const legacy = key(stored.legacy);
    return new DraftLinks({ encryption, iv }, legacy?.length === 32 ? legacy : undefined, base, now);
  }

  /** The public-scope link: the public part only. The expiry is rounded up to a whole day (same link all day). */
  publicUrl(ref: DraftRef): string {
    const exp = Math.ceil((this.now() + DRAFT_LINK_DAYS * DAY_MS) / DAY_MS) * DAY_MS;
    return this.link([FORMAT, 'p', ref.tenantId, ref.conversationId, ref.meetingId, ref.version, exp]);
  }

  /**
   * The full-scope link for `viewer`: both parts. It expires 24 hours after the start of the hour it is made
   * in, so it lives 23 to 24 hours and is the same link all that hour.
   */
  fullUrl(ref: DraftRef, viewer: DraftViewer): string {
    const exp = Math.floor(this.now() / HOUR_MS) * HOUR_MS + FULL_DRAFT_LINK_HOURS * HOUR_MS;
    return this.link([FORMAT, 'f', ref.tenantId, ref.conversationId, ref.meetingId, ref.version, exp, viewer.id, viewer.name]);
  }

  /** What a token opens, or why it opens nothing. Never throws. */
  verify(token: string): VerifiedDraft {
    if (token.length > MAX_TOKEN_LENGTH || !/^[\w-]+(\.[\w-]+)?$/.test(token)) return { ok: false, reason: 'invalid' };
    if (token.includes('.')) return { ok: false, reason: this.isLegacy(token) ? 'expired' : 'invalid' };
    const claims = this.unseal(token);
    if (!Array.isArray(claims)) return { ok: false, reason: 'invalid' };
    const [format, scope, t, c, m, v, exp, viewerId, viewerName, ...extra] = claims as unknown[];
    const text = (x: unknown): x is string => typeof x === 'string';
    if (
      format !== FORMAT ||
      (scope !== 'p' && scope !== 'f') ||
      !text(t) ||
      !text(c) ||
      !text(m) ||
      typeof v !== 'number' ||
      typeof exp !== 'number' ||
      extra.length > 0
    )
      return { ok: false, reason: 'invalid' };
    if (scope === 'f' ? !text(viewerId) || !viewerId || !text(viewerName) : viewerId !== undefined || viewerName !== undefined)
      return { ok: false, reason: 'invalid' };
    if (this.now() >= exp) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      scope: scope === 'f' ? 'full' : 'public',
      ref: { tenantId: t, conversationId: c, meetingId: m, version: v },
      viewer: scope === 'f' ? { id: viewerId as string, name: viewerName as string } : undefined,
      expiresAt: new Date(exp).toISOString(),
    };
  }

  private link(claims: unknown[]): string {
    return `${this.base().replace(/\/+$/, '')}/minutes/draft/${this.seal(claims)}`;
  }

  private syntheticIv(plaintext: Buffer): Buffer {
    return createHmac('sha256', this.keys.iv).update(plaintext).digest().subarray(0, IV_BYTES);
  }

  private seal(claims: unknown[]): string {
    const plaintext = Buffer.from(JSON.stringify(claims), 'utf8');
    const iv = this.syntheticIv(plaintext);
    const cipher = createCipheriv('aes-256-gcm', this.keys.encryption, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(AAD);
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return b64url(Buffer.concat([iv, sealed, cipher.getAuthTag()]));
  }

  /** The claims in a token, or undefined when it is not one of ours, whole and unchanged. */
  private unseal(token: string): unknown {
    const bytes = Buffer.from(token, 'base64url');
    // One spelling per token: trailing bits that decode to the same bytes are another token.
    if (bytes.length < IV_BYTES + 1 + TAG_BYTES || b64url(bytes) !== token) return undefined;
    const iv = bytes.subarray(0, IV_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    let plaintext: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keys.encryption, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(AAD);
      decipher.setAuthTag(tag);
      plaintext = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
    // Authenticated already; the IV must also be the one this plaintext makes (no other IV is ever ours).
    if (!timingSafeEqual(iv, this.syntheticIv(plaintext))) return undefined;
    try {
      return JSON.parse(plaintext.toString('utf8'));
    } catch {
      return undefined;
    }
  }

  /** A link of the version before the scopes, signed with its key: "payload.signature". */
  private isLegacy(token: string): boolean {
    if (!this.legacyKey) return false;
    const [payload, signature] = token.split('.') as [string, string];
    const expected = Buffer.from(b64url(createHmac('sha256', this.legacyKey).update(`notulist-draft.${payload}`).digest()));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
