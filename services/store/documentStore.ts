// The storage port: botbuilder's Storage contract (read / write / delete of JSON documents with eTag
// optimistic concurrency), declared here without importing botbuilder so services stay SDK-free.
// bot/storage.ts checks at compile time that every implementation is a botbuilder Storage.

export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}

export type StoreItems = Record<string, StoreItem>;

/**
 * Documents the caller holds already, by key with the eTag it holds: one that still has that eTag comes
 * back as its eTag alone (storedETag), not read, as HTTP's If-None-Match.
 */
export type HeldETags = Record<string, string>;

/** How a read (or the read of a locked update) goes beyond its keys. */
export interface ReadOptions {
  held?: HeldETags;
  /**
   * More documents to read in the same go, named by what was read (the parts of a document stored
   * apart, listed in it): read in the same snapshot, and in an update under the locks of `keys` (so
   * their writers must hold one of those too).
   */
  more?: (items: StoreItems) => { keys: string[]; held?: HeldETags };
}

export interface DocumentStore {
  /**
   * Other processes write here too (PostgreSQL, instances side by side, perhaps of an older version):
   * what this process keeps of a document is confirmed by its eTag, never taken for current on the word
   * of another document. The embedded SQLite file has one process.
   */
  readonly shared: boolean;
  /** Returns the stored documents for the keys that exist, each with its current eTag. */
  read(keys: string[], options?: ReadOptions): Promise<StoreItems>;
  /**
   * Writes all changes atomically. A change whose eTag is set (and not "*") is written only when the
   * stored document has that eTag or does not exist; otherwise nothing is written and an
   * EtagConflictError is thrown.
   */
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /**
   * Read-modify-write under each key's write lock, held across processes and instances: `change` gets
   * the stored documents of `keys` and returns what to write. Writers of one key queue, in order of
   * arrival, instead of failing on an eTag conflict. `change` is synchronous; when it throws, nothing
   * is written and the error is passed on. eTags in the returned changes are ignored (the lock replaces them).
   */
  update<T>(keys: string[], change: (items: StoreItems) => StoreUpdate<T>, options?: ReadOptions): Promise<T>;
  /** Throws when the store cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What a locked update writes (`changes`; a key set to null is deleted) and what it returns. */
export interface StoreUpdate<T> {
  changes: Record<string, StoreItem | JsonText | null>;
  result: T;
  /**
   * Called once the write is durable (not when it failed), with the eTag each written document has now
   * (deleted ones left out): a caller that keeps what it wrote holds it by that eTag, not read again.
   */
  committed?: (eTags: Record<string, string>) => void;
}

/** Calls an update's `committed`; a failure there is the caller's own and must not undo a durable write. */
export function reportCommitted(committed: StoreUpdate<unknown>['committed'], eTags: Record<string, string>): void {
  try {
    committed?.(eTags);
  } catch {
    // the write stands; the caller merely reads it again next time
  }
}

/**
 * A document given as its JSON text (JSON.stringify's, without an eTag), written as it is: a caller that
 * serialized it already (to tell whether it changed) does not pay for it twice.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The text to store for a change. */
export function textOf(item: StoreItem | JsonText): string {
  if (item instanceof JsonText) return item.text;
  const { eTag: _ignored, ...value } = item;
  return JSON.stringify(value);
}

export class EtagConflictError extends Error {
  constructor(readonly key: string) {
    super(`eTag conflict on ${key}`);
    this.name = 'EtagConflictError';
  }
}

export function isEtagConflict(err: unknown): err is EtagConflictError {
  return err instanceof EtagConflictError;
}

/**
 * Stored documents as a store hands them out: each parsed from its JSON text only when first used, so a
 * large document read alongside (a series' proposals) costs nothing to a change that leaves it alone.
 */
export function lazyItems(rows: Iterable<StoredRow>, exact = false): StoreItems {
  const out: StoreItems = {};
  Object.defineProperty(out, READ, { value: { eTags: new Map(), texts: exact ? new Map() : undefined } satisfies ReadMeta });
  return addRows(out, rows);
}

/** A stored document as read: its text null when the caller holds that version. */
export interface StoredRow {
  key: string;
  etag: string;
  text: string | null;
}

/** More documents into what lazyItems made (read after it, in the same snapshot). */
export function addRows(out: StoreItems, rows: Iterable<StoredRow>): StoreItems {
  const { eTags: tags, texts: written } = readMeta(out)!;
  for (const { key, etag, text } of rows) {
    tags.set(key, etag);
    if (text !== null) written?.set(key, text);
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        // Not read (the caller holds this version): its eTag alone.
        const item: StoreItem = text === null ? { eTag: etag } : { ...(JSON.parse(text) as object), eTag: etag };
        Object.defineProperty(out, key, { value: item, enumerable: true, configurable: true, writable: true });
        return item;
      },
      set(value: StoreItem) {
        Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
      },
    });
  }
  return out;
}

/**
 * What a read knows of its documents beside them, under a symbol on the items it returned (JSON and
 * Object.keys leave it out): not in a WeakMap, whose entries a full collection marks in its pause, after
 * everything else (800 reads' worth under load, each holding its maps).
 */
const READ = Symbol('read');
interface ReadMeta {
  eTags: Map<string, string>;
  texts?: Map<string, string>;
}
const readMeta = (items: StoreItems) => (items as { [READ]?: ReadMeta })[READ];

/**
 * The text a document was stored as, when the store keeps JSON.stringify's own text (SQLite; PostgreSQL's
 * jsonb does not): equal to JSON.stringify of the document read, so a caller can tell a change without
 * serializing what it read.
 */
export function storedText(items: StoreItems, key: string): string | undefined {
  return readMeta(items)?.texts?.get(key);
}

/** The eTag a document was read with, without parsing it (for a cache of parsed documents). */
export function storedETag(items: StoreItems, key: string): string | undefined {
  return readMeta(items)?.eTags.get(key);
}
