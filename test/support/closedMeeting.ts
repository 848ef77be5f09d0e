// The seed meeting with a closed (besloten) item on it, and the same meetings held in another chat: the
// fixtures of the tests about what the closed part is, and where it may and may not go.
import type { AgendaItem, Series } from '../../services/meeting/types';
import { OCTOBER_MEETING_ID, SECRETARY, seedSeries } from './seedMeeting';

export const SECRET_PHRASE = 'Zwaluwstaart-7319 reorganisatie korpsleiding';
export const SECRET_TITLE = 'Personele aangelegenheid korpschef';
export const SECRET_DECISION = 'Het DVO besluit tot vertrouwelijke voordracht';
export const SECRET_ACTION = 'Voordracht vertrouwelijk afstemmen met de burgemeester';

/** Every text of the closed item: none may show in anything public. */
export const CLOSED_TEXTS = [SECRET_PHRASE, SECRET_TITLE, SECRET_DECISION, SECRET_ACTION, 'Vertrouwelijke notitie'];

export function closedItem(): AgendaItem {
  return {
    id: 'g',
    code: 'G',
    title: SECRET_TITLE,
    kind: 'discussion',
    closed: true,
    attachments: [{ title: 'Vertrouwelijke notitie' }],
    notes: [{ text: `Besproken: ${SECRET_PHRASE}.`, by: SECRETARY, at: '2016-10-10T11:50:00.000Z' }],
  };
}

/** The seed meeting with a closed item before the closing, with a decision and an action on it. */
export function seriesWithClosedItem(): Series {
  const series = seedSeries();
  const meeting = series.meetings[1];
  meeting.agenda.splice(meeting.agenda.length - 1, 0, closedItem());
  meeting.decisions.push({
    number: 4,
    itemId: 'g',
    text: SECRET_DECISION,
    outcome: 'agreed',
    by: SECRETARY,
    at: '2016-10-10T11:52:00.000Z',
  });
  series.actions.push({
    number: 4,
    meetingId: OCTOBER_MEETING_ID,
    itemId: 'g',
    itemCode: 'G',
    owner: 'O. van Veldhuizen',
    text: SECRET_ACTION,
    status: 'open',
    createdAt: '2016-10-10T11:55:00.000Z',
  });
  series.nextActionNumber = 5;
  return series;
}

/** The seed's meetings held in another chat: the same titles and dates, other meeting and chat ids. */
export function otherChatSeries(): Series {
  const series = seedSeries();
  series.conversationId = '19:dvo-twente-tweede@thread.v2';
  const other = (id: string): string => `${id}-tweede`;
  for (const meeting of series.meetings) {
    meeting.id = other(meeting.id);
    for (const item of meeting.agenda) if (item.previousMinutesOf) item.previousMinutesOf = other(item.previousMinutesOf);
    if (meeting.minutes.adoptedInMeetingId) meeting.minutes.adoptedInMeetingId = other(meeting.minutes.adoptedInMeetingId);
  }
  for (const action of series.actions) action.meetingId = other(action.meetingId);
  return series;
}
