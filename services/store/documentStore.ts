// The storage port: botbuilder's Storage contract (read / write / delete of JSON documents with eTag
// optimistic concurrency), declared here without importing botbuilder so services stay SDK-free.
// bot/storage.ts checks at compile time that every implementation is a botbuilder Storage.

export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}

export type StoreItems = Record<string, StoreItem>;

export interface DocumentStore {
  /** Returns the stored documents for the keys that exist, each with its current eTag. */
  read(keys: string[]): Promise<StoreItems>;
  /**
   * Writes all changes atomically. A change whose eTag is set (and not "*") is written only when the
   * stored document has that eTag or does not exist; otherwise nothing is written and an
   * EtagConflictError is thrown.
   */
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
  /** Throws when the store cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
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
