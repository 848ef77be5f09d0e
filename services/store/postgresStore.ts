// The shared store for several bot instances: one PostgreSQL table of JSON documents with the same eTag
// semantics as the embedded SQLite store. Each write() is one transaction; the eTag check and the write
// are one statement per key, so two instances can never both win against the same eTag.
//
// Writers of one key queue rather than race: every transaction that writes a key first takes that key's
// advisory lock (pg_advisory_xact_lock, in key order, released at commit), and within one process a
// FIFO per key lets only one of them wait on the database at a time, so turns are applied in order of
// arrival and a burst of a thousand writers to one meeting holds one pooled connection, not all of them.
// One difference from SQLite: jsonb cannot hold the character U+0000 in a string, so such a write is
// rejected by PostgreSQL ("unsupported Unicode escape sequence") and nothing is written.
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient, PoolConfig } from 'pg';
import {
  addRows,
  DocumentStore,
  EtagConflictError,
  HeldETags,
  lazyItems,
  ReadOptions,
  StoredRow,
  StoreItems,
  StoreUpdate,
  reportCommitted,
  textOf,
} from './documentStore';

const TABLE = 'notulist_documents';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS ${TABLE} (
  key text PRIMARY KEY,
  etag text NOT NULL,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL
)`;

// Serialises CREATE TABLE IF NOT EXISTS between instances starting at the same moment: run concurrently it
// can fail with a duplicate-key error on the catalog instead of being a no-op. Any constant bigint will do.
const SCHEMA_LOCK = 7_305_118_842_001;

// An unconditional change: insert or overwrite.
const UPSERT = `INSERT INTO ${TABLE} (key, etag, value, updated_at) VALUES ($1, $2, $3::jsonb, now())
  ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at`;

// An eTag-checked change: insert when missing, else overwrite only when the stored eTag is $4. On conflict
// PostgreSQL locks the row and evaluates the WHERE on its latest committed version, so 0 rows means the
// document exists with another eTag, also when another transaction changed or created it meanwhile.
const UPSERT_IF_ETAG = `${UPSERT} WHERE ${TABLE}.etag = $4`;

// A key's write lock for the rest of the transaction. 64-bit hashes: two keys sharing one only queue together.
const LOCK_KEY = 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))';

const sortedKeys = (keys: Iterable<string>) => [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** In-process FIFO per key. Claims are taken synchronously in one go, so waits follow claim order: no cycles. */
class KeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    const waits: Promise<void>[] = [];
    const releases: (() => void)[] = [];
    for (const key of sortedKeys(keys)) {
      const before = this.tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = before.then(() => mine);
      this.tails.set(key, tail);
      waits.push(before);
      releases.push(() => {
        release();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
    try {
      await Promise.all(waits);
      return await work();
    } finally {
      for (const release of releases) release();
    }
  }
}

export class PostgresDocumentStore implements DocumentStore {
  readonly shared = true;
  private readonly pool: Pool;
  private readonly queue = new KeyQueue();
  private closed = false;

  constructor(url: string, options: Omit<PoolConfig, 'connectionString'> = {}) {
    this.pool = new Pool({ application_name: 'notulist', ...options, connectionString: url });
    // An idle client that loses its connection (server restart, failover) emits 'error' on the pool; with
    // no listener that would crash the bot. The pool drops the client; the next query reconnects or fails.
    this.pool.on('error', () => undefined);
  }

  /** Connects and creates the table if it is missing. */
  static async open(url: string, options: Omit<PoolConfig, 'connectionString'> = {}): Promise<PostgresDocumentStore> {
    const store = new PostgresDocumentStore(url, options);
    try {
      await store.transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
        await client.query(CREATE_TABLE);
      });
      return store;
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  read(keys: string[], options: ReadOptions = {}): Promise<StoreItems> {
    if (!options.more) return selectItems(this.pool, keys, options);
    // The documents `more` names must be of the same version as what named them: one snapshot.
    return this.transaction((client) => selectItems(client, keys, options), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  async write(changes: StoreItems): Promise<void> {
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    await this.queue.run(keys, () =>
      this.transaction(async (client) => {
        await lockKeys(client, keys);
        for (const key of sortedKeys(keys)) {
          const { eTag, ...value } = changes[key]!;
          const params = [key, randomUUID(), JSON.stringify(value)];
          if (eTag && eTag !== '*') {
            const result = await client.query(UPSERT_IF_ETAG, [...params, eTag]);
            if (result.rowCount !== 1) throw new EtagConflictError(key);
          } else {
            await client.query(UPSERT, params);
          }
        }
      }),
    );
  }

  async update<T>(keys: string[], change: (items: StoreItems) => StoreUpdate<T>, options?: ReadOptions): Promise<T> {
    const eTags: Record<string, string> = {};
    let committed: StoreUpdate<T>['committed'];
    const result = await this.queue.run(keys, () =>
      this.transaction(async (client) => {
        await lockKeys(client, keys);
        const items = await selectItems(client, keys, options);
        const update = change(items);
        const { changes, result } = update;
        committed = update.committed;
        const written = Object.keys(changes);
        // A key written but not read is locked too, before anything is written.
        await lockKeys(
          client,
          written.filter((k) => !keys.includes(k)),
        );
        for (const key of sortedKeys(written)) {
          const item = changes[key];
          if (item === null) {
            await client.query(`DELETE FROM ${TABLE} WHERE key = $1`, [key]);
            continue;
          }
          eTags[key] = randomUUID();
          await client.query(UPSERT, [key, eTags[key], textOf(item!)]);
        }
        return result;
      }),
    );
    reportCommitted(committed, eTags);
    return result;
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.queue.run(keys, () =>
      this.transaction(async (client) => {
        await lockKeys(client, keys);
        await client.query(`DELETE FROM ${TABLE} WHERE key = ANY($1::text[])`, [keys]);
      }),
    );
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    // pg's Pool.end() throws when called twice; close() is idempotent like the SQLite store's.
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private async transaction<T>(work: (client: PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
    const client = await this.pool.connect();
    let result: T;
    try {
      await client.query(begin);
      result = await work(client);
      await client.query('COMMIT');
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        // The connection is unusable: destroy it rather than return it to the pool mid-transaction.
        client.release(rollbackError as Error);
        throw err;
      }
      client.release();
      throw err;
    }
    client.release();
    return result;
  }
}

async function lockKeys(client: PoolClient, keys: string[]): Promise<void> {
  for (const key of sortedKeys(keys)) await client.query(LOCK_KEY, [key]);
}

async function selectItems(db: Pool | PoolClient, keys: string[], options: ReadOptions = {}): Promise<StoreItems> {
  const items = lazyItems(await selectRows(db, keys, options.held));
  if (!options.more) return items;
  const more = options.more(items);
  return addRows(items, await selectRows(db, more.keys, more.held));
}

async function selectRows(db: Pool | PoolClient, keys: string[], held: HeldETags = {}): Promise<StoredRow[]> {
  if (keys.length === 0) return [];
  // As text, parsed when used (lazyItems): pg would parse every jsonb value at once. A value the caller
  // holds (same eTag) is not read at all.
  const { rows } = await db.query<StoredRow>(
    `SELECT key, etag, CASE WHEN etag = ($2::jsonb ->> key) THEN NULL ELSE value::text END AS text FROM ${TABLE} WHERE key = ANY($1::text[])`,
    [keys, JSON.stringify(held)],
  );
  return rows;
}
