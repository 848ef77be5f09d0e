// What every handler uses: run one change on the conversation's series (refusing a card of another
// meeting inside the same write), and the answer shape the router turns into replies or a click's card.
import type { BannerStyle } from '../../cards/cards';
import type { AdaptiveCard } from '../../cards/render';
import type { CardKind } from '../../cards/verbs';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Meeting, Series } from '../../services/meeting/types';
import type { Effect, Reply, Services, Turn } from './types';

/**
 * What a handler decides: one sentence saying what happened (a typed command's reply, a click's
 * banner), what to perform after the turn, and, where a sentence is not enough, the replies to post
 * for a typed command or the card to answer a click with.
 */
export interface Answer {
  text?: string;
  style?: BannerStyle;
  effects?: Effect[];
  /** Typed: post these instead of `text` alone. */
  replies?: Reply[];
  /** Click: answer with this card instead of the clicked card with the banner. */
  card?: AdaptiveCard;
  /** Click: answer with this kind of card (in the clicker's view) instead of the clicked kind. */
  answerWith?: CardKind;
  /** The meeting the answer is about, when the click's card was made before it (a plan form). */
  meetingId?: string;
}

/**
 * A card carries the id of the meeting it was made for. It may only act on that meeting, in this
 * conversation: a card replayed from another chat or tenant, or from an earlier meeting, is refused.
 */
export function assertCardMeeting(series: Series, cardMeetingId: string | undefined, acting?: Meeting): void {
  if (cardMeetingId === undefined) return;
  const meeting = acting ?? series.meetings.find((m) => m.id === cardMeetingId);
  if (!meeting) throw new DomainError(series.meetings.length ? 'staleCard' : 'noMeeting');
  if (meeting.id !== cardMeetingId) throw new DomainError('staleCard');
}

function meetingOf(value: unknown): Meeting | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if ('agenda' in value && 'secretary' in value) return value as Meeting;
  const m = (value as { meeting?: unknown }).meeting;
  return m && typeof m === 'object' && 'agenda' in m ? (m as Meeting) : undefined;
}

/**
 * Applies one change and answers from the state it left. The change names the meeting it acted on
 * (a Meeting, or an object with `meeting`); a card made for another meeting is refused in the same
 * write, so nothing of it is stored. The meeting's live cards are refreshed when something changed.
 */
export async function withMeeting<R>(
  turn: Turn,
  svc: Services,
  change: (series: Series, now: string) => R,
  respond: (series: Series, meeting: Meeting, result: R) => Answer,
): Promise<Answer> {
  const { series, result, changed } = await svc.meetings.update(turn.tenantId, turn.conversationId, (series, now) => {
    const r = change(series, now);
    const acting = meetingOf(r) ?? ops.currentMeeting(series);
    assertCardMeeting(series, turn.cardMeetingId, acting);
    return r;
  });
  const meeting = meetingOf(result) ?? ops.minutesMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  const answer = respond(series, meeting, result);
  if (changed) {
    const { agendaCardId, meetingCardIds, itemCard } = meeting;
    (answer.effects ??= []).unshift({ kind: 'cardsChanged', meetingId: meeting.id, cards: { agendaCardId, meetingCardIds, itemCard } });
  }
  return answer;
}
