// The records of a series (the announcements, round questions, decisions and notes of each meeting
// not folded away, and the chat's actions) are stored beside the series document, in chunks of
// CHUNK records each, so that a turn writes what it changed: registering an announcement writes the
// last chunk of that meeting's announcements (and the small series document), not the meeting.
//
// The series document keeps how many records each list holds (`recordCounts`), so the chunks to read
// follow from it, and which write stored each chunk last (`revs`, a token per update): a chunk kept
// parsed from that write is current, and is not asked of the store at all, so a turn reads what changed
// (the series document, and a chunk another turn or instance wrote since), not every chunk of the meeting.
// A chunk without a token (older data) is asked for by its eTag and not read again while that holds.
// Every chunk written here gets a new token, so the series document is rewritten with it. A version
// before the tokens does not always rewrite it (on PostgreSQL a change to one record writes the chunk
// alone), so on a store other processes write (PostgreSQL) a chunk current by its token is still
// confirmed by its eTag, in the same query as the chunks read: it is not parsed again, but a chunk an
// older instance beside this one changed is read. The embedded SQLite file has one process: there a
// chunk current by its token is not asked for at all.
// Parsed records are frozen: a chunk is unchanged when every record in it is the same object as read.
// So the domain replaces a record to correct it (corrections, completing an action), never edits it.
//
// The agenda of each meeting not folded away is stored the same way, as a list of its own (60 items are
// 9 KB, parsed and written on every turn when they lived in the series document). The domain sets an
// item's fields (a title, its closed flag) and its notes, so it gets an item of its own for each frozen
// item read, sharing that item's values; its arrays (attachments, spans) are frozen, replaced to change.
// An item whose fields are still the ones read is stored as the item read, so only a chunk with a
// changed item is written. A folded meeting keeps its agenda in the series document, as before.
import { randomBytes } from 'node:crypto';
import type { HeldETags, StoreItem, StoreItems } from '../store/documentStore';
import { setNewest } from '../newest';
import { storedETag } from '../store/documentStore';
import type { AgendaItem, Series } from './types';

/** Records to a chunk: about 5 KB of announcements. */
export const CHUNK = 32;

/** Parsed chunks kept, by key with the eTag they were read with and the token of the write that stored them. */
const CHUNK_CACHE_SIZE = 2048;

type RecordListKind = 'announcements' | 'questions' | 'decisions' | 'notes';
type MeetingListKind = 'agenda' | RecordListKind;
const RECORD_LISTS: readonly RecordListKind[] = ['announcements', 'questions', 'decisions', 'notes'];
const MEETING_LISTS: readonly MeetingListKind[] = ['agenda', ...RECORD_LISTS];

/** How many records each list holds, as the series document keeps it. */
export interface RecordCounts {
  actions?: number;
  meetings?: Record<string, Partial<Record<MeetingListKind, number>>>;
  /**
   * By list, the token of the write that stored each of its chunks last (null: not known, older data).
   * Inside the counts, so a version that does not know them drops them whenever it rewrites the counts.
   */
  revs?: Record<string, (string | null)[]>;
}

/** One list's records in order; a meeting's notes with the id of the item each belongs to. */
interface List {
  records: readonly object[];
  itemIds?: readonly string[];
}

/** A list of the series now: its meeting (none for the actions) and kind, for its count. */
interface ListNow extends List {
  meetingId?: string;
  kind: 'actions' | MeetingListKind;
}

/** A stored chunk: `itemIds` beside the records of a notes list. */
interface Chunk {
  records: object[];
  itemIds?: string[];
}

interface CachedChunk extends Chunk {
  eTag: string;
  /** The token of the write that stored this version, when known. */
  rev?: string;
}

/** The lists of a series as they were read, with their chunks' tokens: compared with the lists after a change. */
export type ReadLists = Map<string, List & { revs?: readonly (string | null)[] }>;

/** What a read of the series holds beside the store's answer: the chunks current by token, and those held by eTag. */
interface Held {
  current: Map<string, CachedChunk>;
  byETag: Map<string, CachedChunk>;
}

export interface StoredRecordsOptions {
  /** Other processes write the store (DocumentStore.shared): a chunk current by its token is confirmed by its eTag. */
  confirmByETag: boolean;
}

export class StoredRecords {
  private readonly cache = new Map<string, CachedChunk>();
  /**
   * The cached chunks a read holds, by the items it read: those current by the series' tokens (not
   * asked for) and those the store answered with their eTag alone. These are what the read is made of,
   * whatever the cache holds by then (another turn may have replaced them). Kept on the items under this
   * symbol, not in a WeakMap (see READ in services/store/documentStore.ts).
   */
  private readonly held = Symbol('held');

  constructor(private readonly opts: StoredRecordsOptions) {}

  /** What `store.read(…, { more })` should read beside the series document under `seriesKey`. */
  more(seriesKey: string): (items: StoreItems) => { keys: string[]; held: HeldETags } {
    return (items) => {
      const counts = (items[seriesKey]?.recordCounts as RecordCounts | undefined) ?? {};
      const keys: string[] = [];
      const held: HeldETags = {};
      const entries: Held = { current: new Map(), byETag: new Map() };
      for (const { key, rev } of chunkRefs(seriesKey, counts)) {
        const cached = this.cache.get(key);
        // A chunk in use is made the newest, so the cache lets go of the chunks nobody reads first.
        if (cached) setNewest(this.cache, key, cached, CHUNK_CACHE_SIZE);
        if (cached && rev && cached.rev === rev && !this.opts.confirmByETag) {
          entries.current.set(key, cached);
          continue;
        }
        keys.push(key);
        if (!cached) continue;
        held[key] = cached.eTag;
        entries.byETag.set(key, cached);
      }
      Object.defineProperty(items, this.held, { value: entries, configurable: true });
      return { keys, held };
    };
  }

  /**
   * Puts the stored records into the series parsed from `items[seriesKey]` (older data holds them
   * inline: left as they are, and stored apart with the next write). Returns the lists as read.
   */
  restore(series: Series, items: StoreItems, seriesKey: string): ReadLists {
    const counts = (series as { recordCounts?: RecordCounts }).recordCounts;
    delete (series as { recordCounts?: RecordCounts }).recordCounts;
    const read: ReadLists = new Map();
    if (!counts) return read;
    // Stored apart: the lists start empty (a copy of what was read goes in, never the list compared with).
    series.actions = [];
    for (const meeting of series.meetings) {
      if (meeting.folded) continue;
      meeting.announcements = [];
      meeting.questions = [];
      meeting.decisions = [];
      // An agenda in the series document (older data) stays there until the next write.
      if (meeting.agenda) for (const item of meeting.agenda) item.notes = [];
    }
    const load = (name: string, count: number): List => {
      const records: object[] = [];
      const itemIds: string[] = [];
      const revs = counts.revs?.[name];
      for (let i = 0; i * CHUNK < count; i++) {
        const chunk = this.chunk(items, chunkKey(seriesKey, name, i), revs?.[i] ?? undefined);
        records.push(...chunk.records);
        if (chunk.itemIds) itemIds.push(...chunk.itemIds);
      }
      const list = { records: records.slice(0, count), itemIds: itemIds.length ? itemIds.slice(0, count) : undefined, revs };
      read.set(name, list);
      return list;
    };
    if (counts.actions) series.actions = [...load('actions', counts.actions).records] as Series['actions'];
    for (const meeting of series.meetings) {
      if (meeting.folded) continue;
      const of = counts.meetings?.[meeting.id];
      // Stored apart: the domain's own copies of the items read.
      if (!meeting.agenda)
        meeting.agenda = of?.agenda ? (load(listName(meeting.id, 'agenda'), of.agenda).records as StoredItem[]).map(liveItem) : [];
      if (!of) continue;
      for (const kind of RECORD_LISTS) {
        const count = of[kind];
        if (!count) continue;
        const list = load(listName(meeting.id, kind), count);
        if (kind !== 'notes') {
          meeting[kind] = [...list.records] as never;
          continue;
        }
        const byItem = new Map(meeting.agenda.map((item) => [item.id, item]));
        list.records.forEach((note, n) => byItem.get(list.itemIds?.[n] ?? '')?.notes.push(note as never));
      }
    }
    return read;
  }

  /**
   * What to write of the series after a change: the series document without its records (with their
   * counts and tokens) and every chunk whose records are not the ones read (null: a chunk no longer
   * needed). The chunks written carry `rev`, this write's token.
   */
  changes(series: Series, read: ReadLists, seriesKey: string): { head: string; chunks: Record<string, StoreItem | null>; rev?: string } {
    const now = lists(series, read);
    // This write's token, drawn once a chunk is written (most turns write one, a turn that changes nothing none).
    let rev: string | undefined;
    const chunks: Record<string, StoreItem | null> = {};
    const written = new Map<string, (string | null)[]>();
    for (const name of new Set([...read.keys(), ...now.keys()])) {
      const before = read.get(name) ?? { records: [] };
      const after: List = now.get(name) ?? { records: [] };
      const count = Math.max(before.records.length, after.records.length);
      const revs: (string | null)[] = [];
      for (let i = 0; i * CHUNK < count; i++) {
        const from = i * CHUNK;
        // Past the end of the list now (it held more before): no longer needed.
        if (from >= after.records.length) {
          chunks[chunkKey(seriesKey, name, i)] = null;
          continue;
        }
        if (sameChunk(before, after, i)) {
          revs.push(before.revs?.[i] ?? null);
          continue;
        }
        revs.push((rev ??= randomBytes(9).toString('base64url')));
        chunks[chunkKey(seriesKey, name, i)] = {
          records: after.records.slice(from, from + CHUNK),
          ...(after.itemIds ? { itemIds: after.itemIds.slice(from, from + CHUNK) } : {}),
        };
      }
      written.set(name, revs);
    }
    return { head: headText(series, countsOf(now, written)), chunks, rev };
  }

  /**
   * The chunks a change wrote, once they are durable, kept by the eTags they have now and the change's
   * token: the next read of the chat holds them, as if it had parsed them itself. Their records are
   * frozen from here on.
   */
  remember(chunks: Record<string, StoreItem | null>, eTags: Record<string, string>, rev: string | undefined): void {
    for (const [key, chunk] of Object.entries(chunks)) {
      const eTag = eTags[key];
      if (!chunk || eTag === undefined) continue;
      const { records, itemIds } = chunk as unknown as Chunk;
      setNewest(this.cache, key, { records: records.map(deepFreeze), itemIds, eTag, rev }, CHUNK_CACHE_SIZE);
    }
  }

  /**
   * A chunk, parsed once per version; its records frozen (they are shared by every read of it). `rev`:
   * the token the series document gives it, kept with the version read (read in the same snapshot).
   */
  private chunk(items: StoreItems, key: string, rev: string | undefined): Chunk {
    const held = (items as { [key: symbol]: Held | undefined })[this.held];
    const current = held?.current.get(key);
    if (current) return current;
    const eTag = storedETag(items, key);
    // Its token learnt, unless the cache has moved on to another version meanwhile.
    const keep = (chunk: CachedChunk) => {
      if (rev && chunk.rev !== rev && (this.cache.get(key) ?? chunk) === chunk)
        setNewest(this.cache, key, { ...chunk, rev }, CHUNK_CACHE_SIZE);
      return chunk;
    };
    const byETag = held?.byETag.get(key);
    if (eTag !== undefined && byETag?.eTag === eTag) return keep(byETag);
    const cached = this.cache.get(key);
    if (eTag !== undefined && cached?.eTag === eTag) return keep(cached);
    const stored = items[key] as (StoreItem & Partial<Chunk>) | undefined;
    if (!stored?.records) throw new Error(`the records under ${key} are missing from the store`);
    const chunk: Chunk = { records: stored.records.map(deepFreeze), itemIds: stored.itemIds };
    if (eTag !== undefined) setNewest(this.cache, key, { ...chunk, eTag, rev }, CHUNK_CACHE_SIZE);
    return chunk;
  }
}

function listName(meetingId: string, kind: MeetingListKind): string {
  return `${encodeURIComponent(meetingId)}/${kind}`;
}

function chunkKey(seriesKey: string, name: string, index: number): string {
  return `${seriesKey}:records:${name}/${index}`;
}

/** The chunks the counts name, each with the token the series gives it. */
function chunkRefs(seriesKey: string, counts: RecordCounts): { key: string; rev: string | null | undefined }[] {
  const refs: { key: string; rev: string | null | undefined }[] = [];
  const add = (name: string, count = 0) => {
    const revs = counts.revs?.[name];
    for (let i = 0; i * CHUNK < count; i++) refs.push({ key: chunkKey(seriesKey, name, i), rev: revs?.[i] });
  };
  add('actions', counts.actions);
  for (const [meetingId, of] of Object.entries(counts.meetings ?? {}))
    for (const kind of MEETING_LISTS) add(listName(meetingId, kind), of[kind]);
  return refs;
}

/**
 * The series' lists now, by name (folded meetings hold none: their records are in a document of their
 * own). An agenda item equal to the one read is that item, as read.
 */
function lists(series: Series, read: ReadLists): Map<string, ListNow> {
  const out = new Map<string, ListNow>([['actions', { records: series.actions, kind: 'actions' }]]);
  for (const meeting of series.meetings) {
    if (meeting.folded) continue;
    const agenda = listName(meeting.id, 'agenda');
    out.set(agenda, { records: storedItems(meeting.agenda, read.get(agenda)?.records), meetingId: meeting.id, kind: 'agenda' });
    for (const kind of ['announcements', 'questions', 'decisions'] as const)
      out.set(listName(meeting.id, kind), { records: meeting[kind], meetingId: meeting.id, kind });
    const records: object[] = [];
    const itemIds: string[] = [];
    for (const item of meeting.agenda)
      for (const note of item.notes) {
        records.push(note);
        itemIds.push(item.id);
      }
    out.set(listName(meeting.id, 'notes'), { records, itemIds, meetingId: meeting.id, kind: 'notes' });
  }
  return out;
}

/**
 * How many records each list holds (the empty ones left out), as the series document keeps it, and the
 * tokens of their chunks (in the lists' order, so the same lists give the same text).
 */
function countsOf(now: Map<string, ListNow>, revsByList: Map<string, readonly (string | null)[] | undefined>): RecordCounts {
  const counts: RecordCounts = {};
  const revs: Record<string, (string | null)[]> = {};
  for (const [name, { records, meetingId, kind }] of now) {
    if (!records.length) continue;
    if (kind === 'actions') counts.actions = records.length;
    else ((counts.meetings ??= {})[meetingId!] ??= {})[kind] = records.length;
    const of = revsByList.get(name)?.slice(0, Math.ceil(records.length / CHUNK));
    if (of?.some((r) => r)) revs[name] = of.map((r) => r ?? null);
  }
  if (Object.keys(revs).length) counts.revs = revs;
  return counts;
}

/**
 * The series document as it was read (`read`), for a store that does not keep the text it stored: to
 * tell a change by.
 */
export function headAsRead(series: Series, read: ReadLists): string {
  return headText(series, countsOf(lists(series, read), new Map([...read].map(([name, list]) => [name, list.revs]))));
}

/**
 * The series document as stored: without the agendas and records of unfolded meetings and the actions, with their
 * counts. Serialized with the records set aside in place for the moment (copying the meetings and
 * their items to leave them out costs more than the text).
 */
export function headText(series: Series, recordCounts: RecordCounts): string {
  const aside: [Record<string, unknown>, string, unknown][] = [];
  const setAside = (o: object, key: string) => {
    const record = o as Record<string, unknown>;
    aside.push([record, key, record[key]]);
    record[key] = undefined;
  };
  setAside(series, 'actions');
  for (const meeting of series.meetings) {
    if (meeting.folded) continue;
    for (const kind of ['agenda', 'announcements', 'questions', 'decisions'] as const) setAside(meeting, kind);
  }
  try {
    return JSON.stringify({ ...series, recordCounts });
  } finally {
    for (const [o, key, value] of aside) o[key] = value;
  }
}

function sameChunk(before: List, after: List, index: number): boolean {
  const from = index * CHUNK;
  const to = from + CHUNK;
  if (Math.min(before.records.length, to) !== Math.min(after.records.length, to)) return false;
  for (let i = from; i < Math.min(after.records.length, to); i++)
    if (before.records[i] !== after.records[i] || before.itemIds?.[i] !== after.itemIds?.[i]) return false;
  return true;
}

/** An agenda item as stored: without its notes (a list of their own) and its proposal (a document of its own, service.ts). */
type StoredItem = Omit<AgendaItem, 'notes' | 'proposal'>;

/**
 * An agenda's items as stored: an item whose fields are those of the one read with its id is that one
 * (frozen), so its chunk is not written again; another is stored afresh.
 */
function storedItems(agenda: readonly AgendaItem[], read: readonly object[] | undefined): object[] {
  const byId = new Map((read as readonly StoredItem[] | undefined)?.map((item) => [item.id, item]));
  return agenda.map((item) => {
    const before = byId.get(item.id);
    return before && sameItem(item, before) ? before : storedItem(item);
  });
}

// Each field by name, not a copy of every key: this runs over every item on every turn, and a spread
// or a loop over the keys costs twenty times as much. STORED_FIELDS fails to compile when AgendaItem
// gains a field: a reminder to name it in these three functions too.
const STORED_FIELDS = {
  id: true,
  code: true,
  title: true,
  kind: true,
  closed: true,
  portfolioHolder: true,
  attachments: true,
  previousMinutesOf: true,
  spans: true,
} satisfies Record<keyof StoredItem, true>;
void STORED_FIELDS;

/** The domain's own item for one read (frozen): the same values, its notes filled in after. */
function liveItem(r: StoredItem): AgendaItem {
  const item: AgendaItem = {
    id: r.id,
    code: r.code,
    title: r.title,
    kind: r.kind,
    closed: r.closed,
    attachments: r.attachments,
    notes: [],
  };
  if (r.portfolioHolder !== undefined) item.portfolioHolder = r.portfolioHolder;
  if (r.previousMinutesOf !== undefined) item.previousMinutesOf = r.previousMinutesOf;
  if (r.spans !== undefined) item.spans = r.spans;
  return item;
}

function storedItem(i: AgendaItem): StoredItem {
  const item: StoredItem = { id: i.id, code: i.code, title: i.title, kind: i.kind, closed: i.closed, attachments: i.attachments };
  if (i.portfolioHolder !== undefined) item.portfolioHolder = i.portfolioHolder;
  if (i.previousMinutesOf !== undefined) item.previousMinutesOf = i.previousMinutesOf;
  if (i.spans !== undefined) item.spans = i.spans;
  return item;
}

function sameItem(a: AgendaItem, b: StoredItem): boolean {
  return (
    a.id === b.id &&
    a.code === b.code &&
    a.title === b.title &&
    a.kind === b.kind &&
    a.closed === b.closed &&
    a.portfolioHolder === b.portfolioHolder &&
    a.attachments === b.attachments &&
    a.previousMinutesOf === b.previousMinutesOf &&
    a.spans === b.spans
  );
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
