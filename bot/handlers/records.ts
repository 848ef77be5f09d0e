// What gets recorded during a meeting: attendance, announcements, round questions, notes, decisions and
// action items; and the views that show them (agenda, action list).
import { actionsCard, agendaCard, Banner, itemCard } from '../../cards/cards';
import { longDate, parseDate } from '../../services/meeting/dates';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { AgendaItem, Meeting, Series } from '../../services/meeting/types';
import type { Command } from '../commands';
import { assertCardMeeting, isChairView, withMeeting } from './shared';
import type { Services, Turn, TurnResult } from './types';

const good = (text: string): Banner => ({ text, style: 'good' });

/** The answer to a record made from a card: the card it was made on, with a confirmation. */
function recordAnswer(turn: Turn, series: Series, meeting: Meeting, text: string, item?: AgendaItem): TurnResult {
  const chairView = isChairView(meeting, turn.actor);
  const invokeCard =
    turn.card === 'item' && item
      ? itemCard(turn.s, series, meeting, item, { chairView, banner: good(text) })
      : agendaCard(turn.s, series, meeting, { chairView, banner: good(text) });
  return {
    replies: [{ text }],
    invokeCard,
    itemShown: turn.card === 'item' && item ? { meetingId: meeting.id, itemId: item.id } : undefined,
  };
}

function codeOf(series: Series, itemId: string | undefined, code: string | undefined): string | undefined {
  if (!itemId) return code;
  const item = ops.requireMeeting(series).agenda.find((i) => i.id === itemId);
  if (!item) throw new DomainError('staleCard');
  return item.code;
}

export async function showAgenda(turn: Turn, page: number | undefined, svc: Services): Promise<TurnResult> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId, turn.cardMeetingId);
  assertCardMeeting(series, turn.cardMeetingId, false);
  const meeting = (turn.cardMeetingId && series.meetings.find((m) => m.id === turn.cardMeetingId)) || ops.minutesMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  const chairView = isChairView(meeting, turn.actor);
  const card = agendaCard(turn.s, series, meeting, { chairView, page, canPublish: ops.roleOf(meeting, turn.actor) === 'secretary' });
  // A typed "agenda" posts a fresh live card at the bottom of the chat; a click answers in place.
  return turn.isInvoke || page !== undefined
    ? { replies: [{ card }], invokeCard: card }
    : { replies: [], invokeCard: card, postAgendaCard: { meetingId: meeting.id } };
}

export async function attendance(turn: Turn, cmd: Extract<Command, { kind: 'attendance' }>, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.recordAttendance(series, turn.actor, cmd.which, cmd.names);
    },
    (series, meeting) =>
      recordAnswer(
        turn,
        series,
        meeting,
        cmd.which === 'present' ? turn.s.done.present(cmd.names.length) : turn.s.done.absent(cmd.names.length),
      ),
  );
}

export async function apologies(turn: Turn, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.sendApologies(series, turn.actor);
    },
    (series, meeting) => recordAnswer(turn, series, meeting, turn.s.done.apologies(turn.actor.name)),
  );
}

export async function selfPresent(turn: Turn, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.markSelfPresent(series, turn.actor);
    },
    (series, meeting) => recordAnswer(turn, series, meeting, turn.s.done.selfPresent(turn.actor.name)),
  );
}

export async function contribution(
  turn: Turn,
  cmd: Extract<Command, { kind: 'announcement' | 'question' }>,
  svc: Services,
): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.addContribution(series, turn.actor, cmd.kind, cmd.text, cmd.onBehalfOf, now);
    },
    (series, meeting, c) =>
      recordAnswer(
        turn,
        series,
        meeting,
        cmd.kind === 'announcement' ? turn.s.done.announcement(c.author) : turn.s.done.question(c.author),
      ),
  );
}

export async function note(turn: Turn, cmd: Extract<Command, { kind: 'note' }>, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.addNote(series, turn.actor, cmd.text, codeOf(series, cmd.itemId, cmd.code), now);
    },
    (series, meeting, item) => recordAnswer(turn, series, meeting, turn.s.done.note(item.code), item),
  );
}

export async function decision(turn: Turn, cmd: Extract<Command, { kind: 'decision' }>, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.addDecision(series, turn.actor, cmd.text, cmd.outcome, codeOf(series, cmd.itemId, cmd.code), now);
    },
    (series, meeting, r) => {
      let text = turn.s.done.decision(ops.decisionKey(meeting, r.decision), r.item.code);
      const adopted = r.adoptedMeetingId && series.meetings.find((m) => m.id === r.adoptedMeetingId);
      if (adopted) text += `\n${turn.s.done.adopted(longDate(adopted.date, turn.s.lang))}`;
      const answer = recordAnswer(turn, series, meeting, text, r.item);
      // Adopted minutes that were published before are published again with their new status.
      if (adopted && adopted.minutes.publication) answer.republishMeetingId = adopted.id;
      return answer;
    },
  );
}

export async function action(turn: Turn, cmd: Extract<Command, { kind: 'action' }>, svc: Services): Promise<TurnResult> {
  const due = cmd.due ? parseDate(cmd.due) : undefined;
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.addAction(
        series,
        turn.actor,
        { owner: cmd.owner, ownerUser: cmd.ownerUser, text: cmd.text, due, code: codeOf(series, cmd.itemId, cmd.code) },
        now,
      );
    },
    (series, meeting, a) => {
      const item = meeting.agenda.find((i) => i.id === a.itemId);
      return recordAnswer(turn, series, meeting, turn.s.done.action(a.number, a.owner), item);
    },
  );
}

export async function listActions(turn: Turn, svc: Services): Promise<TurnResult> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  const card = actionsCard(turn.s, series);
  return { replies: [{ card }], invokeCard: card };
}

export async function done(turn: Turn, number: number, svc: Services): Promise<TurnResult> {
  const { series, changed } = await svc.meetings.update(turn.tenantId, turn.conversationId, (series, now) =>
    ops.completeAction(series, turn.actor, number, now),
  );
  const text = turn.s.done.actionDone(number);
  const meeting = ops.minutesMeeting(series);
  return {
    replies: [{ text }],
    invokeCard: actionsCard(turn.s, series, good(text)),
    changedMeetingId: changed ? meeting?.id : undefined,
  };
}
