// Publishes under way, kept in the store so a crash or restart does not strand one: the secretary's
// "bezig…" card would otherwise stay as it is and a new click would be refused until the publish goes
// stale. At start the bot finishes every publish still listed here.
import type { Alongside } from '../meeting/service';
import type { DocumentStore, StoreItem } from '../store/documentStore';

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
type Jobs = Record<string, PendingPublish>;

const jobKey = (tenantId: string, conversationId: string, meetingId: string) => JSON.stringify([tenantId, conversationId, meetingId]);
const jobsOf = (doc: StoreItem | undefined): Jobs => (doc?.jobs && typeof doc.jobs === 'object' ? { ...(doc.jobs as Jobs) } : {});

export class PendingPublishes {
  constructor(private readonly store: DocumentStore) {}

  /**
   * Lists `job(result)` in the same write as the meeting's change (MeetingService.update), so a publish
   * marked under way is always one a restart will find; `job` returns undefined to list nothing.
   */
  static listedWith<T>(job: (result: T) => PendingPublish | undefined): Alongside<T> {
    return {
      key: DOCUMENT,
      change(doc, result) {
        const j = job(result);
        if (!j) return undefined;
        const jobs = jobsOf(doc);
        jobs[jobKey(j.tenantId, j.conversationId, j.meetingId)] = j;
        return { jobs };
      },
    };
  }

  add(job: PendingPublish): Promise<void> {
    return this.change((jobs) => {
      jobs[jobKey(job.tenantId, job.conversationId, job.meetingId)] = job;
    });
  }

  /** Notes the progress card once it is posted (a restart then edits it rather than posting anew). */
  setCard(tenantId: string, conversationId: string, meetingId: string, cardActivityId: string): Promise<void> {
    return this.change((jobs) => {
      const job = jobs[jobKey(tenantId, conversationId, meetingId)];
      if (job) job.cardActivityId = cardActivityId;
    });
  }

  /** Takes the meeting's job off the list in the same write as the meeting's change (its outcome stored); reads no result. */
  static removedWith(tenantId: string, conversationId: string, meetingId: string): Alongside<never> {
    return {
      key: DOCUMENT,
      change(doc) {
        const jobs = jobsOf(doc);
        const key = jobKey(tenantId, conversationId, meetingId);
        if (!(key in jobs)) return undefined;
        delete jobs[key];
        return { jobs };
      },
    };
  }

  remove(tenantId: string, conversationId: string, meetingId: string): Promise<void> {
    return this.change((jobs) => {
      delete jobs[jobKey(tenantId, conversationId, meetingId)];
    });
  }

  async list(): Promise<PendingPublish[]> {
    const stored = (await this.store.read([DOCUMENT]))[DOCUMENT];
    return Object.values(jobsOf(stored));
  }

  private change(fn: (jobs: Jobs) => void): Promise<void> {
    return this.store.update([DOCUMENT], (items) => {
      const jobs = jobsOf(items[DOCUMENT]);
      fn(jobs);
      return { changes: { [DOCUMENT]: { jobs } }, result: undefined };
    });
  }
}
