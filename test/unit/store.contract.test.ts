// One contract for every DocumentStore: the botbuilder Storage semantics the bot relies on (eTag optimistic
// concurrency, atomic multi-key writes), run against the embedded SQLite store and the PostgreSQL store.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore, EtagConflictError, isEtagConflict, StoreItem, StoreItems, storedETag } from '../../services/store/documentStore';
import { PostgresDocumentStore } from '../../services/store/postgresStore';
import { SqliteDocumentStore } from '../../services/store/sqliteStore';
import { POSTGRES_SKIP_MESSAGE, startPostgres } from '../support/postgres';

export interface StoreHarness {
  /** Opens another store instance on the same data, as another bot instance would. */
  open(): Promise<DocumentStore>;
  /** Removes the backing data; called once after the suite, when every opened store is closed. */
  stop(): Promise<void>;
}

/** The stored document without its eTag, for comparing with what was written. */
function withoutEtag(item: StoreItem | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  const { eTag: _eTag, ...value } = item;
  return value;
}

async function rejectsWithConflict(promise: Promise<unknown>, key: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isEtagConflict(err), `expected EtagConflictError, got ${String(err)}`);
    assert.ok(err instanceof EtagConflictError);
    assert.equal(err.key, key);
    return true;
  });
}

export function storeContract(name: string, makeStore: () => Promise<StoreHarness | null>, skipMessage = ''): void {
  describe(`DocumentStore contract: ${name}`, function () {
    let harness: StoreHarness | null = null;
    const opened: DocumentStore[] = [];
    let store: DocumentStore;

    async function open(): Promise<DocumentStore> {
      if (!harness) throw new Error('no store harness');
      const instance = await harness.open();
      opened.push(instance);
      return instance;
    }

    // Unique keys per test, so the suite also runs against a long-lived DATABASE_URL_TEST.
    const newKey = (label: string): string => `${label}/${randomUUID()}`;

    before(async function () {
      harness = await makeStore();
      if (!harness) {
        console.log(`      ${skipMessage}`);
        this.skip();
      }
      store = await open();
    });

    after(async function () {
      for (const instance of opened) await instance.close();
      await harness?.stop();
    });

    it('reads missing keys as an empty result', async function () {
      assert.deepEqual(await store.read([newKey('missing'), newKey('missing')]), {});
      assert.deepEqual(await store.read([]), {});
    });

    it('reads back a written document with an eTag, and only the keys that exist', async function () {
      const key = newKey('doc');
      const value = { title: 'Stuurgroep', items: [1, 2, { nested: true }], empty: null, flag: false };
      await store.write({ [key]: value });
      const result = await store.read([key, newKey('other')]);
      assert.deepEqual(Object.keys(result), [key]);
      assert.deepEqual(withoutEtag(result[key]), value);
      assert.equal(typeof result[key].eTag, 'string');
      assert.ok((result[key].eTag ?? '').length > 0);
    });

    it('does not read again a document the caller holds (same eTag); reads it once it changed', async function () {
      const [key, other] = [newKey('held'), newKey('held-other')];
      await store.write({ [key]: { big: 'x'.repeat(100_000) }, [other]: { small: 1 } });
      const eTag = (await store.read([key]))[key].eTag!;
      const held = await store.read([key, other], { held: { [key]: eTag } });
      assert.equal(storedETag(held, key), eTag);
      assert.deepEqual(held[key], { eTag }, 'its eTag alone');
      assert.deepEqual(withoutEtag(held[other]), { small: 1 }, 'a key not held is read as always');
      const updated = await store.update([key], (items) => ({ changes: {}, result: items[key] }), { held: { [key]: eTag } });
      assert.deepEqual(updated, { eTag }, 'update() too');
      await store.write({ [key]: { big: 'y' } });
      const changed = await store.read([key], { held: { [key]: eTag } });
      assert.deepEqual(withoutEtag(changed[key]), { big: 'y' }, 'changed since: read in full');
      assert.notEqual(storedETag(changed, key), eTag);
    });

    it('reads the documents a document names (more) in the same go, held ones by their eTag alone', async function () {
      const [head, a, b] = [newKey('head'), newKey('part-a'), newKey('part-b')];
      await store.write({ [head]: { parts: [a, b] }, [a]: { n: 1 }, [b]: { n: 2 } });
      const eTagA = (await store.read([a]))[a].eTag!;
      const more = (items: StoreItems) => ({ keys: items[head]!.parts as string[], held: { [a]: eTagA } });
      const read = await store.read([head], { more });
      assert.deepEqual(read[a], { eTag: eTagA }, 'a held part: its eTag alone');
      assert.deepEqual(withoutEtag(read[b]), { n: 2 });
      // In an update, under the head's lock: the parts as they are, and the change written with the head.
      const result = await store.update(
        [head],
        (items) => ({ changes: { [b]: { n: (items[b]!.n as number) + 1 }, [head]: { parts: [b] } }, result: Object.keys(items).sort() }),
        { more },
      );
      assert.deepEqual(result, [a, b, head].sort());
      const after = await store.read([head], { more: (items) => ({ keys: items[head]!.parts as string[] }) });
      assert.deepEqual(Object.keys(after).sort(), [b, head].sort());
      assert.deepEqual(withoutEtag(after[b]), { n: 3 });
    });

    it('assigns its own eTag: the one passed in is never stored', async function () {
      const key = newKey('own-etag');
      await store.write({ [key]: { eTag: '*', a: 1 } });
      const first = (await store.read([key]))[key];
      assert.notEqual(first.eTag, '*');
      assert.deepEqual(withoutEtag(first), { a: 1 });
    });

    it('changes the eTag on every write, also when the value is the same', async function () {
      const key = newKey('etags');
      const seen = new Set<string | undefined>();
      for (let i = 0; i < 3; i++) {
        await store.write({ [key]: { same: 'value' } });
        seen.add((await store.read([key]))[key].eTag);
      }
      assert.equal(seen.size, 3);
    });

    it('writes with the current eTag and rejects a stale eTag without changing anything', async function () {
      const key = newKey('cas');
      await store.write({ [key]: { v: 1 } });
      const v1 = (await store.read([key]))[key];
      await store.write({ [key]: { ...v1, v: 2 } });
      const v2 = (await store.read([key]))[key];
      assert.deepEqual(withoutEtag(v2), { v: 2 });

      await rejectsWithConflict(store.write({ [key]: { ...v1, v: 3 } }), key);
      assert.deepEqual((await store.read([key]))[key], v2, 'value and eTag unchanged after a conflict');
    });

    it('overwrites unconditionally with eTag "*" or without an eTag', async function () {
      const key = newKey('overwrite');
      await store.write({ [key]: { v: 1 } });
      await store.write({ [key]: { v: 2, eTag: '*' } });
      assert.deepEqual(withoutEtag((await store.read([key]))[key]), { v: 2 });
      await store.write({ [key]: { v: 3 } });
      assert.deepEqual(withoutEtag((await store.read([key]))[key]), { v: 3 });
    });

    // The creation rule: a change with an eTag is written when the document does not exist, whatever the
    // eTag. Once it exists its eTag is one the store made up, so a second creator's eTag never matches it:
    // of two creators that both read "missing", exactly one wins and the other gets a conflict (and must
    // re-read and merge). Creators that pass "*" or no eTag instead overwrite each other, last one wins.
    it('creates a missing document whatever its eTag; of two concurrent creators exactly one wins', async function () {
      const created = newKey('create');
      await store.write({ [created]: { by: 'anyone', eTag: 'made-up-etag' } });
      assert.deepEqual(withoutEtag((await store.read([created]))[created]), { by: 'anyone' });

      const key = newKey('race');
      const other = await open();
      assert.deepEqual(await store.read([key]), {});
      assert.deepEqual(await other.read([key]), {});
      const results = await Promise.allSettled([
        store.write({ [key]: { by: 'a', eTag: 'etag-a' } }),
        other.write({ [key]: { by: 'b', eTag: 'etag-b' } }),
      ]);
      const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i === 0 ? 'a' : 'b'] : []));
      const losers = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      assert.equal(winners.length, 1, 'exactly one creator wins');
      assert.equal(losers.length, 1);
      assert.ok(isEtagConflict(losers[0]), `the loser gets an EtagConflictError, got ${String(losers[0])}`);
      assert.deepEqual(withoutEtag((await other.read([key]))[key]), { by: winners[0] });

      // The loser retrying with its made-up eTag still conflicts: it has to read the winner's document.
      const loserEtag = winners[0] === 'a' ? 'etag-b' : 'etag-a';
      await rejectsWithConflict(store.write({ [key]: { by: 'late', eTag: loserEtag } }), key);
    });

    it('writes several keys atomically: one stale eTag means none is written', async function () {
      // Both orders, so that the stale key is checked before and after the good one is written.
      for (const staleFirst of [true, false]) {
        const [a, b] = staleFirst ? [newKey('a'), newKey('b')] : [newKey('b'), newKey('a')];
        await store.write({ [a]: { v: 1 }, [b]: { v: 1 } });
        const before = await store.read([a, b]);
        assert.deepEqual(withoutEtag(before[a]), { v: 1 });
        assert.deepEqual(withoutEtag(before[b]), { v: 1 });
        await store.write({ [a]: { v: 2 } }); // makes before[a].eTag stale
        const current = await store.read([a, b]);

        const changes = staleFirst
          ? { [a]: { ...before[a], v: 3 }, [b]: { ...current[b], v: 3 } }
          : { [b]: { ...current[b], v: 3 }, [a]: { ...before[a], v: 3 } };
        await rejectsWithConflict(store.write(changes), a);
        assert.deepEqual(await store.read([a, b]), current, 'neither key changed');

        await store.write({ [a]: { ...current[a], v: 4 }, [b]: { ...current[b], v: 4 } });
        const after = await store.read([a, b]);
        assert.deepEqual([withoutEtag(after[a]), withoutEtag(after[b])], [{ v: 4 }, { v: 4 }]);
      }
    });

    it('deletes documents; deleting a missing key is not an error', async function () {
      const [a, b, missing] = [newKey('del'), newKey('keep'), newKey('missing')];
      await store.write({ [a]: { v: 1 }, [b]: { v: 1 } });
      const old = (await store.read([a]))[a];
      await store.delete([a, missing]);
      await store.delete([]);
      const left = await store.read([a, b]);
      assert.deepEqual(Object.keys(left), [b]);
      // A deleted document no longer exists, so a write with its old eTag creates it again.
      await store.write({ [a]: { ...old, v: 2 } });
      assert.deepEqual(withoutEtag((await store.read([a]))[a]), { v: 2 });
    });

    it('round-trips unicode, awkward keys and a 1 MB document', async function () {
      const key = newKey('conv/19:abc@thread.tacv2;messageid=1/ünï \'quote\' "dq" \\ 😀');
      const value = {
        text: 'Besluit: “akkoord” — ß ü é ñ 中文 العربية עברית 😀👍🏽 e\u0301 \t\n\r \\ \' " </script> ${x}',
        'key with spaces and ✓': ['a', 1, -2.5, 1e-7, Number.MAX_SAFE_INTEGER, true, null, {}, []],
        deep: { a: { b: { c: { d: ['e'] } } } },
        sql: "'); DROP TABLE notulist_documents; --",
      };
      await store.write({ [key]: value });
      assert.deepEqual(withoutEtag((await store.read([key]))[key]), value);

      const big = newKey('big');
      const bigValue = {
        body: 'é'.repeat(256 * 1024) + 'x'.repeat(512 * 1024),
        rows: Array.from({ length: 5000 }, (_, i) => ({ i, name: `member ${i}`, ok: i % 2 === 0 })),
      };
      assert.ok(Buffer.byteLength(JSON.stringify(bigValue)) > 1024 * 1024, 'more than 1 MB of JSON');
      await store.write({ [big]: bigValue });
      assert.deepEqual(withoutEtag((await store.read([big]))[big]), bigValue);
    });

    // The bot's pattern when 30 members click a card button at once: read, append, write with the eTag
    // that was read, and on a conflict read again and retry. No click may be lost.
    it('loses no entry when 30 read-modify-write loops append to one document at once', async function () {
      this.timeout(30_000);
      const key = newKey('attendance');
      await store.write({ [key]: { entries: [] } });
      const instances = [store, await open(), await open()];
      let conflicts = 0;

      async function append(instance: DocumentStore, entry: string): Promise<void> {
        for (let attempt = 1; attempt <= 500; attempt++) {
          const doc = (await instance.read([key]))[key];
          const entries = Array.isArray(doc.entries) ? (doc.entries as string[]) : [];
          try {
            await instance.write({ [key]: { ...doc, entries: [...entries, entry] } });
            return;
          } catch (err) {
            if (!isEtagConflict(err)) throw err;
            conflicts++;
          }
        }
        throw new Error(`${entry} gave up after 500 conflicts`);
      }

      const members = Array.from({ length: 30 }, (_, i) => `member-${i}`);
      await Promise.all(members.map((m, i) => append(instances[i % instances.length], m)));
      const entries = (await store.read([key]))[key].entries as string[];
      assert.equal(entries.length, 30);
      assert.deepEqual([...entries].sort(), [...members].sort());
      assert.ok(conflicts > 0, 'the loops really did contend');
    });

    // A locked update: writers of one key queue (the meeting's thousand members at once), never fail.
    it('update(): 600 writers to one key over three instances all land, none refused for contention', async function () {
      this.timeout(60_000);
      const key = newKey('queued');
      const instances = [store, await open(), await open()];
      const members = Array.from({ length: 600 }, (_, i) => `member-${i}`);
      const seen = await Promise.all(
        members.map((m, i) =>
          instances[i % instances.length]!.update([key], (items) => {
            const entries = Array.isArray(items[key]?.entries) ? (items[key]!.entries as string[]) : [];
            return { changes: { [key]: { entries: [...entries, m] } }, result: entries.length };
          }),
        ),
      );
      const entries = (await store.read([key]))[key]!.entries as string[];
      assert.equal(entries.length, 600);
      assert.deepEqual([...entries].sort(), [...members].sort());
      assert.deepEqual(
        [...seen].sort((a, b) => a - b),
        [...Array(600).keys()],
        'each writer saw the one before it',
      );
    });

    it('update(): one instance applies its writers in order of arrival', async function () {
      const key = newKey('fifo');
      const order = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.update([key], (items) => {
            const n = (items[key]?.n as number | undefined) ?? 0;
            return { changes: { [key]: { n: n + 1 } }, result: { i, n } };
          }),
        ),
      );
      assert.deepEqual(
        order.map((o) => o.n),
        order.map((o) => o.i),
      );
    });

    it('update(): of updates asked for at the same moment, one that throws is undone alone', async function () {
      const [a, b, c] = [newKey('same-a'), newKey('same-b'), newKey('same-c')];
      const outcomes = await Promise.allSettled([
        store.update([a], () => ({ changes: { [a]: { v: 'a' } }, result: 'a' })),
        store.update([b], () => {
          throw new Error('refused');
        }),
        store.update([c], () => ({ changes: { [c]: { v: 'c' } }, result: 'c' })),
      ]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const stored = await store.read([a, b, c]);
      assert.deepEqual(Object.keys(stored).sort(), [a, c].sort());
      assert.equal(stored[a]!.v, 'a');
      assert.equal(stored[c]!.v, 'c');
    });

    it('update(): a change that throws writes nothing; null deletes; several keys in one write', async function () {
      const [a, b] = [newKey('upd-a'), newKey('upd-b')];
      await store.write({ [a]: { v: 1 }, [b]: { v: 1 } });
      const before = await store.read([a, b]);
      await assert.rejects(
        store.update([a, b], () => {
          throw new Error('refused');
        }),
        /refused/,
      );
      assert.deepEqual(await store.read([a, b]), before);
      const result = await store.update([a], (items) => ({
        changes: { [a]: null, [b]: { v: (items[a]!.v as number) + 1 } },
        result: 'ok',
      }));
      assert.equal(result, 'ok');
      const after = await store.read([a, b]);
      assert.deepEqual(Object.keys(after), [b]);
      assert.deepEqual(withoutEtag(after[b]), { v: 2 });
    });

    it('update(): committed hears, once the write is durable, the eTag each written document has now', async function () {
      const [a, b] = [newKey('com-a'), newKey('com-b')];
      await store.write({ [a]: { v: 1 } });
      let heard: Record<string, string> | undefined;
      await store.update([a, b], () => ({
        changes: { [a]: null, [b]: { v: 2 } },
        result: undefined,
        committed: (eTags) => (heard = eTags),
      }));
      const now = await store.read([a, b]);
      assert.deepEqual(heard, { [b]: now[b]!.eTag }, 'the written one, by the eTag a read returns; the deleted one left out');
      let failed = false;
      await assert.rejects(
        store.update([b], () => {
          throw new Error('refused');
        }),
      );
      await store.update([b], () => ({ changes: {}, result: undefined, committed: () => (failed = true) }));
      assert.equal(failed, true, 'an update that wrote nothing still hears of its commit');
      // A committed that throws does not undo the write or fail the update.
      await store.update([b], () => ({
        changes: { [b]: { v: 3 } },
        result: undefined,
        committed: () => {
          throw new Error('the caller failed');
        },
      }));
      assert.deepEqual(withoutEtag((await store.read([b]))[b]), { v: 3 });
    });

    it('update() and eTag writes of one key never overwrite each other', async function () {
      this.timeout(30_000);
      const key = newKey('mixed');
      await store.write({ [key]: { entries: [] } });
      const other = await open();
      const appendByEtag = async (entry: string) => {
        for (;;) {
          const doc = (await other.read([key]))[key]!;
          try {
            await other.write({ [key]: { ...doc, entries: [...(doc.entries as string[]), entry] } });
            return;
          } catch (err) {
            if (!isEtagConflict(err)) throw err;
          }
        }
      };
      const appendLocked = (entry: string) =>
        store.update([key], (items) => ({
          changes: { [key]: { entries: [...(items[key]!.entries as string[]), entry] } },
          result: undefined,
        }));
      const all = Array.from({ length: 60 }, (_, i) => `e${i}`);
      await Promise.all(all.map((e, i) => (i % 2 ? appendByEtag(e) : appendLocked(e))));
      assert.deepEqual([...((await store.read([key]))[key]!.entries as string[])].sort(), [...all].sort());
    });

    it('answers ping, and rejects it once closed', async function () {
      await store.ping();
      const extra = await open();
      await extra.ping();
      await extra.close();
      await assert.rejects(extra.ping());
      await extra.close(); // closing twice is harmless
    });

    it('keeps its data when closed and reopened', async function () {
      const key = newKey('reopen');
      const first = await open();
      await first.write({ [key]: { kept: 'yes' } });
      const written = (await first.read([key]))[key];
      await first.close();
      const second = await open();
      assert.deepEqual((await second.read([key]))[key], written);
    });
  });
}

storeContract('SqliteDocumentStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notulist-sqlite-'));
  const file = join(dir, 'store.db');
  return Promise.resolve({
    open: () => Promise.resolve(new SqliteDocumentStore(file)),
    stop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  });
});

storeContract(
  'PostgresDocumentStore',
  async () => {
    const postgres = await startPostgres();
    if (!postgres) return null;
    return { open: () => PostgresDocumentStore.open(postgres.url), stop: () => postgres.stop() };
  },
  POSTGRES_SKIP_MESSAGE,
);
