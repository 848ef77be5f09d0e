// The field mapping: what the SharePoint publisher writes in the library's columns for each document and
// in the list columns for each decision and action (see sharePointColumns.ts for the columns).
import { outcomeWord } from '../meeting/outcomes';
import type { MinutesFile, MinutesPackage, PublishedAction, PublishedDecision } from './publisher';
import { ACTION_FIELDS, DECISION_FIELDS, LIBRARY_FIELDS } from './sharePointColumns';

/** SharePoint keeps a date-only value as an instant; noon UTC is the same calendar day in every site zone. */
function dateValue(date: string): string {
  return `${date}T12:00:00Z`;
}

export function libraryFields(pkg: MinutesPackage, file: MinutesFile): Record<string, unknown> {
  // Each document holds the decisions of its own part: the public one none of a closed item, the closed one only those.
  const decisions = pkg.decisions.filter((d) => d.closed === (file.part === 'besloten'));
  return {
    [LIBRARY_FIELDS.meeting]: pkg.body,
    [LIBRARY_FIELDS.meetingDate]: dateValue(pkg.meetingDate),
    [LIBRARY_FIELDS.status]: pkg.status === 'adopted' ? 'vastgesteld' : 'concept',
    [LIBRARY_FIELDS.publicity]: file.part,
    [LIBRARY_FIELDS.decisionCount]: decisions.length,
    [LIBRARY_FIELDS.meetingId]: pkg.meetingId,
  };
}

export function decisionFields(pkg: MinutesPackage, d: PublishedDecision): Record<string, unknown> {
  return {
    [DECISION_FIELDS.title]: d.key,
    [DECISION_FIELDS.key]: `${pkg.meetingId}/${d.key}`,
    [DECISION_FIELDS.text]: d.text,
    // One outcome, one word: the same as the minutes, the cards and the tag the chair typed.
    [DECISION_FIELDS.outcome]: d.outcome ? outcomeWord(d.outcome) : null,
    [DECISION_FIELDS.itemCode]: d.itemCode,
    [DECISION_FIELDS.itemTitle]: d.itemTitle,
    [DECISION_FIELDS.meeting]: pkg.body,
    [DECISION_FIELDS.meetingDate]: dateValue(pkg.meetingDate),
    [DECISION_FIELDS.publicity]: d.closed ? 'besloten' : 'openbaar',
  };
}

export function actionFields(pkg: MinutesPackage, a: PublishedAction): Record<string, unknown> {
  return {
    [ACTION_FIELDS.title]: `Actie ${a.label}`,
    // Actions carry over from meeting to meeting: the key names the series (chat), not the meeting.
    [ACTION_FIELDS.key]: a.key,
    [ACTION_FIELDS.text]: a.text,
    [ACTION_FIELDS.owner]: a.owner,
    [ACTION_FIELDS.due]: a.due ? dateValue(a.due) : null,
    [ACTION_FIELDS.status]: a.status === 'done' ? 'gereed' : 'open',
    [ACTION_FIELDS.itemCode]: a.itemCode,
    [ACTION_FIELDS.meeting]: pkg.body,
    [ACTION_FIELDS.meetingDate]: dateValue(pkg.meetingDate),
    [ACTION_FIELDS.publicity]: a.closed ? 'besloten' : 'openbaar',
  };
}

/** A create leaves absent values out; an update sends null to clear them. */
export function withoutEmpty(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined));
}
