// Loads a conversation's series from the store, applies one change and writes it back with its eTag.
// When another turn wrote first (eTag conflict) the change is applied again to the fresh state, so
// thirty members clicking at once lose nothing. A DomainError stops at once and writes nothing.
//
// Every turn reads and writes the series whole, so old meetings are folded away: once a meeting's
// minutes are adopted and published and two newer meetings exist, its records (proposals, notes,
// announcements, questions, decisions) move to a document of their own, in the same atomic write.
// What stays (ids, dates, titles, agenda codes, closed flags, minutes status) is all a later meeting
// needs; `read(…, meetingId)` unfolds one meeting for its minutes. Folded records never change again.
import { setTimeout as sleep } from 'node:timers/promises';
import { DocumentStore, isEtagConflict, StoreItem } from '../store/documentStore';
import { newSeries } from './operations';
import type { Contribution, Decision, Meeting, Note, Proposal, Series } from './types';

const MAX_ATTEMPTS = 25;
/** The newest meetings are never folded: the next meeting's approval item and its actions point at them. */
const KEEP_UNFOLDED = 2;

/** A folded meeting's records, as stored in its own document. */
interface MeetingRecords {
  items: Record<string, { proposal?: Proposal; notes: Note[] }>;
  announcements: Contribution[];
  questions: Contribution[];
  decisions: Decision[];
}

export class MeetingService {
  constructor(
    private readonly store: DocumentStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  static key(tenantId: string, conversationId: string): string {
    return `series:${encodeURIComponent(tenantId)}:${encodeURIComponent(conversationId)}`;
  }

  static recordsKey(tenantId: string, conversationId: string, meetingId: string): string {
    return `${MeetingService.key(tenantId, conversationId)}:meeting:${encodeURIComponent(meetingId)}`;
  }

  /** The series; with `unfold`, that meeting carries its records even when it has been folded away. */
  async read(tenantId: string, conversationId: string, unfold?: string): Promise<Series> {
    const { series } = await this.load(tenantId, conversationId);
    const meeting = unfold ? series.meetings.find((m) => m.id === unfold && m.folded) : undefined;
    if (meeting) {
      const key = MeetingService.recordsKey(tenantId, conversationId, meeting.id);
      const stored = (await this.store.read([key]))[key];
      if (!stored) throw new Error(`the records of meeting ${meeting.id} are missing from the store`);
      restoreRecords(meeting, stored.records as MeetingRecords);
    }
    return series;
  }

  async update<T>(
    tenantId: string,
    conversationId: string,
    change: (series: Series, now: string) => T,
  ): Promise<{ series: Series; result: T; changed: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const { series, eTag, json } = await this.load(tenantId, conversationId);
      const result = change(series, this.clock().toISOString());
      const folded = foldOldMeetings(series);
      const after = JSON.stringify(series);
      if (after === json) return { series, result, changed: false };
      const writes: Record<string, StoreItem> = {
        [MeetingService.key(tenantId, conversationId)]: { ...(series as unknown as StoreItem), eTag },
      };
      for (const [meetingId, records] of folded) writes[MeetingService.recordsKey(tenantId, conversationId, meetingId)] = { records };
      try {
        await this.store.write(writes);
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

/** Done with: closed, its minutes adopted and published, and not among the newest meetings. */
function foldable(meeting: Meeting, index: number, count: number): boolean {
  return (
    !meeting.folded &&
    index < count - KEEP_UNFOLDED &&
    meeting.status === 'closed' &&
    meeting.minutes.status === 'adopted' &&
    meeting.minutes.publication?.state === 'published'
  );
}

/** Takes the records out of every meeting that is done with; returns them by meeting id. */
function foldOldMeetings(series: Series): Map<string, MeetingRecords> {
  const out = new Map<string, MeetingRecords>();
  series.meetings.forEach((meeting, index) => {
    if (!foldable(meeting, index, series.meetings.length)) return;
    const records: MeetingRecords = {
      items: Object.fromEntries(meeting.agenda.map((i) => [i.id, { proposal: i.proposal, notes: i.notes }])),
      announcements: meeting.announcements,
      questions: meeting.questions,
      decisions: meeting.decisions,
    };
    for (const item of meeting.agenda) {
      delete item.proposal;
      item.notes = [];
    }
    meeting.announcements = [];
    meeting.questions = [];
    meeting.decisions = [];
    meeting.folded = true;
    out.set(meeting.id, records);
  });
  return out;
}

function restoreRecords(meeting: Meeting, records: MeetingRecords): void {
  for (const item of meeting.agenda) {
    const kept = records.items[item.id];
    if (!kept) continue;
    if (kept.proposal) item.proposal = kept.proposal;
    item.notes = kept.notes;
  }
  meeting.announcements = records.announcements;
  meeting.questions = records.questions;
  meeting.decisions = records.decisions;
  delete meeting.folded;
}
