// Every change to a meeting, as a function on a Series that was just read from the store. Each checks
// who may do it and what is valid first and throws a DomainError before changing anything, so a refused
// or invalid command never leaves half a change behind.
//
// A series holds its meetings in date order. "The meeting" is the earliest one not closed, so planning
// ahead never takes over from the meeting about to be held; "the previous meeting" is the one before by
// date. Records (notes, decisions, actions) go on the meeting being held; once it is closed, a record
// command says so instead of landing on the next meeting.
import { randomUUID } from 'node:crypto';
import { AgendaLine, stepIndex } from './agenda';
import { DomainError } from './errors';
import type { ActionItem, AgendaItem, Contribution, Decision, HouseStyleText, Meeting, Outcome, Person, Proposal, Series } from './types';

export const MAX_TEXT = 4000;
export const MAX_NAMES = 200;
/** A meeting holds at most this many records (notes, announcements, questions, decisions, actions). */
export const MAX_RECORDS_PER_MEETING = 2000;
/** …and at most this much recorded text, in characters (the minutes must stay a document one can open). */
export const MAX_TEXT_PER_MEETING = 2_000_000;

export type Role = 'secretary' | 'chair' | 'member';

export function newSeries(tenantId: string, conversationId: string): Series {
  return { tenantId, conversationId, meetings: [], actions: [], nextActionNumber: 1 };
}

/**
 * A person as a record keeps them: their own copy, field by field. A copy by spread ({ ...actor }), once
 * frozen (storedRecords.ts freezes every record it keeps), got a hidden class of its own in V8: about 170
 * bytes more for every record held (a heap snapshot after 1,500 turns: 3,700 such classes).
 */
export function copyPerson(p: Person): Person {
  const copy: Person = { id: p.id, name: p.name };
  if (p.aadObjectId !== undefined) copy.aadObjectId = p.aadObjectId;
  return copy;
}

export function sameUser(a: Person, b: Person): boolean {
  return (!!a.aadObjectId && a.aadObjectId === b.aadObjectId) || a.id === b.id;
}

export function roleOf(meeting: Meeting | undefined, actor: Person): Role {
  if (!meeting) return 'member';
  if (sameUser(meeting.secretary, actor)) return 'secretary';
  if (meeting.chairs.some((c) => sameUser(c, actor))) return 'chair';
  return 'member';
}

// ---- which meeting ----

const byDate = (a: Meeting, b: Meeting) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.createdAt < b.createdAt ? -1 : 1);

/** Keeps the meetings in date order (planned ahead, or a date corrected). */
function sortMeetings(series: Series): void {
  series.meetings.sort(byDate);
}

/** "The meeting": the earliest one that is not closed. */
export function currentMeeting(series: Series): Meeting | undefined {
  return series.meetings.find((m) => m.status !== 'closed');
}

export function runningMeeting(series: Series): Meeting | undefined {
  return series.meetings.find((m) => m.status === 'running');
}

/** The latest closed meeting by date, if its minutes are not adopted yet (it can still be corrected, reopened). */
export function heldMeeting(series: Series): Meeting | undefined {
  const closed = series.meetings.filter((m) => m.status === 'closed');
  const last = closed[closed.length - 1];
  return last && last.minutes.status !== 'adopted' ? last : undefined;
}

/**
 * The meeting `besluitenlijst` and `publiceren` act on: the one being held, else the latest held one
 * whose minutes are not adopted, else the latest held one, else the meeting about to be held.
 */
export function minutesMeeting(series: Series): Meeting | undefined {
  const closed = series.meetings.filter((m) => m.status === 'closed');
  return runningMeeting(series) ?? heldMeeting(series) ?? closed[closed.length - 1] ?? currentMeeting(series);
}

/** The meeting on a date (yyyy-mm-dd): the one still open first, else the latest of that day. */
export function meetingOn(series: Series, date: string): Meeting {
  const onDay = series.meetings.filter((m) => m.date === date);
  const meeting = onDay.find((m) => m.status !== 'closed') ?? onDay[onDay.length - 1];
  if (!meeting) throw new DomainError('noMeetingOn', { date });
  return meeting;
}

export function previousMeeting(series: Series, meeting: Meeting): Meeting | undefined {
  const i = series.meetings.findIndex((m) => m.id === meeting.id);
  return i > 0 ? series.meetings[i - 1] : undefined;
}

export function findMeeting(series: Series, meetingId: string): Meeting {
  const meeting = series.meetings.find((m) => m.id === meetingId);
  if (!meeting) throw new DomainError('staleCard');
  return meeting;
}

/** Nothing open to act on: a held meeting that was just closed says so (with how to reopen), else there is none. */
function nothingOpen(series: Series): DomainError {
  const held = heldMeeting(series);
  return held ? closedError(held) : new DomainError('noMeeting');
}

function closedError(meeting: Meeting): DomainError {
  return new DomainError('meetingClosed', { date: meeting.date, title: meeting.title });
}

/** The meeting about to be held or being held (planning, agenda, attendance, announcements). */
export function requireMeeting(series: Series): Meeting {
  const meeting = currentMeeting(series);
  if (!meeting) throw nothingOpen(series);
  return meeting;
}

/**
 * The meeting a record of the chair goes on (note, decision, action): the one being held. When none
 * is, a meeting closed since (its minutes not yet adopted) says it is closed, rather than the record
 * landing on the next meeting; a planned one says it has not started.
 */
export function requireRecordingMeeting(series: Series): Meeting {
  const running = runningMeeting(series);
  if (running) return running;
  const held = heldMeeting(series);
  if (held) throw closedError(held);
  if (currentMeeting(series)) throw new DomainError('notStarted');
  throw new DomainError('noMeeting');
}

export function requireChairOrSecretary(meeting: Meeting, actor: Person): void {
  if (roleOf(meeting, actor) === 'member') throw new DomainError('onlyChairOrSecretary');
}

export function requireSecretary(meeting: Meeting, actor: Person): void {
  if (roleOf(meeting, actor) !== 'secretary') throw new DomainError('onlySecretary');
}

function requireOpen(meeting: Meeting): void {
  if (meeting.status === 'closed') throw closedError(meeting);
}

/** Corrections end when the minutes are adopted: from then on they are the record. */
export function requireNotAdopted(meeting: Meeting): void {
  if (meeting.minutes.status === 'adopted') throw new DomainError('minutesAdopted', { date: meeting.date });
}

// ---- text ----

export function cleanText(text: string | undefined, field = 'text', max = MAX_TEXT): string {
  const value = (text ?? '').replace(/\r\n?/g, '\n').trim();
  if (!value) throw new DomainError('emptyText', { field });
  if (value.length > max) throw new DomainError('tooLong', { field, max });
  return value;
}

export function cleanName(name: string | undefined, field: string): string {
  return cleanText(name, field, 200).replace(/\s+/g, ' ');
}

/** How much a meeting holds: the flood limits are checked before a record is added. */
function recordCount(series: Series, meeting: Meeting): { records: number; chars: number } {
  let records = meeting.announcements.length + meeting.questions.length + meeting.decisions.length;
  let chars = 0;
  // Loops, not a spread of the lists: this runs on every record added, over up to 2,000 records.
  for (const list of [meeting.announcements, meeting.questions, meeting.decisions]) for (const c of list) chars += c.text.length;
  for (const item of meeting.agenda) {
    records += item.notes.length;
    for (const n of item.notes) chars += n.text.length;
  }
  for (const a of series.actions) {
    if (a.meetingId !== meeting.id) continue;
    records++;
    chars += a.text.length;
  }
  // The correction log keeps before and after of every correction with the meeting: text it holds too.
  for (const c of meeting.changes ?? []) chars += c.before.length + (c.after?.length ?? 0);
  return { records, chars };
}

/**
 * After a correction was applied: refused (meetingFull) when the meeting's text, its correction log
 * included, is now past MAX_TEXT_PER_MEETING. The caller's series is then discarded, as for any refusal
 * (MeetingService.update writes nothing on a DomainError).
 */
export function requireTextWithinCap(series: Series, meeting: Meeting): void {
  if (recordCount(series, meeting).chars > MAX_TEXT_PER_MEETING) throw new DomainError('meetingFull', { max: MAX_RECORDS_PER_MEETING });
}

function requireRoom(series: Series, meeting: Meeting, adding: string): void {
  const { records, chars } = recordCount(series, meeting);
  if (records >= MAX_RECORDS_PER_MEETING) throw new DomainError('meetingFull', { max: MAX_RECORDS_PER_MEETING });
  if (chars + adding.length > MAX_TEXT_PER_MEETING) throw new DomainError('meetingFull', { max: MAX_RECORDS_PER_MEETING });
}

// ---- record numbers ----

/** A closed item's decisions and actions are numbered in a series of their own, shown with this letter. */
const CLOSED_SERIES_PREFIX = 'V';

/** A record's number as people see and type it: "3", or "V1" in the closed series. */
export function recordLabel(record: { number?: number; id?: number; closedSeries?: boolean }): string {
  return `${record.closedSeries ? CLOSED_SERIES_PREFIX : ''}${record.number ?? record.id ?? 0}`;
}

/** "3" → {3, public}, "V1" / "v1" → {1, closed}; anything else undefined. */
function parseRecordLabel(label: string): { number: number; closedSeries: boolean } | undefined {
  const m = new RegExp(`^(${CLOSED_SERIES_PREFIX})?#?(\\d{1,6})$`, 'i').exec(label.trim());
  return m ? { number: Number(m[2]), closedSeries: !!m[1] } : undefined;
}

/** Whether `label`, as typed ("3", "#3", "03", "v1"), names this record. */
export const matchesLabel = (record: { number?: number; id?: number; closedSeries?: boolean }, label: string) => {
  const wanted = parseRecordLabel(label);
  return !!wanted && (record.number ?? record.id ?? 0) === wanted.number && !!record.closedSeries === wanted.closedSeries;
};

type Counter = 'closedDecision' | 'note' | 'announcement' | 'question';

function take(meeting: Meeting, counter: Counter): number {
  meeting.next ??= {};
  const n = meeting.next[counter] ?? 1;
  meeting.next[counter] = n + 1;
  return n;
}

/**
 * Gives older records (stored before they were numbered) their number, in the order they were taken,
 * and sets the counters past them. Run on every read; changes nothing once every record has one.
 */
export function numberRecords(series: Series): void {
  const numbered = (list: readonly { number?: number }[]) => list.every((r) => r.number !== undefined);
  for (const meeting of series.meetings) {
    // Every read passes here: the lists are only gathered when one of them lacks a number (older data).
    if (meeting.agenda.every((i) => numbered(i.notes)) && numbered(meeting.announcements) && numbered(meeting.questions)) continue;
    const notes = meeting.agenda.flatMap((i) => i.notes);
    for (const [counter, list] of [
      ['note', notes],
      ['announcement', meeting.announcements],
      ['question', meeting.questions],
    ] as const) {
      if (numbered(list)) continue;
      meeting.next ??= {};
      let n = Math.max(0, ...list.map((r) => r.number ?? 0)) + 1;
      for (const r of list) if (r.number === undefined) r.number = n++;
      meeting.next[counter] = Math.max(meeting.next[counter] ?? 1, n);
    }
  }
}

// ---- the agenda ----

export function findItem(meeting: Meeting, code: string): AgendaItem {
  const wanted = code.trim().toLowerCase();
  const item = meeting.agenda.find((i) => i.code.toLowerCase() === wanted);
  if (!item) throw new DomainError('unknownItem', { code: code.trim().slice(0, 20) });
  return item;
}

export function currentItem(meeting: Meeting): AgendaItem | undefined {
  return meeting.agenda.find((i) => i.id === meeting.currentItemId);
}

/** The item a record goes on: the one named, else the current one. */
function recordItem(meeting: Meeting, code?: string): AgendaItem {
  if (code) return findItem(meeting, code);
  const item = currentItem(meeting);
  if (!item) throw new DomainError(meeting.status === 'planned' ? 'notStarted' : 'noCurrentItem');
  return item;
}

// ---- planning ----

export interface MeetingInput {
  title: string;
  date: string;
  startTime?: string;
  endTime?: string;
  location?: string;
  chairName?: string;
  secretaryName?: string;
  members: string[];
  locale?: string;
}

function requireFreeDate(series: Series, date: string, except?: Meeting): void {
  const taken = series.meetings.find((m) => m !== except && m.date === date && m.status !== 'closed');
  if (taken) throw new DomainError('dateTaken', { date, title: taken.title });
}

export function planMeeting(series: Series, actor: Person, input: MeetingInput, now: string): Meeting {
  const open = series.meetings.filter((m) => m.status !== 'closed');
  // Anyone may plan the first meeting; while meetings are open, only their chair or secretary plans more.
  if (open.length && open.every((m) => roleOf(m, actor) === 'member')) {
    const first = open[0]!;
    throw new DomainError('meetingOpen', { title: first.title, date: first.date });
  }
  if (input.members.length > MAX_NAMES) throw new DomainError('tooMany', { max: MAX_NAMES });
  if (series.meetings.length >= 500) throw new DomainError('tooMany', { max: 500 });
  requireFreeDate(series, input.date);
  const meeting: Meeting = {
    id: randomUUID(),
    title: cleanName(input.title, 'title'),
    locale: input.locale,
    date: input.date,
    startTime: input.startTime,
    endTime: input.endTime,
    location: input.location?.trim() || undefined,
    chairName: input.chairName?.trim() || undefined,
    secretaryName: input.secretaryName?.trim() || actor.name,
    members: dedupeNames(input.members.map((n) => cleanName(n, 'members'))),
    secretary: copyPerson(actor),
    chairs: [],
    status: 'planned',
    agenda: [],
    announcements: [],
    questions: [],
    decisions: [],
    present: [],
    absent: [],
    nextDecisionNumber: 1,
    nextContributionId: 1,
    createdAt: now,
    minutes: { status: 'concept' },
  };
  series.meetings.push(meeting);
  sortMeetings(series);
  linkApprovalItems(series);
  return meeting;
}

/** The facts of a meeting `wijzig vergadering` may change; absent ones stay as they are. */
export interface MeetingPatch {
  title?: string;
  date?: string;
  startTime?: string;
  endTime?: string;
  location?: string;
  chairName?: string;
  secretaryName?: string;
  members?: string[];
  itemTimesInMinutes?: boolean;
}

/** The meeting `wijzig vergadering` acts on without a date: the open one, else the held one not yet adopted. */
export function editableMeeting(series: Series): Meeting {
  const meeting = currentMeeting(series) ?? heldMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  return meeting;
}

/** `wijzig vergadering`: changes only the given facts, and logs each change. */
export function editMeeting(series: Series, actor: Person, meeting: Meeting, patch: MeetingPatch, now: string): Meeting {
  requireSecretary(meeting, actor);
  requireNotAdopted(meeting);
  const next: MeetingPatch = {};
  if (patch.title !== undefined) next.title = cleanName(patch.title, 'title');
  if (patch.date !== undefined) {
    if (meeting.status !== 'closed') requireFreeDate(series, patch.date, meeting);
    next.date = patch.date;
  }
  if (patch.members !== undefined) {
    if (patch.members.length > MAX_NAMES) throw new DomainError('tooMany', { max: MAX_NAMES });
    next.members = dedupeNames(patch.members.map((n) => cleanName(n, 'members')));
  }
  for (const key of ['location', 'chairName', 'secretaryName'] as const)
    if (patch[key] !== undefined) next[key] = patch[key]!.trim() ? cleanName(patch[key], key) : '';
  if (patch.startTime !== undefined) next.startTime = patch.startTime;
  if (patch.endTime !== undefined) next.endTime = patch.endTime;
  if (patch.itemTimesInMinutes !== undefined) next.itemTimesInMinutes = patch.itemTimesInMinutes;
  const show = (v: unknown) => (Array.isArray(v) ? v.join(', ') : v === undefined ? '' : String(v));
  const log = (meeting.changes ??= []);
  for (const [key, value] of Object.entries(next) as [keyof MeetingPatch, unknown][]) {
    const before = show(meeting[key]);
    const after = show(value);
    if (before === after) continue;
    log.push({ at: now, by: copyPerson(actor), kind: 'meeting', label: key, change: 'edited', before, after });
    (meeting as unknown as Record<string, unknown>)[key] = value === '' ? undefined : value;
  }
  if (next.date !== undefined) {
    sortMeetings(series);
    linkApprovalItems(series);
  }
  return meeting;
}

const HOUSE_FIELDS = { body: 'houseBody', line: 'houseLine', logo: 'houseLogo' } as const;

/**
 * The chat's house style for its minutes (body name, header line), set by the secretary of one of its
 * meetings; "" takes the chat's own back, so the deployment's shows again. Logged on that meeting.
 */
export function setHouseStyle(series: Series, actor: Person, meeting: Meeting, patch: HouseStyleText, now: string): void {
  requireSecretary(meeting, actor);
  const style = (series.houseStyle ??= {});
  for (const key of ['body', 'line', 'logo'] as const) {
    const value = patch[key];
    if (value === undefined) continue;
    const field = HOUSE_FIELDS[key];
    const next = value.trim() ? cleanName(value, field) : undefined;
    if (next === style[key]) continue;
    (meeting.changes ??= []).push({
      at: now,
      by: copyPerson(actor),
      kind: 'meeting',
      label: field,
      change: 'edited',
      before: style[key] ?? '',
      after: next ?? '',
    });
    if (next === undefined) delete style[key];
    else style[key] = next;
  }
  if (!style.body && !style.line && !style.logo) delete series.houseStyle;
}

/** A meeting planned by mistake: its secretary cancels it before it is held, and it leaves no trace. */
export function cancelMeeting(series: Series, actor: Person, meeting: Meeting): Meeting {
  requireSecretary(meeting, actor);
  if (meeting.status !== 'planned') throw new DomainError('notCancellable', { date: meeting.date });
  series.meetings = series.meetings.filter((m) => m.id !== meeting.id);
  series.actions = series.actions.filter((a) => a.meetingId !== meeting.id);
  linkApprovalItems(series);
  return meeting;
}

/** The meeting `annuleren` acts on without a date: the planned meeting planned last. */
export function cancellableMeeting(series: Series): Meeting {
  const planned = series.meetings.filter((m) => m.status === 'planned');
  const newest = [...planned].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  if (!newest) throw new DomainError('notCancellable', { date: '' });
  return newest;
}

export function setChair(series: Series, actor: Person, chair: Person): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  requireOpen(meeting);
  if (meeting.chairs.length >= 20) throw new DomainError('tooMany', { max: 20 });
  if (!meeting.chairs.some((c) => sameUser(c, chair))) meeting.chairs.push(copyPerson(chair));
  meeting.chairName ??= chair.name;
  return meeting;
}

function hasRecords(series: Series, meeting: Meeting, item: AgendaItem): boolean {
  return (
    item.notes.length > 0 ||
    meeting.decisions.some((d) => d.itemId === item.id) ||
    series.actions.some((a) => a.meetingId === meeting.id && a.itemId === item.id)
  );
}

export const APPROVAL_ITEM_CODE = 'BL';
const APPROVAL_ITEM_TITLE = 'Besluitenlijst vorige vergadering';

/**
 * Replaces the agenda. Items keep their records when their code stays; an item that already has
 * records cannot be dropped. The previous meeting's minutes are always offered for approval.
 */
export function setAgenda(series: Series, actor: Person, lines: AgendaLine[]): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  requireOpen(meeting);
  const byCode = new Map(meeting.agenda.map((i) => [i.code.toLowerCase(), i]));
  const agenda: AgendaItem[] = lines.map((line) => {
    const old = byCode.get(line.code.toLowerCase());
    byCode.delete(line.code.toLowerCase());
    return {
      id: old?.id ?? randomUUID().slice(0, 8),
      code: line.code,
      title: line.title,
      kind: line.kind,
      // What was recorded in confidence stays confidential: an item with records cannot be made public.
      closed: line.closed || old?.proposal?.public === false || (!!old?.closed && hasRecords(series, meeting, old)),
      portfolioHolder: line.portfolioHolder ?? old?.portfolioHolder,
      attachments: line.attachments.length ? line.attachments : (old?.attachments ?? []),
      proposal: old?.proposal,
      notes: old?.notes ?? [],
      previousMinutesOf: old?.previousMinutesOf,
      spans: old?.spans,
    };
  });
  for (const dropped of byCode.values())
    if (hasRecords(series, meeting, dropped)) throw new DomainError('itemHasRecords', { code: dropped.code });
  const previous = previousMeeting(series, meeting);
  if (previous) offerPreviousMinutes(agenda, previous);
  meeting.agenda = agenda;
  if (!currentItem(meeting) && meeting.status === 'running') meeting.currentItemId = agenda[stepIndex(agenda, -1, 1)]?.id;
  return meeting;
}

function offerPreviousMinutes(agenda: AgendaItem[], previous: Meeting): void {
  const linked = agenda.find((i) => i.previousMinutesOf) ?? agenda.find((i) => i.kind === 'previousMinutes');
  if (linked) {
    linked.kind = 'previousMinutes';
    linked.previousMinutesOf = previous.id;
    return;
  }
  let code = APPROVAL_ITEM_CODE;
  for (let n = 2; agenda.some((i) => i.code.toLowerCase() === code.toLowerCase()); n++) code = `${APPROVAL_ITEM_CODE}${n}`;
  const after = Math.max(
    agenda.findIndex((i) => i.kind === 'announcements'),
    agenda.findIndex((i) => i.kind === 'opening'),
  );
  agenda.splice(after + 1, 0, {
    id: randomUUID().slice(0, 8),
    code,
    title: APPROVAL_ITEM_TITLE,
    kind: 'previousMinutes',
    closed: false,
    attachments: [],
    notes: [],
    previousMinutesOf: previous.id,
  });
}

/**
 * After the order of the meetings changed (one planned before another, a date corrected, one cancelled),
 * every meeting still to be held offers the minutes of the meeting now before it: never a cancelled one,
 * never the wrong one. Held meetings keep what they approved.
 */
function linkApprovalItems(series: Series): void {
  series.meetings.forEach((meeting, i) => {
    if (meeting.status === 'closed' || meeting.agenda.length === 0) return;
    const previous = i > 0 ? series.meetings[i - 1] : undefined;
    const item = meeting.agenda.find((it) => it.previousMinutesOf);
    if (previous) {
      if (item) item.previousMinutesOf = previous.id;
      else offerPreviousMinutes(meeting.agenda, previous);
      return;
    }
    if (!item) return;
    // Nothing before it any more: the approval item the bot added goes; one the secretary wrote stays, unlinked.
    const added = item.code.toUpperCase().startsWith(APPROVAL_ITEM_CODE) && item.title === APPROVAL_ITEM_TITLE;
    if (added && !hasRecords(series, meeting, item)) meeting.agenda = meeting.agenda.filter((it) => it !== item);
    else delete item.previousMinutesOf;
  });
}

export function attachProposal(series: Series, actor: Person, code: string, proposal: Proposal): AgendaItem {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  requireOpen(meeting);
  const item = findItem(meeting, code);
  item.proposal = proposal;
  if (proposal.public === false) item.closed = true;
  if (!item.portfolioHolder && proposal.portfolioHolder) item.portfolioHolder = proposal.portfolioHolder;
  return item;
}

// ---- running the meeting, and its clock ----

// An item's spans are replaced, never changed in place: the item read shares them with the stored one (storedRecords.ts).
function enter(item: AgendaItem | undefined, now: string): void {
  if (!item) return;
  const spans = item.spans ?? [];
  if (!spans.length || spans[spans.length - 1]!.to !== undefined) item.spans = [...spans, { from: now }];
}

function leave(item: AgendaItem | undefined, now: string): void {
  const spans = item?.spans;
  const last = spans?.[spans.length - 1];
  if (item && spans && last && last.to === undefined) item.spans = [...spans.slice(0, -1), { ...last, to: now }];
}

/** Milliseconds an item was current, up to `now` for a span still open. */
export function itemDuration(item: AgendaItem, now: number): number {
  return (item.spans ?? []).reduce((ms, s) => ms + Math.max(0, (s.to ? Date.parse(s.to) : now) - Date.parse(s.from)), 0);
}

export function start(series: Series, actor: Person, now: string): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  if (meeting.agenda.length === 0) throw new DomainError('noAgenda');
  if (meeting.status === 'planned') {
    const running = runningMeeting(series);
    if (running && running !== meeting) throw new DomainError('otherRunning', { date: running.date });
    meeting.status = 'running';
    meeting.currentItemId = meeting.agenda[stepIndex(meeting.agenda, -1, 1)]!.id;
    enter(currentItem(meeting), now);
    if (meeting.clockSource?.start !== 'teams') {
      meeting.startedAt ??= now;
      meeting.clockSource = { ...meeting.clockSource, start: 'bot' };
    }
  }
  return meeting;
}

export type Move = { to: 'next' } | { to: 'previous' } | { to: 'item'; code: string } | { to: 'itemId'; itemId: string };

export function move(series: Series, actor: Person, target: Move, now: string): AgendaItem {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  if (meeting.status === 'planned') throw new DomainError('notStarted');
  const index = meeting.agenda.findIndex((i) => i.id === meeting.currentItemId);
  let next: AgendaItem | undefined;
  if (target.to === 'next') {
    next = meeting.agenda[stepIndex(meeting.agenda, index, 1)];
    if (!next) throw new DomainError('endOfAgenda');
  } else if (target.to === 'previous') {
    next = index > 0 ? meeting.agenda[stepIndex(meeting.agenda, index, -1)] : undefined;
    if (!next) throw new DomainError('startOfAgenda');
  } else if (target.to === 'item') {
    next = findItem(meeting, target.code);
  } else {
    next = meeting.agenda.find((i) => i.id === target.itemId);
    if (!next) throw new DomainError('staleCard');
  }
  if (next.id !== meeting.currentItemId) {
    leave(currentItem(meeting), now);
    meeting.currentItemId = next.id;
    enter(next, now);
  }
  return next;
}

function dedupeNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const key = n.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function recordAttendance(series: Series, actor: Person, kind: 'present' | 'absent', names: string[]): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  const clean = dedupeNames(names.map((n) => cleanName(n, kind)));
  if (clean.length === 0) throw new DomainError('emptyText', { field: kind });
  if (clean.length > MAX_NAMES) throw new DomainError('tooMany', { max: MAX_NAMES });
  for (const name of clean) markAttendance(meeting, name, kind, false);
  return meeting;
}

function markAttendance(meeting: Meeting, name: string, kind: 'present' | 'absent', withNotice: boolean): void {
  if (kind === 'present') {
    meeting.absent = meeting.absent.filter((a) => !sameName(a.name, name));
    if (!meeting.present.some((p) => sameName(p, name))) meeting.present.push(name);
  } else {
    meeting.present = meeting.present.filter((p) => !sameName(p, name));
    const existing = meeting.absent.find((a) => sameName(a.name, name));
    if (existing) existing.withNotice ||= withNotice;
    else meeting.absent.push({ name, withNotice });
  }
}

/**
 * A name as a reader of the minutes sees it: compatibility forms folded (a fullwidth "Ｈ" is "H"), invisible
 * format characters (zero-width spaces, joiners, direction marks) dropped, spacing and case ignored.
 */
function readsAs(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\p{Cf}/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** "M. Stegers" → { initial: "m", surname: "stegers" }; "Olaf van Veldhuizen" → { "o", "veldhuizen" }. */
function nameParts(name: string): { initial: string; surname: string } | undefined {
  const words = readsAs(name).split(' ').filter(Boolean);
  if (words.length < 2) return undefined;
  return { initial: words[0]!.charAt(0), surname: words[words.length - 1]!.replace(/[.,]$/, '') };
}

/**
 * The name a Teams user has in the meeting's member list: the one the secretary set for them, else the
 * list's only name that reads the same ("h. meuleman") or has the same first initial and surname
 * ("Hans Meuleman" is "H. Meuleman"), else their display name. So the minutes name people as the list
 * does, and never one person by two names.
 */
export function listName(series: Series, meeting: Meeting, person: Person): string {
  const set = series.memberNames && Object.hasOwn(series.memberNames, person.id) ? series.memberNames[person.id] : undefined;
  if (set) return set;
  // A list name that belongs to someone else's account (the secretary's, a chair's, one the secretary
  // set) is never matched by name: a look-alike display name must not take it.
  const taken = new Set(
    [
      ...(sameUser(meeting.secretary, person) ? [] : [meeting.secretaryName]),
      ...(meeting.chairs.some((c) => sameUser(c, person)) ? [] : [meeting.chairName]),
      ...Object.entries(series.memberNames ?? {}).map(([id, name]) => (id === person.id ? undefined : name)),
    ]
      .filter((n): n is string => !!n)
      .map(readsAs),
  );
  const candidates = meeting.members.filter((m) => !taken.has(readsAs(m)));
  const display = readsAs(person.name);
  const same = candidates.filter((m) => readsAs(m) === display);
  if (same.length === 1) return same[0]!;
  const parts = nameParts(person.name);
  const alike = parts
    ? candidates.filter((m) => {
        const p = nameParts(m);
        return p !== undefined && p.initial === parts.initial && p.surname === parts.surname;
      })
    : [];
  return alike.length === 1 ? alike[0]! : person.name;
}

/** `lid @naam: M. Stegers`: the secretary says which name of the member list a Teams user has. */
export function setMemberName(series: Series, actor: Person, person: Person, name: string): string {
  const meeting = requireMeeting(series);
  requireSecretary(meeting, actor);
  const clean = cleanName(name, 'name');
  if (!clean) throw new DomainError('emptyText', { field: 'name' });
  const names = (series.memberNames ??= {});
  if (!Object.hasOwn(names, person.id) && Object.keys(names).length >= MAX_NAMES) throw new DomainError('tooMany', { max: MAX_NAMES });
  names[person.id] = clean;
  return clean;
}

/**
 * The name one's own attendance is recorded under: one's name in the member list (listName). It is bound
 * to the Teams id: someone whose name is the secretary's or a chair's (another account) can never mark
 * them present or absent.
 */
export function ownName(series: Series, meeting: Meeting, actor: Person): string {
  const name = cleanName(listName(series, meeting, actor), 'name');
  const bound = [
    { person: meeting.secretary, names: [meeting.secretary.name, meeting.secretaryName] },
    ...meeting.chairs.map((person) => ({ person, names: [person.name, meeting.chairName] })),
  ];
  const impostor = bound.some(({ person, names }) => !sameUser(person, actor) && names.some((n) => !!n && readsAs(n) === readsAs(name)));
  // Told apart by their own account, so the minutes never put one person's absence on another.
  return impostor ? `${name} (${(actor.aadObjectId ?? actor.id).slice(-6)})` : name;
}

/** afmelden: anyone sends their own apologies. */
export function sendApologies(series: Series, actor: Person): Meeting {
  const meeting = requireMeeting(series);
  markAttendance(meeting, ownName(series, meeting, actor), 'absent', true);
  return meeting;
}

/** "Ik ben aanwezig": anyone records themselves present. */
export function markSelfPresent(series: Series, actor: Person): Meeting {
  const meeting = requireMeeting(series);
  markAttendance(meeting, ownName(series, meeting, actor), 'present', false);
  return meeting;
}

// ---- records ----

export function addContribution(
  series: Series,
  actor: Person,
  kind: 'announcement' | 'question',
  text: string,
  onBehalfOf: string | undefined,
  now: string,
): Contribution {
  const meeting = requireMeeting(series);
  const author = onBehalfOf !== undefined ? cleanName(onBehalfOf, 'onBehalfOf') : listName(series, meeting, actor);
  const value = cleanText(text, kind);
  requireRoom(series, meeting, value);
  const contribution: Contribution = {
    id: meeting.nextContributionId++,
    number: take(meeting, kind),
    author,
    text: value,
    by: copyPerson(actor),
    at: now,
  };
  (kind === 'announcement' ? meeting.announcements : meeting.questions).push(contribution);
  return contribution;
}

export interface NoteResult {
  item: AgendaItem;
  number: number;
}

export function addNote(series: Series, actor: Person, text: string, code: string | undefined, now: string): NoteResult {
  const meeting = requireRecordingMeeting(series);
  requireChairOrSecretary(meeting, actor);
  const value = cleanText(text, 'note');
  const item = recordItem(meeting, code);
  requireRoom(series, meeting, value);
  const number = take(meeting, 'note');
  item.notes.push({ number, text: value, by: copyPerson(actor), at: now });
  return { item, number };
}

export interface DecisionResult {
  decision: Decision;
  item: AgendaItem;
  /** Set when this decision adopted the minutes of an earlier meeting. */
  adoptedMeetingId?: string;
}

export function addDecision(
  series: Series,
  actor: Person,
  text: string,
  outcome: Outcome | undefined,
  code: string | undefined,
  now: string,
): DecisionResult {
  const meeting = requireRecordingMeeting(series);
  requireChairOrSecretary(meeting, actor);
  const value = cleanText(text, 'decision');
  const item = recordItem(meeting, code);
  requireRoom(series, meeting, value);
  const closedSeries = item.closed || undefined;
  const number = closedSeries ? take(meeting, 'closedDecision') : meeting.nextDecisionNumber++;
  const decision: Decision = { number, closedSeries, itemId: item.id, text: value, outcome, by: copyPerson(actor), at: now };
  meeting.decisions.push(decision);
  return { decision, item, adoptedMeetingId: adoptIfApproval(series, meeting, item, outcome) };
}

/** A decision "vastgesteld" on the approval item adopts the minutes it offers. */
function adoptIfApproval(series: Series, meeting: Meeting, item: AgendaItem, outcome: Outcome | undefined): string | undefined {
  if (outcome !== 'adopted' || item.kind !== 'previousMinutes' || !item.previousMinutesOf) return undefined;
  const previous = series.meetings.find((m) => m.id === item.previousMinutesOf);
  if (!previous || previous.minutes.status === 'adopted') return undefined;
  previous.minutes.status = 'adopted';
  previous.minutes.adoptedOn = meeting.date;
  previous.minutes.adoptedInMeetingId = meeting.id;
  return previous.id;
}

export interface ActionInput {
  owner: string;
  ownerUser?: Person;
  text: string;
  due?: string;
  code?: string;
}

export function addAction(series: Series, actor: Person, input: ActionInput, now: string): ActionItem {
  const meeting = requireRecordingMeeting(series);
  requireChairOrSecretary(meeting, actor);
  // An owner named by @mention is named as the member list names them.
  const mentioned = input.ownerUser && readsAs(input.owner) === readsAs(input.ownerUser.name);
  const owner = cleanName(mentioned ? listName(series, meeting, input.ownerUser!) : input.owner, 'owner');
  const text = cleanText(input.text, 'action');
  const item = recordItem(meeting, input.code);
  requireRoom(series, meeting, text);
  const closedSeries = item.closed || undefined;
  let number: number;
  if (closedSeries) {
    number = series.nextClosedActionNumber ?? 1;
    series.nextClosedActionNumber = number + 1;
  } else number = series.nextActionNumber++;
  const action: ActionItem = {
    number,
    closedSeries,
    meetingId: meeting.id,
    itemId: item.id,
    itemCode: item.code,
    owner,
    ownerUser: input.ownerUser ? { ...input.ownerUser } : undefined,
    text,
    due: input.due,
    status: 'open',
    createdAt: now,
  };
  series.actions.push(action);
  return action;
}

export function findAction(series: Series, label: string): ActionItem {
  const action = series.actions.find((a) => matchesLabel(a, label));
  if (!action) throw new DomainError('unknownAction', { number: label.slice(0, 12) });
  return action;
}

export function completeAction(series: Series, actor: Person, label: string, now: string): ActionItem {
  const action = findAction(series, label);
  const ownMeeting = series.meetings.find((m) => m.id === action.meetingId);
  const allowed =
    roleOf(currentMeeting(series), actor) !== 'member' ||
    roleOf(ownMeeting, actor) !== 'member' ||
    (action.ownerUser !== undefined && sameUser(action.ownerUser, actor));
  if (!allowed) throw new DomainError('onlyChairSecretaryOrOwner');
  if (action.status === 'done') throw new DomainError('actionAlreadyDone', { number: recordLabel(action) });
  // A new record in its place, never a change in place (see storedRecords.ts).
  const done: ActionItem = { ...action, status: 'done', doneAt: now, doneBy: copyPerson(actor) };
  series.actions = series.actions.map((a) => (a === action ? done : a));
  return done;
}

export function openActions(series: Series): ActionItem[] {
  return series.actions.filter((a) => a.status === 'open');
}

/** Whether an action belongs to a closed (besloten) item of its meeting: only chair and secretary see it. */
export function isClosedAction(series: Series, action: ActionItem): boolean {
  if (action.closedSeries) return true;
  const meeting = series.meetings.find((m) => m.id === action.meetingId);
  return meeting?.agenda.find((i) => i.id === action.itemId)?.closed ?? false;
}

// ---- closing ----

export function close(series: Series, actor: Person, now: string): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  leave(currentItem(meeting), now);
  meeting.status = 'closed';
  meeting.closedAt = now;
  if (meeting.clockSource?.end !== 'teams') {
    meeting.endedAt = now;
    meeting.clockSource = { ...meeting.clockSource, end: 'bot' };
  }
  return meeting;
}

/** Reopens the meeting closed last, unless its minutes are adopted or another meeting is being held. */
export function reopen(series: Series, actor: Person, now: string): Meeting {
  const meeting = heldMeeting(series);
  if (!meeting) throw new DomainError('nothingToReopen');
  requireChairOrSecretary(meeting, actor);
  const running = runningMeeting(series);
  if (running) throw new DomainError('otherRunning', { date: running.date });
  meeting.status = meeting.currentItemId ? 'running' : 'planned';
  meeting.closedAt = undefined;
  if (meeting.status === 'running') enter(currentItem(meeting), now);
  if (meeting.clockSource?.end === 'bot') {
    meeting.endedAt = undefined;
    delete meeting.clockSource.end;
  }
  return meeting;
}

/** Teams' meeting start/end events: the actual times, whoever the sender is. They win over `start` and `sluiten`. */
export function recordMeetingEvent(series: Series, event: 'start' | 'end', at: string): Meeting | undefined {
  const closed = series.meetings.filter((m) => m.status === 'closed');
  const meeting =
    event === 'start'
      ? (runningMeeting(series) ?? currentMeeting(series))
      : (runningMeeting(series) ?? closed[closed.length - 1] ?? currentMeeting(series));
  if (!meeting) return undefined;
  if (event === 'start') meeting.startedAt = at;
  else meeting.endedAt = at;
  meeting.clockSource = { ...meeting.clockSource, [event]: 'teams' };
  return meeting;
}

/** A decision's key in registers (SharePoint lists): unique within the chat's meetings, stable. */
export function decisionKey(meeting: Meeting, decision: Decision): string {
  return `${meeting.date}/${recordLabel(decision)}`;
}
