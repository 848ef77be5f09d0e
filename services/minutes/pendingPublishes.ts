// Publishes under way, kept in the store so a crash or restart does not strand one: the secretary's
// "bezig…" card would otherwise stay as it is and a new click would be refused until the publish goes
// stale. At start the bot finishes every publish still listed here.
import { isEtagConflict, type DocumentStore, type StoreItem } from '../store/documentStore';

export interface PendingPublish {
  tenantId: string;
  conversationId: string;
  meetingId: string;
  /** When the publish was started (ISO). */
  since: string;
  /** The progress card to replace with the result. */
  cardActivityId?: string;
  /** Where to post: the chat's conversation reference, opaque outside the bot. */
  where: Record<string, unknown>;
}

const DOCUMENT = 'notulist/pending-publishes';
const MAX_ATTEMPTS = 20;
type Jobs = Record<string, PendingPublish>;

const jobKey = (tenantId: string, conversationId: string, meetingId: string) => JSON.stringify([tenantId, conversationId, meetingId]);

export class PendingPublishes {
  constructor(private readonly store: DocumentStore) {}

  add(job: PendingPublish): Promise<void> {
    return this.change((jobs) => {
      jobs[jobKey(job.tenantId, job.conversationId, job.meetingId)] = job;
    });
  }

  remove(tenantId: string, conversationId: string, meetingId: string): Promise<void> {
    return this.change((jobs) => {
      delete jobs[jobKey(tenantId, conversationId, meetingId)];
    });
  }

  async list(): Promise<PendingPublish[]> {
    const { jobs } = await this.read();
    return Object.values(jobs);
  }

  private async read(): Promise<{ jobs: Jobs; eTag?: string }> {
    const stored = (await this.store.read([DOCUMENT]))[DOCUMENT];
    const jobs = stored?.jobs && typeof stored.jobs === 'object' ? (stored.jobs as Jobs) : {};
    return { jobs: { ...jobs }, eTag: stored?.eTag };
  }

  /** Read, change, write with the eTag read; another instance's write in between means: again. */
  private async change(fn: (jobs: Jobs) => void): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { jobs, eTag } = await this.read();
      fn(jobs);
      // An eTag no document has stands for "only while it does not exist yet".
      const item: StoreItem = { jobs, eTag: eTag ?? 'create-only' };
      try {
        await this.store.write({ [DOCUMENT]: item });
        return;
      } catch (err) {
        if (!isEtagConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }
}
