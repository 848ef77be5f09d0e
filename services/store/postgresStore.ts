// The shared store for several bot instances: one PostgreSQL table of JSON documents with the same eTag
// semantics as the embedded SQLite store. Each write() is one transaction; the eTag check and the write
// are one statement per key, so two instances can never both win against the same eTag.
// One difference from SQLite: jsonb cannot hold the character U+0000 in a string, so such a write is
// rejected by PostgreSQL ("unsupported Unicode escape sequence") and nothing is written.
import { randomUUID } from 'node:crypto';
import { Pool, PoolClient, PoolConfig } from 'pg';
import { DocumentStore, EtagConflictError, StoreItems } from './documentStore';

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

export class PostgresDocumentStore implements DocumentStore {
  private readonly pool: Pool;
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

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    if (keys.length === 0) return out;
    const { rows } = await this.pool.query<{ key: string; etag: string; value: Record<string, unknown> }>(
      `SELECT key, etag, value FROM ${TABLE} WHERE key = ANY($1::text[])`,
      [keys],
    );
    for (const row of rows) out[row.key] = { ...row.value, eTag: row.etag };
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    // Sorted, so that two instances writing overlapping keys lock them in the same order (no deadlock).
    const entries = Object.entries(changes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) return;
    await this.transaction(async (client) => {
      for (const [key, item] of entries) {
        const { eTag, ...value } = item;
        const params = [key, randomUUID(), JSON.stringify(value)];
        if (eTag && eTag !== '*') {
          const result = await client.query(UPSERT_IF_ETAG, [...params, eTag]);
          if (result.rowCount !== 1) throw new EtagConflictError(key);
        } else {
          await client.query(UPSERT, params);
        }
      }
    });
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.pool.query(`DELETE FROM ${TABLE} WHERE key = ANY($1::text[])`, [keys]);
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

  private async transaction(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await work(client);
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
  }
}
