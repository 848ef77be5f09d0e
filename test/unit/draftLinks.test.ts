// Signed draft links: stable within a day, refused when expired or altered, and still valid after a
// restart (the key lives in the store, not in memory).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DRAFT_LINK_DAYS, DraftLinks } from '../../services/minutes/draftLinks';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';

const DAY = 86_400_000;
const REF = { tenantId: 'tenant-1', conversationId: '19:abc@thread.v2', meetingId: 'm-1', version: 0 };
const token = (url: string) => url.split('/minutes/draft/')[1]!;

describe('draft links', () => {
  let dir: string;
  let store: SqliteDocumentStore;
  let now = Date.parse('2026-11-25T10:00:00Z');
  const clock = () => now;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'notulist-links-'));
    store = new SqliteDocumentStore(join(dir, 'store.sqlite'));
    now = Date.parse('2026-11-25T10:00:00Z');
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens its own meeting, and is the same link all day', async () => {
    const links = await DraftLinks.open(store, () => 'https://notulist.example.org/', clock);
    const url = links.url(REF);
    assert.match(url, /^https:\/\/notulist\.example\.org\/minutes\/draft\/[\w-]+\.[\w-]+$/);
    const v = links.verify(token(url));
    assert.ok(v.ok);
    assert.deepEqual(v.ref, REF);
    now += 6 * 3600_000;
    assert.equal(links.url(REF), url);
  });

  it(`works for ${DRAFT_LINK_DAYS} days, then says it expired`, async () => {
    const links = await DraftLinks.open(store, () => 'http://127.0.0.1:3978', clock);
    const t = token(links.url(REF));
    now += (DRAFT_LINK_DAYS - 1) * DAY;
    assert.ok(links.verify(t).ok);
    now += 2 * DAY;
    assert.deepEqual(links.verify(t), { ok: false, reason: 'expired' });
  });

  it('survives a restart, and every instance on the same store accepts it', async () => {
    const first = await DraftLinks.open(store, () => 'http://a', clock);
    const t = token(first.url(REF));
    await store.close();
    store = new SqliteDocumentStore(join(dir, 'store.sqlite'));
    const [a, b] = await Promise.all([DraftLinks.open(store, () => 'http://b', clock), DraftLinks.open(store, () => 'http://c', clock)]);
    assert.ok(a.verify(t).ok);
    assert.ok(b.verify(t).ok);
  });

  it('a link from another store (another key) is refused', async () => {
    const other = new SqliteDocumentStore(join(dir, 'other.sqlite'));
    try {
      const foreign = await DraftLinks.open(other, () => 'http://x', clock);
      const ours = await DraftLinks.open(store, () => 'http://x', clock);
      assert.deepEqual(ours.verify(token(foreign.url(REF))), { ok: false, reason: 'invalid' });
    } finally {
      await other.close();
    }
  });

  it('refuses to start with a damaged key rather than sign with it', async () => {
    await store.write({ 'notulist/draft-link-key': { key: '' } });
    await assert.rejects(
      DraftLinks.open(store, () => 'http://x', clock),
      /signing key .* missing or damaged/,
    );
    await store.write({ 'notulist/draft-link-key': { key: 'c2hvcnQ' } });
    await assert.rejects(
      DraftLinks.open(store, () => 'http://x', clock),
      /damaged/,
    );
  });

  it('refuses malformed tokens without throwing', async () => {
    const links = await DraftLinks.open(store, () => 'http://x', clock);
    for (const bad of ['', '.', 'a.b', 'a.b.c', '!!!.???', `${Buffer.from('not json').toString('base64url')}.x`])
      assert.equal(links.verify(bad).ok, false, bad);
  });
});
