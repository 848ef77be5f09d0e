// Draft links, two scopes: a public link (the public part; 7 days, the same link all day) and a full link
// for one named viewer (both parts; at most 24 hours, the same link all hour). Tokens are encrypted (no
// readable id), refused when expired, altered, cut short or made with another key, and still valid after a
// restart (the keys live in the store, not in memory).
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRAFT_LINK_DAYS, DraftLinks, FULL_DRAFT_LINK_HOURS } from '../../services/minutes/draftLinks';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REF = { tenantId: 'tenant-1', conversationId: '19:abc@thread.v2', meetingId: 'm-1', version: 0 };
const VIEWER = { id: '29:voorzitter', name: 'O. van Veldhuizen' };
const token = (url: string) => url.split('/minutes/draft/')[1]!;

describe('draft links', () => {
  let dir: string;
  let store: SqliteDocumentStore;
  let now = Date.parse('2026-11-25T10:20:00Z');
  const clock = () => now;
  const open = (s = store) => DraftLinks.open(s, () => 'https://notulist.example.org/', clock);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-links-'));
    store = new SqliteDocumentStore(join(dir, 'store.sqlite'));
    now = Date.parse('2026-11-25T10:20:00Z');
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a public link opens its own meeting’s public part, and is the same link all day', async () => {
    const links = await open();
    const url = links.publicUrl(REF);
    assert.match(url, /^https:\/\/notulist\.example\.org\/minutes\/draft\/[\w-]+$/);
    const v = links.verify(token(url));
    assert.ok(v.ok);
    assert.equal(v.scope, 'public');
    assert.deepEqual(v.ref, REF);
    assert.equal(v.viewer, undefined);
    now += 6 * HOUR;
    assert.equal(links.publicUrl(REF), url);
    now += 8 * HOUR;
    assert.notEqual(links.publicUrl(REF), url, 'the next day, the next expiry');
  });

  it(`a public link works for ${DRAFT_LINK_DAYS} days, then says it expired`, async () => {
    const links = await open();
    const t = token(links.publicUrl(REF));
    now += (DRAFT_LINK_DAYS - 1) * DAY;
    assert.ok(links.verify(t).ok);
    now += 2 * DAY;
    assert.deepEqual(links.verify(t), { ok: false, reason: 'expired' });
  });

  it(`a full link names its viewer, is the same link all hour, and works at most ${FULL_DRAFT_LINK_HOURS} hours`, async () => {
    const links = await open();
    const url = links.fullUrl(REF, VIEWER);
    const v = links.verify(token(url));
    assert.ok(v.ok);
    assert.equal(v.scope, 'full');
    assert.deepEqual(v.viewer, VIEWER);
    assert.deepEqual(v.ref, REF);
    // Made at 10:20, it ends at 10:00 the next day: within 24 hours, whenever in the hour it was made.
    assert.equal(v.expiresAt, '2026-11-26T10:00:00.000Z');
    now += 30 * 60_000;
    assert.equal(links.fullUrl(REF, VIEWER), url, 'the same link within the hour');
    assert.notEqual(links.fullUrl(REF, { ...VIEWER, id: '29:secretaris' }), url, 'another viewer, another link');
    now = Date.parse('2026-11-25T11:00:00Z');
    assert.notEqual(links.fullUrl(REF, VIEWER), url, 'the next hour, a new link');
    now = Date.parse('2026-11-26T09:59:59Z');
    assert.ok(links.verify(token(url)).ok);
    now = Date.parse('2026-11-26T10:00:00Z');
    assert.deepEqual(links.verify(token(url)), { ok: false, reason: 'expired' });

    // At the very start of an hour it lives the whole 24 hours, never more.
    now = Date.parse('2026-11-25T12:00:00Z');
    const exact = links.verify(token(links.fullUrl(REF, VIEWER)));
    assert.ok(exact.ok);
    assert.equal(Date.parse(exact.expiresAt) - now, FULL_DRAFT_LINK_HOURS * HOUR);
  });

  it('a token holds no readable id: not the tenant, the chat, the meeting or the viewer', async () => {
    const links = await open();
    for (const url of [links.publicUrl(REF), links.fullUrl(REF, VIEWER)]) {
      const t = token(url);
      const decoded = Buffer.from(t, 'base64url');
      for (const text of [t, decoded.toString('latin1'), decoded.toString('utf8')]) {
        for (const id of ['tenant-1', '19:abc', 'thread', 'm-1', '29:voorzitter', 'Veldhuizen', '"t"', '[1']) {
          assert.ok(!text.includes(id), `${id} readable in ${url}`);
        }
      }
      assert.throws(() => JSON.parse(decoded.toString('utf8')));
    }
    assert.notEqual(token(links.publicUrl(REF)), token(links.fullUrl(REF, VIEWER)));
  });

  it('survives a restart, and every instance on the same store accepts it', async () => {
    const first = await open();
    const t = token(first.fullUrl(REF, VIEWER));
    await store.close();
    store = new SqliteDocumentStore(join(dir, 'store.sqlite'));
    const [a, b] = await Promise.all([open(), open()]);
    assert.ok(a.verify(t).ok);
    assert.ok(b.verify(t).ok);
    assert.equal(a.fullUrl(REF, VIEWER), b.fullUrl(REF, VIEWER), 'the same keys: the same links');
  });

  it('a link from another store (another key) is refused', async () => {
    const other = new SqliteDocumentStore(join(dir, 'other.sqlite'));
    try {
      const foreign = await open(other);
      const ours = await open();
      assert.deepEqual(ours.verify(token(foreign.publicUrl(REF))), { ok: false, reason: 'invalid' });
      assert.deepEqual(ours.verify(token(foreign.fullUrl(REF, VIEWER))), { ok: false, reason: 'invalid' });
    } finally {
      await other.close();
    }
  });

  it('any change to a token, cutting it short or adding to it, makes it open nothing', async () => {
    const links = await open();
    for (const t of [token(links.publicUrl(REF)), token(links.fullUrl(REF, VIEWER))]) {
      const bytes = Buffer.from(t, 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        const changed = Buffer.from(bytes);
        changed[i] ^= 0x01;
        assert.deepEqual(links.verify(changed.toString('base64url')), { ok: false, reason: 'invalid' }, `byte ${i} changed`);
      }
      for (const cut of [1, 2, 16, 17, t.length - 1]) assert.equal(links.verify(t.slice(0, t.length - cut)).ok, false, `cut by ${cut}`);
      assert.equal(links.verify(t.slice(3)).ok, false);
      assert.equal(links.verify(`${t}A`).ok, false);
      assert.equal(links.verify(`${t}AAAA`).ok, false);
      // Another spelling of the same bytes (trailing bits set) is not the token.
      const last = t.at(-1)!;
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const sibling = `${t.slice(0, -1)}${alphabet[(alphabet.indexOf(last) + 1) % 64]}`;
      if (Buffer.from(sibling, 'base64url').equals(bytes)) assert.equal(links.verify(sibling).ok, false);
    }
  });

  it('refuses to start with damaged keys rather than use them', async () => {
    await store.write({ 'notulist/draft-link-keys': { encryptionKey: '', ivKey: '' } });
    await assert.rejects(open(), /keys in notulist\/draft-link-keys are missing or damaged/);
    await store.write({ 'notulist/draft-link-keys': { encryptionKey: 'c2hvcnQ', ivKey: randomBytes(32).toString('base64url') } });
    await assert.rejects(open(), /damaged/);
  });

  it('a link of the version before the scopes (signed, readable, opened the closed part) opens nothing: "expired"', async () => {
    const oldKey = randomBytes(32);
    await store.write({ 'notulist/draft-link-key': { key: oldKey.toString('base64url') } });
    const payload = Buffer.from(JSON.stringify({ t: 'tenant-1', c: '19:abc', m: 'm-1', v: 0, exp: now + DAY })).toString('base64url');
    const signature = createHmac('sha256', oldKey).update(`notulist-draft.${payload}`).digest('base64url');
    const links = await open();
    assert.deepEqual(links.verify(`${payload}.${signature}`), { ok: false, reason: 'expired' });
    assert.deepEqual(links.verify(`${payload}.${signature.slice(0, -2)}AA`), { ok: false, reason: 'invalid' });
  });

  it('refuses malformed tokens without throwing', async () => {
    const links = await open();
    const junk = ['', '.', 'a.b', 'a.b.c', '!!!.???', 'x'.repeat(5000), '%2e%2e', `${Buffer.from('not json').toString('base64url')}`];
    for (const bad of junk) assert.equal(links.verify(bad).ok, false, bad.slice(0, 20));
  });
});
