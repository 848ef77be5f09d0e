// Every change to a meeting, as a function on a Series that was just read from the store. Each checks
// who may do it and what is valid first and throws a DomainError before changing anything, so a refused
// or invalid command never leaves half a change behind.
import { randomUUID } from 'node:crypto';
import { AgendaLine, stepIndex } from './agenda';
import { DomainError } from './errors';
import type { ActionItem, AgendaItem, Contribution, Decision, Meeting, Outcome, Person, Proposal, Series } from './types';

export const MAX_TEXT = 4000;
export const MAX_NAMES = 200;

export type Role = 'secretary' | 'chair' | 'member';

export function newSeries(tenantId: string, conversationId: string): Series {
  return { tenantId, conversationId, meetings: [], actions: [], nextActionNumber: 1 };
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

/** "The meeting": the newest one that is not closed. */
export function currentMeeting(series: Series): Meeting | undefined {
  for (let i = series.meetings.length - 1; i >= 0; i--) if (series.meetings[i]!.status !== 'closed') return series.meetings[i];
  return undefined;
}

/** The meeting the minutes commands are about: the current one, else the newest (closed) one. */
export function minutesMeeting(series: Series): Meeting | undefined {
  return currentMeeting(series) ?? series.meetings[series.meetings.length - 1];
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

export function requireMeeting(series: Series): Meeting {
  const meeting = currentMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  return meeting;
}

export function requireChairOrSecretary(meeting: Meeting, actor: Person): void {
  if (roleOf(meeting, actor) === 'member') throw new DomainError('onlyChairOrSecretary');
}

export function requireSecretary(meeting: Meeting, actor: Person): void {
  if (roleOf(meeting, actor) !== 'secretary') throw new DomainError('onlySecretary');
}

function requireOpen(meeting: Meeting): void {
  if (meeting.status === 'closed') throw new DomainError('meetingClosed');
}

export function cleanText(text: string | undefined, field = 'text', max = MAX_TEXT): string {
  const value = (text ?? '').replace(/\r\n?/g, '\n').trim();
  if (!value) throw new DomainError('emptyText', { field });
  if (value.length > max) throw new DomainError('tooLong', { field, max });
  return value;
}

function cleanName(name: string | undefined, field: string): string {
  const value = cleanText(name, field, 200).replace(/\s+/g, ' ');
  return value;
}

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

export function planMeeting(series: Series, actor: Person, input: MeetingInput, now: string): Meeting {
  const open = currentMeeting(series);
  // Anyone may plan a meeting, but nobody may take over a chat whose meeting is still open.
  if (open && roleOf(open, actor) === 'member') throw new DomainError('meetingOpen', { title: open.title, date: open.date });
  if (input.members.length > MAX_NAMES) throw new DomainError('tooMany', { max: MAX_NAMES });
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
    secretary: { ...actor },
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
  return meeting;
}

export function setChair(series: Series, actor: Person, chair: Person): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  requireOpen(meeting);
  if (!meeting.chairs.some((c) => sameUser(c, chair))) meeting.chairs.push({ ...chair });
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
      closed: line.closed || old?.proposal?.public === false,
      portfolioHolder: line.portfolioHolder ?? old?.portfolioHolder,
      attachments: line.attachments.length ? line.attachments : (old?.attachments ?? []),
      proposal: old?.proposal,
      notes: old?.notes ?? [],
      previousMinutesOf: old?.previousMinutesOf,
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
  const linked = agenda.find((i) => i.previousMinutesOf === previous.id) ?? agenda.find((i) => i.kind === 'previousMinutes');
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
    title: 'Besluitenlijst vorige vergadering',
    kind: 'previousMinutes',
    closed: false,
    attachments: [],
    notes: [],
    previousMinutesOf: previous.id,
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

export function start(series: Series, actor: Person, now: string): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  if (meeting.agenda.length === 0) throw new DomainError('noAgenda');
  if (meeting.status === 'planned') {
    meeting.status = 'running';
    meeting.currentItemId = meeting.agenda[stepIndex(meeting.agenda, -1, 1)]!.id;
    meeting.startedAt ??= now;
  }
  return meeting;
}

export type Move = { to: 'next' } | { to: 'previous' } | { to: 'item'; code: string } | { to: 'itemId'; itemId: string };

export function move(series: Series, actor: Person, target: Move): AgendaItem {
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
  meeting.currentItemId = next.id;
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

/** afmelden: anyone sends their own apologies. */
export function sendApologies(series: Series, actor: Person): Meeting {
  const meeting = requireMeeting(series);
  markAttendance(meeting, cleanName(actor.name, 'name'), 'absent', true);
  return meeting;
}

/** "Ik ben aanwezig": anyone records themselves present. */
export function markSelfPresent(series: Series, actor: Person): Meeting {
  const meeting = requireMeeting(series);
  markAttendance(meeting, cleanName(actor.name, 'name'), 'present', false);
  return meeting;
}

export function addContribution(
  series: Series,
  actor: Person,
  kind: 'announcement' | 'question',
  text: string,
  onBehalfOf: string | undefined,
  now: string,
): Contribution {
  const meeting = requireMeeting(series);
  const author = onBehalfOf !== undefined ? cleanName(onBehalfOf, 'onBehalfOf') : actor.name;
  const value = cleanText(text, kind);
  const contribution: Contribution = { id: meeting.nextContributionId++, author, text: value, by: { ...actor }, at: now };
  (kind === 'announcement' ? meeting.announcements : meeting.questions).push(contribution);
  return contribution;
}

export function addNote(series: Series, actor: Person, text: string, code: string | undefined, now: string): AgendaItem {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  const value = cleanText(text, 'note');
  const item = recordItem(meeting, code);
  item.notes.push({ text: value, by: { ...actor }, at: now });
  return item;
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
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  const value = cleanText(text, 'decision');
  const item = recordItem(meeting, code);
  const decision: Decision = { number: meeting.nextDecisionNumber++, itemId: item.id, text: value, outcome, by: { ...actor }, at: now };
  meeting.decisions.push(decision);
  let adoptedMeetingId: string | undefined;
  if (outcome === 'adopted' && item.kind === 'previousMinutes' && item.previousMinutesOf) {
    const previous = series.meetings.find((m) => m.id === item.previousMinutesOf);
    if (previous) {
      previous.minutes.status = 'adopted';
      previous.minutes.adoptedOn = meeting.date;
      previous.minutes.adoptedInMeetingId = meeting.id;
      adoptedMeetingId = previous.id;
    }
  }
  return { decision, item, adoptedMeetingId };
}

export interface ActionInput {
  owner: string;
  ownerUser?: Person;
  text: string;
  due?: string;
  code?: string;
}

export function addAction(series: Series, actor: Person, input: ActionInput, now: string): ActionItem {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  const owner = cleanName(input.owner, 'owner');
  const text = cleanText(input.text, 'action');
  const item = recordItem(meeting, input.code);
  const action: ActionItem = {
    number: series.nextActionNumber++,
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

export function completeAction(series: Series, actor: Person, number: number, now: string): ActionItem {
  const action = series.actions.find((a) => a.number === number);
  if (!action) throw new DomainError('unknownAction', { number });
  const ownMeeting = series.meetings.find((m) => m.id === action.meetingId);
  const allowed =
    roleOf(currentMeeting(series), actor) !== 'member' ||
    roleOf(ownMeeting, actor) !== 'member' ||
    (action.ownerUser !== undefined && sameUser(action.ownerUser, actor));
  if (!allowed) throw new DomainError('onlyChairSecretaryOrOwner');
  if (action.status === 'done') throw new DomainError('actionAlreadyDone', { number });
  action.status = 'done';
  action.doneAt = now;
  action.doneBy = { ...actor };
  return action;
}

export function openActions(series: Series): ActionItem[] {
  return series.actions.filter((a) => a.status === 'open');
}

export function close(series: Series, actor: Person, now: string): Meeting {
  const meeting = requireMeeting(series);
  requireChairOrSecretary(meeting, actor);
  meeting.status = 'closed';
  meeting.closedAt = now;
  return meeting;
}

export function reopen(series: Series, actor: Person): Meeting {
  const meeting = series.meetings[series.meetings.length - 1];
  if (!meeting || meeting.status !== 'closed') throw new DomainError('nothingToReopen');
  requireChairOrSecretary(meeting, actor);
  meeting.status = meeting.currentItemId ? 'running' : 'planned';
  meeting.closedAt = undefined;
  return meeting;
}

/** Teams' meeting start/end events: the actual times, whoever the sender is. */
export function recordMeetingEvent(series: Series, event: 'start' | 'end', at: string): Meeting | undefined {
  const meeting = currentMeeting(series) ?? minutesMeeting(series);
  if (!meeting) return undefined;
  if (event === 'start') meeting.startedAt = at;
  else meeting.endedAt = at;
  return meeting;
}

export function decisionKey(meeting: Meeting, decision: Decision): string {
  return `${meeting.date}/${decision.number}`;
}
