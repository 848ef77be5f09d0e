// Loads a conversation's series from the store, applies one change and writes it back with its eTag.
// When another turn wrote first (eTag conflict) the change is applied again to the fresh state, so
// thirty members clicking at once lose nothing. A DomainError stops at once and writes nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { DocumentStore, isEtagConflict, StoreItem } from '../store/documentStore';
import { newSeries } from './operations';
import type { Series } from './types';

const MAX_ATTEMPTS = 25;

export class MeetingService {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  static key(tenantId: string, conversationId: string): string {
    return `series:${encodeURIComponent(tenantId)}:${encodeURIComponent(conversationId)}`;
  }

  async read(tenantId: string, conversationId: string): Promise<Series> {
    return (await this.load(tenantId, conversationId)).series;
  }

  async update<T>(
    tenantId: string,
    conversationId: string,
    change: (series: Series, now: string) => T,
  ): Promise<{ series: Series; result: T; changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const { series, eTag, json } = await this.load(tenantId, conversationId);
      const result = change(series, this.clock().toISOString());
      const after = JSON.stringify(series);
      if (after === json) return { series, result, changed: false };
      try {
        await this.store.write({ [MeetingService.key(tenantId, conversationId)]: { ...(series as unknown as StoreItem), eTag } });
        return { series, result, changed: true };
      } catch (err) {
        if (!isEtagConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
        await sleep(Math.random() * Math.min(50, 2 * attempt));
      }
    }
  }

  private async load(tenantId: string, conversationId: string): Promise<{ series: Series; eTag: string; json: string }> {
    const key = MeetingService.key(tenantId, conversationId);
    const stored = (await this.store.read([key]))[key];
    if (!stored) {
      const series = newSeries(tenantId, conversationId);
      // A fresh eTag makes two first writers conflict instead of the second overwriting the first.
      return { series, eTag: `new-${Math.random().toString(36).slice(2)}`, json: JSON.stringify(series) };
    }
    const { eTag, ...doc } = stored;
    const series = doc as unknown as Series;
    return { series, eTag: eTag ?? '*', json: JSON.stringify(series) };
  }
}
