// Correcting the record: `wijzig <soort> <n>: …` and `verwijder <soort> <n>`. A record keeps its number;
// a removed one leaves its number unused. Chair and secretary correct anything, a member their own
// announcement or round question. Every change is logged with the meeting (who, when, before, after)
// for the secretary's draft page; once the minutes are adopted they are final.
import { shortDate } from './dates';
import { DomainError } from './errors';
import {
  copyPerson,
  cleanName,
  cleanText,
  currentMeeting,
  findAction,
  heldMeeting,
  matchesLabel,
  recordLabel,
  requireNotAdopted,
  requireTextWithinCap,
  roleOf,
  runningMeeting,
  sameUser,
} from './operations';
import { outcomeWord } from './outcomes';
import type { ActionItem, Contribution, Decision, Meeting, Note, Outcome, Person, RecordKind, Series } from './types';

export type RecordEdit =
  | { kind: 'decision'; text: string; outcome?: Outcome }
  | { kind: 'note'; text: string }
  | { kind: 'announcement' | 'question'; text: string; onBehalfOf?: string }
  | { kind: 'action'; text: string; owner?: string; ownerUser?: Person; due?: string };

export interface Correction {
  kind: RecordKind;
  label: string;
  /** Absent: remove the record. */
  edit?: RecordEdit;
}

type Found =
  | { kind: 'decision'; meeting: Meeting; record: Decision }
  | { kind: 'note'; meeting: Meeting; record: Note }
  | { kind: 'announcement' | 'question'; meeting: Meeting; record: Contribution }
  | { kind: 'action'; meeting: Meeting; record: ActionItem };

function findIn(series: Series, meeting: Meeting, kind: RecordKind, label: string): Found | undefined {
  switch (kind) {
    case 'decision': {
      const record = meeting.decisions.find((d) => matchesLabel(d, label));
      return record && { kind, meeting, record };
    }
    case 'note': {
      const record = meeting.agenda.flatMap((i) => i.notes).find((n) => matchesLabel(n, label));
      return record && { kind, meeting, record };
    }
    case 'announcement':
    case 'question': {
      const record = (kind === 'announcement' ? meeting.announcements : meeting.questions).find((c) => matchesLabel(c, label));
      return record && { kind, meeting, record };
    }
    case 'action': {
      const record = series.actions.find((a) => a.meetingId === meeting.id && matchesLabel(a, label));
      return record && { kind, meeting, record };
    }
  }
}

/**
 * The record a correction names. Without a meeting from a card: the meeting being held, else the
 * meeting about to be held, else the held one whose minutes are not adopted, the first that has it.
 * Actions are numbered per chat, so they are found wherever they are.
 */
function locate(series: Series, c: Correction, meetingId?: string): Found {
  if (c.kind === 'action' && !meetingId) {
    const record = findAction(series, c.label);
    const meeting = series.meetings.find((m) => m.id === record.meetingId);
    if (meeting) return { kind: 'action', meeting, record };
  }
  const candidates = meetingId
    ? series.meetings.filter((m) => m.id === meetingId)
    : [runningMeeting(series), currentMeeting(series), heldMeeting(series)].filter((m): m is Meeting => !!m);
  for (const meeting of candidates) {
    const found = findIn(series, meeting, c.kind, c.label);
    if (found) return found;
  }
  throw new DomainError('unknownRecord', { kind: c.kind, number: c.label.slice(0, 12) });
}

function describe(found: Found): string {
  switch (found.kind) {
    case 'decision':
      return `${found.record.text}${found.record.outcome ? ` [${outcomeWord(found.record.outcome)}]` : ''}`;
    case 'note':
      return found.record.text;
    case 'announcement':
    case 'question':
      return `${found.record.author}: ${found.record.text}`;
    case 'action':
      return `${found.record.owner}: ${found.record.text}${found.record.due ? ` [voor ${shortDate(found.record.due)}]` : ''}`;
  }
}

function mayCorrect(found: Found, actor: Person): boolean {
  if (roleOf(found.meeting, actor) !== 'member') return true;
  return (found.kind === 'announcement' || found.kind === 'question') && sameUser(found.record.by, actor);
}

export interface CorrectionResult {
  meeting: Meeting;
  kind: RecordKind;
  label: string;
  removed: boolean;
}

export function correctRecord(series: Series, actor: Person, c: Correction, now: string, meetingId?: string): CorrectionResult {
  const found = locate(series, c, meetingId);
  if (!mayCorrect(found, actor))
    throw new DomainError(
      found.kind === 'announcement' || found.kind === 'question' ? 'onlyChairSecretaryOrAuthor' : 'onlyChairOrSecretary',
    );
  requireNotAdopted(found.meeting);
  const before = describe(found);
  const label = recordLabel(found.record);
  if (!c.edit) remove(series, found);
  else apply(series, found, c.edit);
  const after = c.edit ? describe(found) : undefined;
  if (after !== before)
    (found.meeting.changes ??= []).push({
      at: now,
      by: copyPerson(actor),
      kind: found.kind,
      label,
      change: c.edit ? 'edited' : 'removed',
      before,
      after,
    });
  // An edit may not grow the meeting past its text cap (a removal makes room, and is never refused).
  if (c.edit) requireTextWithinCap(series, found.meeting);
  return { meeting: found.meeting, kind: found.kind, label, removed: !c.edit };
}

function remove(series: Series, found: Found): void {
  const m = found.meeting;
  switch (found.kind) {
    case 'decision':
      m.decisions = m.decisions.filter((d) => d !== found.record);
      return;
    case 'note':
      for (const item of m.agenda) item.notes = item.notes.filter((n) => n !== found.record);
      return;
    case 'announcement':
      m.announcements = m.announcements.filter((x) => x !== found.record);
      return;
    case 'question':
      m.questions = m.questions.filter((x) => x !== found.record);
      return;
    case 'action':
      series.actions = series.actions.filter((a) => a !== found.record);
      return;
  }
}

/**
 * The record as edited, in its place. Records are never changed in place (they may be shared by every
 * read of the stored list; see storedRecords.ts): the edited copy replaces the record in its list.
 */
function apply(series: Series, found: Found, edit: RecordEdit): void {
  if (edit.kind !== found.kind && !(found.kind === 'question' && edit.kind === 'announcement'))
    throw new DomainError('unknownRecord', { kind: found.kind, number: recordLabel(found.record) });
  const m = found.meeting;
  const swap = <R>(list: R[], next: R): R[] => list.map((r) => (r === (found.record as unknown) ? next : r));
  switch (found.kind) {
    case 'decision': {
      const e = edit as Extract<RecordEdit, { kind: 'decision' }>;
      const next = { ...found.record, text: cleanText(e.text, 'decision'), ...(e.outcome ? { outcome: e.outcome } : {}) };
      m.decisions = swap(m.decisions, next);
      found.record = next;
      return;
    }
    case 'note': {
      const next = { ...found.record, text: cleanText(edit.text, 'note') };
      for (const item of m.agenda) if (item.notes.includes(found.record)) item.notes = swap(item.notes, next);
      found.record = next;
      return;
    }
    case 'announcement':
    case 'question': {
      const e = edit as Extract<RecordEdit, { kind: 'announcement' | 'question' }>;
      const next = {
        ...found.record,
        text: cleanText(e.text, found.kind),
        ...(e.onBehalfOf !== undefined ? { author: cleanName(e.onBehalfOf, 'onBehalfOf') } : {}),
      };
      if (found.kind === 'announcement') m.announcements = swap(m.announcements, next);
      else m.questions = swap(m.questions, next);
      found.record = next;
      return;
    }
    case 'action': {
      const e = edit as Extract<RecordEdit, { kind: 'action' }>;
      const next: ActionItem = { ...found.record, text: cleanText(e.text, 'action') };
      if (e.owner !== undefined) {
        next.owner = cleanName(e.owner, 'owner');
        next.ownerUser = e.ownerUser ? { ...e.ownerUser } : undefined;
      }
      if (e.due !== undefined) next.due = e.due;
      series.actions = swap(series.actions, next);
      found.record = next;
      return;
    }
  }
}
