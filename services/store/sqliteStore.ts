// The embedded default store: one SQLite file in WAL mode, a write either wholly there or not at all. A
// write is acknowledged only once the WAL holding it is on disk (it survives kill -9 and power loss, as
// with synchronous=FULL), but that fdatasync runs on libuv's thread pool, not inside COMMIT on the event
// loop (synchronous=NORMAL): a slow disk no longer stalls every other turn, and the commits made while
// one sync is under way share the next.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { close as closeFd, fdatasync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  addRows,
  DocumentStore,
  EtagConflictError,
  HeldETags,
  lazyItems,
  ReadOptions,
  reportCommitted,
  StoredRow,
  StoreItems,
  StoreUpdate,
  textOf,
} from './documentStore';

export class SqliteDocumentStore implements DocumentStore {
  readonly shared = false;
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string], { etag: string; value: string }>;
  private readonly selectUnlessHeld: Database.Statement<[string, string], { etag: string; value: string | null }>;
  private readonly upsert: Database.Statement<[string, string, string, string]>;
  private readonly remove: Database.Statement<[string]>;
  /** Runs its argument inside the open transaction, in a savepoint: when it throws, only its writes are undone. */
  private readonly inSavepoint: (run: () => unknown) => unknown;
  /** The WAL file, synced after commits (fdatasync acts on the file, whichever descriptor asks). */
  private walFd?: number;
  /** Commits waiting for a sync to start after them; `syncing` while one is under way. */
  private unsynced: { done: () => void; fail: (err: Error) => void }[] = [];
  private syncing = false;

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, etag TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL)',
    );
    // The WAL exists while a connection is open (an in-memory database has none, and nothing to keep).
    if (file !== ':memory:') this.walFd = openSync(`${file}-wal`, 'r+');
    this.selectOne = this.db.prepare('SELECT etag, value FROM documents WHERE key = ?');
    // The value (a large one spans overflow pages) is read only when the caller does not hold it.
    this.selectUnlessHeld = this.db.prepare(
      'SELECT etag, CASE WHEN etag = ? THEN NULL ELSE value END AS value FROM documents WHERE key = ?',
    );
    this.upsert = this.db.prepare(
      'INSERT INTO documents (key, etag, value, updated_at) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, value = excluded.value, updated_at = excluded.updated_at',
    );
    this.remove = this.db.prepare('DELETE FROM documents WHERE key = ?');
    this.inSavepoint = this.db.transaction((run: () => unknown) => run());
  }

  read(keys: string[], options?: ReadOptions): Promise<StoreItems> {
    // One synchronous go: the documents `more` names are of the same version as what named them.
    // In a read transaction: another process's commit cannot fall between the two reads.
    return settle(() => (options?.more ? this.db.transaction(() => this.select(keys, options))() : this.select(keys, options)));
  }

  write(changes: StoreItems): Promise<void> {
    return settle(() => {
      const now = new Date().toISOString();
      const apply = this.db.transaction((entries: [string, StoreItems[string]][]) => {
        for (const [key, item] of entries) {
          const { eTag, ...value } = item;
          if (eTag && eTag !== '*') {
            const row = this.selectOne.get(key);
            if (row && row.etag !== eTag) throw new EtagConflictError(key);
          }
          this.upsert.run(key, randomUUID(), JSON.stringify(value), now);
        }
      });
      // IMMEDIATE takes the write lock before the eTag check: a deferred transaction that reads first can
      // fail with SQLITE_BUSY_SNAPSHOT (busy_timeout does not help) when another process shares the file.
      apply.immediate(Object.entries(changes));
    }).then(() => this.durable());
  }

  update<T>(keys: string[], change: (items: StoreItems) => StoreUpdate<T>, options?: ReadOptions): Promise<T> {
    // Group commit: the updates asked for in one turn of the event loop share one IMMEDIATE transaction,
    // and so one fsync, each in a savepoint of its own (one that throws is rolled back alone). The
    // transaction holds the database's write lock from the first read to the commit, so a writer in
    // another process waits (busy_timeout) and none here sees a stale document; each caller hears of
    // its update only once the commit is durable.
    return new Promise<T>((resolve, reject) => {
      this.batch.push({ run: () => this.applyUpdate(keys, change, options), resolve: resolve as (v: unknown) => void, reject });
      if (this.batch.length === 1) setImmediate(() => this.commitBatch());
    });
  }

  private readonly batch: { run: () => Applied<unknown>; resolve: (value: unknown) => void; reject: (err: Error) => void }[] = [];

  private commitBatch(): void {
    const batch = this.batch.splice(0);
    if (!batch.length) return;
    // Alone, an update needs no savepoint (which copies every page it overwrites): its failure undoes
    // the whole transaction, which is its own.
    const alone = batch.length === 1;
    const outcomes: ({ ok: true; value: Applied<unknown> } | { ok: false; err: Error })[] = [];
    try {
      this.db
        .transaction(() => {
          for (const op of batch) {
            try {
              outcomes.push({ ok: true, value: (alone ? op.run() : this.inSavepoint(op.run)) as Applied<unknown> });
            } catch (err) {
              if (alone) throw err;
              outcomes.push({ ok: false, err: err as Error });
            }
          }
        })
        .immediate();
    } catch (err) {
      // The commit failed, the lock was not had, or the one update threw: nothing of the batch was written.
      for (const op of batch) op.reject(err as Error);
      return;
    }
    this.durable().then(
      () =>
        batch.forEach((op, i) => {
          const outcome = outcomes[i]!;
          if (!outcome.ok) return op.reject(outcome.err);
          reportCommitted(outcome.value.committed, outcome.value.eTags);
          op.resolve(outcome.value.result);
        }),
      (err: Error) => batch.forEach((op) => op.reject(err)),
    );
  }

  /**
   * Resolves once what has been committed so far is on disk: the next sync to start from now. One sync
   * runs at a time; the commits made meanwhile wait together for the one after it.
   */
  private durable(): Promise<void> {
    if (this.walFd === undefined) return Promise.resolve();
    return new Promise((done, fail) => {
      this.unsynced.push({ done, fail });
      if (!this.syncing) void this.syncWal();
    });
  }

  private async syncWal(): Promise<void> {
    this.syncing = true;
    while (this.unsynced.length) {
      const waiting = this.unsynced.splice(0);
      const err = await new Promise<Error | null>((r) => fdatasync(this.walFd!, r));
      // A failed sync leaves the write's fate on disk unknown: it is not acknowledged.
      for (const w of waiting)
        if (err) w.fail(err);
        else w.done();
    }
    this.syncing = false;
  }

  private applyUpdate<T>(keys: string[], change: (items: StoreItems) => StoreUpdate<T>, options?: ReadOptions): Applied<T> {
    const { changes, result, committed } = change(this.select(keys, options));
    const now = new Date().toISOString();
    const eTags: Record<string, string> = {};
    for (const [key, item] of Object.entries(changes)) {
      if (item === null) {
        this.remove.run(key);
        continue;
      }
      eTags[key] = randomUUID();
      this.upsert.run(key, eTags[key], textOf(item), now);
    }
    return { result, eTags, committed };
  }

  /** The stored documents of `keys` (and of what `more` names), each parsed when first used. */
  private select(keys: string[], options: ReadOptions = {}): StoreItems {
    // The text is what JSON.stringify wrote: kept as it was.
    const items = lazyItems(this.rows(keys, options.held), true);
    if (!options.more) return items;
    const more = options.more(items);
    return addRows(items, this.rows(more.keys, more.held));
  }

  private rows(keys: string[], held?: HeldETags): StoredRow[] {
    const rows: StoredRow[] = [];
    for (const key of keys) {
      const known = held?.[key];
      const row = known === undefined ? this.selectOne.get(key) : this.selectUnlessHeld.get(known, key);
      if (row) rows.push({ key, etag: row.etag, text: row.value });
    }
    return rows;
  }

  delete(keys: string[]): Promise<void> {
    return settle(() => this.db.transaction((ks: string[]) => ks.forEach((k) => this.remove.run(k))).immediate(keys)).then(() =>
      this.durable(),
    );
  }

  ping(): Promise<void> {
    return settle(() => void this.db.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    // Updates asked for before the close are committed, and every commit synced, first.
    if (this.db.open) this.commitBatch();
    await this.durable().catch(() => undefined);
    if (this.db.open) this.db.close();
    if (this.walFd !== undefined) {
      const fd = this.walFd;
      this.walFd = undefined;
      closeFd(fd, () => undefined);
    }
  }
}

/** An update applied in the open transaction: reported to its caller once the transaction commits. */
interface Applied<T> {
  result: T;
  eTags: Record<string, string>;
  committed: StoreUpdate<T>['committed'];
}

// Every failure (closed database, SQLITE_BUSY, an eTag conflict) must arrive as a rejected promise, as
// with any other store, not as a synchronous throw from the call itself.
function settle<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(err as Error);
  }
}
