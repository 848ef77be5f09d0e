// Loads a conversation's series from the store, applies one change and writes it back, under the
// series' write lock (DocumentStore.update): writers of one chat queue in order of arrival, on one
// instance or several, so a thousand members registering at once lose nothing and nobody is turned
// away for contention. A DomainError stops at once and writes nothing.
//
// Every turn reads and writes the series document, so what is large or grows lives beside it. The
// records (announcements, questions, decisions, notes, actions) are stored in chunks, a turn writing
// only the chunk it changed (storedRecords.ts). The proposals (11 KB each, 60 to a meeting) are one document of their own, read with the
// series and parsed only when something uses an item's proposal (item.proposal is an accessor over
// it), written only when one changed. And old meetings are folded away: once a meeting's minutes are
// adopted and published and two newer meetings exist, its records (proposals, notes, announcements,
// questions, decisions) move to a document of their own, in the same atomic write. What stays (ids,
// dates, titles, agenda codes, closed flags, minutes status) is all a later meeting needs;
// `read(…, meetingId)` unfolds one meeting for its minutes. Folded records never change again.
import { DocumentStore, JsonText, StoreItem, StoreItems, storedETag, storedText } from '../store/documentStore';
import { setNewest } from '../newest';
import { newSeries, numberRecords } from './operations';
import { headAsRead, StoredRecords } from './storedRecords';
import type { AgendaItem, Contribution, Decision, Meeting, Note, Proposal, Series } from './types';

/** The newest meetings are never folded: the next meeting's approval item and its actions point at them. */
const KEEP_UNFOLDED = 2;

/** A folded meeting's records, as stored in its own document. */
interface MeetingRecords {
  items: Record<string, { proposal?: Proposal; notes: Note[] }>;
  announcements: Contribution[];
  questions: Contribution[];
  decisions: Decision[];
}

/** Parsed proposal documents kept, by key with the eTag they were read with (each up to about 1 MB). */
const PROPOSAL_CACHE_SIZE = 64;

export class MeetingService {
  /** Proposals change seldom and are read on every card edit: parsed once per version, not per read. */
  private readonly proposalCache = new Map<string, CachedProposals>();
  /** The records of each list, stored apart in chunks (storedRecords.ts). */
  private readonly records: StoredRecords;

  constructor(
    private readonly store: DocumentStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.records = new StoredRecords({ confirmByETag: store.shared });
  }

  static key(tenantId: string, conversationId: string): string {
    return `series:${encodeURIComponent(tenantId)}:${encodeURIComponent(conversationId)}`;
  }

  /** The series' proposals: `{ proposals: { [meetingId]: { [itemId]: Proposal } } }`. */
  static proposalsKey(tenantId: string, conversationId: string): string {
    return `${MeetingService.key(tenantId, conversationId)}:proposals`;
  }

  static recordsKey(tenantId: string, conversationId: string, meetingId: string): string {
    return `${MeetingService.key(tenantId, conversationId)}:meeting:${encodeURIComponent(meetingId)}`;
  }

  /** The series; with `unfold`, that meeting carries its records even when it has been folded away. */
  async read(tenantId: string, conversationId: string, unfold?: string): Promise<Series> {
    const key = MeetingService.key(tenantId, conversationId);
    const pkey = MeetingService.proposalsKey(tenantId, conversationId);
    const held = this.proposalCache.get(pkey);
    const items = await this.store.read([key, pkey], { held: held && { [pkey]: held.eTag }, more: this.records.more(key) });
    const { series } = this.parseSeries(items, key, tenantId, conversationId);
    this.proposalsOf(items, pkey, held).attach(series);
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
    const pkey = MeetingService.proposalsKey(tenantId, conversationId);
    const keys = alongside ? [key, pkey, alongside.key] : [key, pkey];
    const held = this.proposalCache.get(pkey);
    return this.store.update(
      keys,
      (items) => {
        const { series, read, inline } = this.parseSeries(items, key, tenantId, conversationId);
        // The series as it was, to tell a change: the store's own text when it keeps JSON.stringify's
        // (renumbered or inline older data then differs, and is written), else serialized before the change.
        const json = storedText(items, key) ?? headAsRead(series, read);
        const proposals = this.proposalsOf(items, pkey, held);
        proposals.attach(series);
        const now = this.clock().toISOString();
        const result = change(series, now);
        proposals.attach(series);
        const folded = foldOldMeetings(series);
        const { head, chunks, rev } = this.records.changes(series, read, key);
        const changes: Record<string, StoreItem | JsonText | null> = { ...chunks };
        // Older data with its records inline: the head is written with the chunks, whatever changed.
        if (head !== json || inline) changes[key] = new JsonText(head);
        const stored = proposals.changed(series);
        if (stored) changes[pkey] = stored;
        for (const [meetingId, records] of folded) changes[MeetingService.recordsKey(tenantId, conversationId, meetingId)] = { records };
        const other = alongside?.change(alongside ? items[alongside.key] : undefined, result, now);
        if (alongside && other !== undefined) changes[alongside.key] = other;
        const changed = key in changes || pkey in changes || Object.keys(chunks).length > 0;
        // What was written is kept by its new eTag (the chunks with this write's token too): the next read of this chat does not read it again.
        const committed = (eTags: Record<string, string>) => {
          this.records.remember(chunks, eTags, rev);
          const eTag = eTags[pkey];
          if (stored && eTag) this.keepProposals(pkey, eTag, stored.proposals as ProposalMap);
        };
        return { changes, result: { series, result, changed }, committed };
      },
      { held: held && { [pkey]: held.eTag }, more: this.records.more(key) },
    );
  }

  /** The series stored under `key` in `items`, its records back in; new when there is none. */
  private parseSeries(items: StoreItems, key: string, tenantId: string, conversationId: string) {
    const stored = items[key];
    if (!stored) return { series: newSeries(tenantId, conversationId), read: new Map(), inline: false };
    const { eTag: _eTag, ...doc } = stored;
    const inline = doc.recordCounts === undefined;
    const series = doc as unknown as Series;
    const read = this.records.restore(series, items, key);
    // Older data: records stored before they were numbered get their numbers (kept with the next write).
    numberRecords(series);
    return { series, read, inline };
  }

  /** The proposals of the version a read got, behind the items' accessors. */
  private proposalsOf(items: StoreItems, key: string, held: CachedProposals | undefined): Proposals {
    const read = this.proposalsRead(items, key, held);
    return new Proposals(() => read?.map() ?? {});
  }

  /**
   * The version of the stored proposals a read got (never changed in place: Proposals copies what it
   * changes): the one held, when the store did not send it again (the cache may have moved on meanwhile);
   * else the one sent, held from now on and parsed when first used. Held even when no proposal is read,
   * so a chat whose proposals nobody opens does not have their text (up to 1 MB) sent again every turn.
   */
  private proposalsRead(items: StoreItems, key: string, held: CachedProposals | undefined): CachedProposals | undefined {
    const eTag = storedETag(items, key);
    if (eTag === undefined) return undefined;
    if (held?.eTag === eTag) return held;
    // The answer is let go once parsed (until then it holds the text).
    let source: StoreItems | undefined = items;
    let map: ProposalMap = {};
    const read: CachedProposals = {
      eTag,
      map: () => {
        if (source) map = (source[key]?.proposals as ProposalMap | undefined) ?? {};
        source = undefined;
        return map;
      },
    };
    setNewest(this.proposalCache, key, read, PROPOSAL_CACHE_SIZE);
    return read;
  }

  private keepProposals(key: string, eTag: string, map: ProposalMap): void {
    setNewest(this.proposalCache, key, { eTag, map: () => map }, PROPOSAL_CACHE_SIZE);
  }
}

type ProposalMap = Record<string, Record<string, Proposal>>;

interface CachedProposals {
  eTag: string;
  /** Parsed once, when first used. */
  map(): ProposalMap;
}

/**
 * A series' proposals, stored apart from it, behind each agenda item's `proposal` (a non-enumerable
 * accessor: JSON.stringify of the series leaves them out). The stored document is parsed only when an
 * item's proposal is read or set. A proposal set as a plain property (an item built afresh, older data
 * that held them inline) is taken over by the next `attach`.
 */
class Proposals {
  private map?: ProposalMap;
  private dirty = false;

  constructor(private readonly stored: () => ProposalMap) {}

  private all(): ProposalMap {
    this.map ??= { ...this.stored() };
    return this.map;
  }

  /** Puts the accessor on every item of the series' unfolded meetings, taking over inline proposals. */
  attach(series: Series): void {
    for (const meeting of series.meetings) {
      if (meeting.folded) continue;
      for (const item of meeting.agenda) {
        // Attached already (attach runs again after every change, for the items it built): nothing to look up.
        if ((item as Owned)[OWNER]?.proposals === this) continue;
        const own = Object.getOwnPropertyDescriptor(item, 'proposal');
        if (own && !('value' in own)) continue;
        this.define(meeting.id, item);
        if (own) item.proposal = own.value as Proposal | undefined;
      }
    }
  }

  private define(meetingId: string, item: AgendaItem): void {
    // Not enumerable: a copy of the item ({ ...item }), a deep comparison and util.inspect leave it out.
    Object.defineProperty(item, OWNER, { value: { proposals: this, meetingId }, writable: true, configurable: true });
    Object.defineProperty(item, 'proposal', PROPOSAL_ACCESSOR);
  }

  get(meetingId: string, itemId: string): Proposal | undefined {
    return (this.all()[meetingId] ?? {})[itemId];
  }

  set(meetingId: string, itemId: string, proposal: Proposal | undefined): void {
    const map = this.all();
    const current = map[meetingId]?.[itemId];
    if (current === proposal) return;
    const of = { ...(map[meetingId] ?? {}) };
    if (proposal === undefined) delete of[itemId];
    else of[itemId] = proposal;
    if (Object.keys(of).length) map[meetingId] = of;
    else delete map[meetingId];
    this.dirty = true;
  }

  /**
   * The document to store when a proposal was set or removed: only the unfolded meetings' items that
   * still exist keep theirs (a folded meeting's went to its records; a removed item's go with it).
   */
  changed(series: Series): StoreItem | undefined {
    if (!this.map) return undefined;
    const kept: ProposalMap = {};
    for (const meeting of series.meetings) {
      if (meeting.folded) continue;
      for (const item of meeting.agenda) {
        const p = this.map[meeting.id]?.[item.id];
        if (p) (kept[meeting.id] ??= {})[item.id] = p;
      }
    }
    const count = (m: ProposalMap) => Object.values(m).reduce((n, of) => n + Object.keys(of).length, 0);
    if (!this.dirty && count(kept) === count(this.map)) return undefined;
    return { proposals: kept };
  }
}

/**
 * Whose proposals an item's accessor reads, and in which meeting, under a symbol: JSON, structuredClone and
 * Object.keys leave it out. (A WeakMap cost twice as much a read of 60 items, about 45 µs against 20, and
 * its entries weigh on every collection.)
 */
const OWNER = Symbol('proposals');
type Owned = AgendaItem & { [OWNER]?: { proposals: Proposals; meetingId: string } };

/** One accessor for every item, not two closures per item on every read and every update. */
const PROPOSAL_ACCESSOR: PropertyDescriptor = {
  enumerable: false,
  configurable: true,
  get(this: Owned): Proposal | undefined {
    const owner = this[OWNER];
    return owner?.proposals.get(owner.meetingId, this.id);
  },
  set(this: Owned, proposal: Proposal | undefined) {
    const owner = this[OWNER];
    if (owner) owner.proposals.set(owner.meetingId, this.id, proposal);
    else Object.defineProperty(this, 'proposal', { value: proposal, enumerable: true, configurable: true, writable: true });
  },
};

/** Another document written in the same transaction as the series: `change` returns it, null to delete, undefined to leave it. */
export interface Alongside<T> {
  key: string;
  change(doc: StoreItem | undefined, result: T, now: string): StoreItem | null | undefined;
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
      item.proposal = undefined;
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
