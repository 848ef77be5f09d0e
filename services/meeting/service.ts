// Loads a conversation's series from the store, applies one change and writes it back, under the
// series' write lock (DocumentStore.update): writers of one chat queue in order of arrival, on one
// instance or several, so a thousand members registering at once lose nothing and nobody is turned
// away for contention. A DomainError stops at once and writes nothing.
//
// Every turn reads and writes the series whole, so old meetings are folded away: once a meeting's
// minutes are adopted and published and two newer meetings exist, its records (proposals, notes,
// announcements, questions, decisions) move to a document of their own, in the same atomic write.
// What stays (ids, dates, titles, agenda codes, closed flags, minutes status) is all a later meeting
// needs; `read(…, meetingId)` unfolds one meeting for its minutes. Folded records never change again.
import type { DocumentStore, StoreItem } from '../store/documentStore';
import { newSeries, numberRecords } from './operations';
import type { Contribution, Decision, Meeting, Note, Proposal, Series } from './types';

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

  /**
   * Applies `change` to the series and writes it, with whatever `alongside` adds to the same atomic
   * write (a document of another service that must change with the meeting, or not at all).
   */
  async update<T>(
    tenantId: string,
    conversationId: string,
    change: (series: Series, now: string) => T,
    alongside?: Alongside<T>,
  ): Promise<{ series: Series; result: T; changed: boolean }> {
    const key = MeetingService.key(tenantId, conversationId);
    const keys = alongside ? [key, alongside.key] : [key];
    return this.store.update(keys, (items) => {
      const { series, json } = parseSeries(items[key], tenantId, conversationId);
      const now = this.clock().toISOString();
      const result = change(series, now);
      const folded = foldOldMeetings(series);
      const changes: Record<string, StoreItem | null> = {};
      const after = JSON.stringify(series);
      if (after !== json) changes[key] = series as unknown as StoreItem;
      for (const [meetingId, records] of folded) changes[MeetingService.recordsKey(tenantId, conversationId, meetingId)] = { records };
      const other = alongside?.change(alongside ? items[alongside.key] : undefined, result, now);
      if (alongside && other !== undefined) changes[alongside.key] = other;
      return { changes, result: { series, result, changed: key in changes } };
    });
  }

  private async load(tenantId: string, conversationId: string): Promise<{ series: Series }> {
    const key = MeetingService.key(tenantId, conversationId);
    return parseSeries((await this.store.read([key]))[key], tenantId, conversationId);
  }
}

/** Another document written in the same transaction as the series: `change` returns it, null to delete, undefined to leave it. */
export interface Alongside<T> {
  key: string;
  change(doc: StoreItem | undefined, result: T, now: string): StoreItem | null | undefined;
}

function parseSeries(stored: StoreItem | undefined, tenantId: string, conversationId: string): { series: Series; json: string } {
  if (!stored) {
    const series = newSeries(tenantId, conversationId);
    return { series, json: JSON.stringify(series) };
  }
  const { eTag: _eTag, ...doc } = stored;
  const series = doc as unknown as Series;
  // Older data: records stored before they were numbered get their numbers (kept with the next write).
  numberRecords(series);
  return { series, json: JSON.stringify(series) };
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
