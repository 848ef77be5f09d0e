// The embedded store acknowledges a write only once the WAL holding it is synced to disk, and that sync
// runs off the event loop: these tests hold fs.fdatasync's callback to see what waits for it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';

type SyncCallback = (err: NodeJS.ErrnoException | null) => void;

describe('SqliteDocumentStore: a write waits for its WAL sync', function () {
  const realSync = fs.fdatasync;
  let dir: string;
  let store: SqliteDocumentStore;
  /** Syncs asked for and not yet let through. */
  let held: { fd: number; cb: SyncCallback }[];

  /** Lets the oldest held sync happen (or fail with `err`). */
  const release = async (err?: Error): Promise<void> => {
    const next = held.shift();
    assert.ok(next, 'a sync was asked for');
    if (err) next.cb(err);
    else await new Promise<void>((r) => realSync(next.fd, (e) => (next.cb(e), r())));
    await settled();
  };
  const settled = () => new Promise((r) => setImmediate(() => setImmediate(r)));
  const watch = <T>(p: Promise<T>) => {
    const state = { done: false, failed: undefined as Error | undefined };
    p.then(
      () => (state.done = true),
      (err: Error) => (state.failed = err),
    );
    return state;
  };

  beforeEach(function () {
    dir = fs.mkdtempSync(join(tmpdir(), 'notulist-sync-'));
    store = new SqliteDocumentStore(join(dir, 'store.db'));
    held = [];
    (fs as { fdatasync: unknown }).fdatasync = (fd: number, cb: SyncCallback) => held.push({ fd, cb });
  });

  afterEach(async function () {
    (fs as { fdatasync: unknown }).fdatasync = realSync;
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a write and an update only after the sync that follows their commit', async function () {
    const write = watch(store.write({ a: { n: 1 } }));
    await settled();
    assert.equal(held.length, 1, 'the commit asked for a sync');
    assert.equal(write.done, false, 'not acknowledged before the sync');
    // Committed already: a read sees it (the sync is about the disk, not about visibility).
    assert.equal(((await store.read(['a'])).a as { n?: number }).n, 1);
    await release();
    assert.equal(write.done, true);

    let committed = 0;
    const update = watch(store.update(['a'], () => ({ changes: { a: { n: 2 } }, result: 'ok', committed: () => committed++ })));
    await settled();
    assert.equal(update.done, false);
    assert.equal(committed, 0, 'the writer hears of its eTags only once the write is durable');
    await release();
    assert.equal(update.done, true);
    assert.equal(committed, 1);
  });

  it('makes the commits that come during a sync wait for the next one, which they share', async function () {
    const first = watch(store.write({ a: { n: 1 } }));
    await settled();
    assert.equal(held.length, 1);
    const second = watch(store.update(['b'], () => ({ changes: { b: { n: 1 } }, result: 1 })));
    const third = watch(store.write({ c: { n: 1 } }));
    await settled();
    assert.equal(held.length, 1, 'one sync at a time');
    await release();
    assert.equal(first.done, true);
    assert.deepEqual([second.done, third.done], [false, false], 'committed after the first sync began: not covered by it');
    assert.equal(held.length, 1, 'the next sync started for both');
    await release();
    assert.deepEqual([second.done, third.done], [true, true]);
  });

  it('does not acknowledge a write whose sync failed', async function () {
    let committed = 0;
    const update = watch(store.update(['a'], () => ({ changes: { a: { n: 1 } }, result: 1, committed: () => committed++ })));
    await settled();
    await release(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    assert.match(update.failed?.message ?? '', /EIO/);
    assert.equal(committed, 0);
    // The store goes on: the next write syncs again.
    const next = watch(store.write({ b: { n: 1 } }));
    await settled();
    await release();
    assert.equal(next.done, true);
  });
});
