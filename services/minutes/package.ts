// Builds what a publisher writes for one meeting: the public document always, the closed (besloten)
// document only when the meeting has closed items, and the records for the decision and action lists.
import { createHash } from 'node:crypto';
import { decisionKey, recordLabel } from '../meeting/operations';
import type { ActionItem, Meeting, Series } from '../meeting/types';
import { renderDocx } from './docx';
import { actionIsClosed, findMeeting, listedActions, minutesModel, minutesParts, type MinutesPart } from './model';
import type { MinutesFile, MinutesPackage, PublishedAction, PublishedDecision } from './publisher';

const MAX_TITLE_LENGTH = 80;

/**
 * Makes a meeting title usable in a file name on Windows and in SharePoint: no reserved or control
 * characters, no runs of spaces, no trailing dots, at most ~80 characters.
 */
export function safeFileTitle(title: string): string {
  const cleaned = title
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|#%\u0000-\u001F\u007F]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = cleaned.length > MAX_TITLE_LENGTH ? cleaned.slice(0, MAX_TITLE_LENGTH) : cleaned;
  // Windows drops trailing dots and spaces, which would make two names collide.
  const trimmed = cut.replace(/[\s.]+$/, '').replace(/^[\s.]+/, '');
  return trimmed || 'Besluitenlijst';
}

export function minutesFileName(meeting: Pick<Meeting, 'date' | 'title'>, part: MinutesPart): string {
  return `${meeting.date} ${safeFileTitle(meeting.title)} ${part}.docx`;
}

async function minutesFile(series: Series, meeting: Meeting, part: MinutesPart): Promise<MinutesFile> {
  const content = await renderDocx(minutesModel(series, meeting.id, part));
  return { name: minutesFileName(meeting, part), part, content };
}

function publishedDecisions(meeting: Meeting): PublishedDecision[] {
  const decisions: PublishedDecision[] = [];
  for (const decision of [...meeting.decisions].sort((a, b) => a.number - b.number)) {
    const item = meeting.agenda.find((i) => i.id === decision.itemId);
    // A decision whose item was removed from the agenda is in neither document, so it is not listed.
    if (!item) continue;
    decisions.push({
      key: decisionKey(meeting, decision),
      itemCode: item.code,
      itemTitle: item.title,
      text: decision.text,
      outcome: decision.outcome,
      closed: item.closed,
    });
  }
  return decisions;
}

/**
 * A series' id for published records (MinutesPackage.seriesId): stable for the chat, the same in every
 * process, and opaque. 16 base64url characters are 96 bits: no two chats collide in practice.
 */
export function seriesIdOf(tenantId: string, conversationId: string): string {
  // JSON keeps the two parts apart ("a" + "bc" is not "ab" + "c").
  return createHash('sha256')
    .update(JSON.stringify([tenantId, conversationId]))
    .digest('base64url')
    .slice(0, 16);
}

function publishedAction(series: Series, seriesId: string, action: ActionItem): PublishedAction {
  return {
    key: `${seriesId}/actie/${recordLabel(action)}`,
    number: action.number,
    label: recordLabel(action),
    itemCode: action.itemCode,
    text: action.text,
    owner: action.owner,
    due: action.due,
    status: action.status,
    closed: actionIsClosed(series, action),
  };
}

export async function buildMinutesPackage(series: Series, meetingId: string): Promise<MinutesPackage> {
  const meeting = findMeeting(series, meetingId);
  const parts = minutesParts(meeting);
  const files = await Promise.all(parts.map((part) => minutesFile(series, meeting, part)));
  const actions = parts.flatMap((part) => listedActions(series, meetingId, part)).sort((a, b) => a.number - b.number);
  const seriesId = seriesIdOf(series.tenantId, series.conversationId);
  return {
    meetingId: meeting.id,
    seriesId,
    meetingDate: meeting.date,
    body: meeting.title,
    status: meeting.minutes.status,
    adoptedOn: meeting.minutes.adoptedOn,
    files,
    decisions: publishedDecisions(meeting),
    actions: actions.map((action) => publishedAction(series, seriesId, action)),
  };
}
