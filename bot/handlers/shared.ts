// Helpers every handler uses: run one change on the conversation's series, check a card belongs to it.
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Meeting, Person, Series } from '../../services/meeting/types';
import type { Services, Turn, TurnResult } from './types';

export function isChairView(meeting: Meeting | undefined, actor: Person): boolean {
  return ops.roleOf(meeting, actor) !== 'member';
}

/**
 * A card carries the id of the meeting it was made for. It may only act on that meeting, in this
 * conversation: a card replayed from another chat or tenant, or from an earlier meeting, is refused.
 */
export function assertCardMeeting(series: Series, cardMeetingId: string | undefined, current = true): void {
  if (cardMeetingId === undefined) return;
  const meeting = current ? ops.currentMeeting(series) : series.meetings.find((m) => m.id === cardMeetingId);
  if (!meeting) throw new DomainError(series.meetings.length ? 'staleCard' : 'noMeeting');
  if (meeting.id !== cardMeetingId) throw new DomainError('staleCard');
}

function isMeeting(value: unknown): value is Meeting {
  return !!value && typeof value === 'object' && 'agenda' in value && 'secretary' in value;
}

/** Applies one change and builds the answer from the state it left; the changed meeting's cards are refreshed. */
export async function withMeeting<R>(
  turn: Turn,
  svc: Services,
  change: (series: Series, now: string) => R,
  respond: (series: Series, meeting: Meeting, result: R) => TurnResult,
): Promise<TurnResult> {
  const { series, result, changed } = await svc.meetings.update(turn.tenantId, turn.conversationId, change);
  const meeting = isMeeting(result) ? result : ops.minutesMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  const answer = respond(series, meeting, result);
  if (changed) answer.changedMeetingId ??= meeting.id;
  return answer;
}
