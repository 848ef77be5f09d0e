// What gets recorded: attendance, announcements, round questions, notes, decisions and action items,
// their corrections; and the views that show them (agenda, action list).
import { actionsCard, privilegedUserIds, shared } from '../../cards/cards';
import { actionText, decisionText, onBehalf, type Command } from '../commands';
import { correctRecord, type RecordEdit } from '../../services/meeting/corrections';
import { longDate, parseDate } from '../../services/meeting/dates';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Series } from '../../services/meeting/types';
import { Answer, assertCardMeeting, withMeeting } from './shared';
import type { Services, Turn } from './types';
import { postedRole } from './views';

/** A card's item id → its code, in the meeting the record goes on. */
function codeOf(series: Series, itemId: string | undefined, code: string | undefined): string | undefined {
  if (!itemId) return code;
  const item = ops.requireRecordingMeeting(series).agenda.find((i) => i.id === itemId);
  if (!item) throw new DomainError('staleCard');
  return item.code;
}

export async function showAgenda(turn: Turn, page: number | undefined, svc: Services): Promise<Answer> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  assertCardMeeting(series, turn.cardMeetingId);
  const meeting =
    (turn.cardMeetingId && series.meetings.find((m) => m.id === turn.cardMeetingId)) ||
    ops.currentMeeting(series) ||
    ops.minutesMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  // A typed "agenda" posts a fresh live card at the bottom of the chat; a click answers in place.
  if (turn.isInvoke || page !== undefined) return { answerWith: 'agenda', meetingId: meeting.id };
  return { replies: [], effects: [{ kind: 'postAgenda', meetingId: meeting.id }] };
}

export async function attendance(turn: Turn, cmd: Extract<Command, { kind: 'attendance' }>, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series) => ops.recordAttendance(series, turn.actor, cmd.which, cmd.names),
    () => ({ text: cmd.which === 'present' ? turn.s.done.present(cmd.names.length) : turn.s.done.absent(cmd.names.length) }),
  );
}

export async function apologies(turn: Turn, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series) => ops.sendApologies(series, turn.actor),
    // The name recorded (a look-alike of the secretary or a chair is named apart), as the minutes will say.
    (series, meeting) => ({ text: turn.s.done.apologies(ops.ownName(series, meeting, turn.actor)) }),
  );
}

export async function selfPresent(turn: Turn, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series) => ops.markSelfPresent(series, turn.actor),
    (series, meeting) => ({ text: turn.s.done.selfPresent(ops.ownName(series, meeting, turn.actor)) }),
  );
}

export async function contribution(
  turn: Turn,
  cmd: Extract<Command, { kind: 'announcement' | 'question' }>,
  svc: Services,
): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      const c = ops.addContribution(series, turn.actor, cmd.kind, cmd.text, cmd.onBehalfOf, now);
      return { meeting: ops.requireMeeting(series), c };
    },
    (_series, _meeting, { c }) => ({
      text:
        cmd.kind === 'announcement'
          ? turn.s.done.announcement(ops.recordLabel(c), c.author)
          : turn.s.done.question(ops.recordLabel(c), c.author),
    }),
  );
}

export async function note(turn: Turn, cmd: Extract<Command, { kind: 'note' }>, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      const r = ops.addNote(series, turn.actor, cmd.text, codeOf(series, cmd.itemId, cmd.code), now);
      return { meeting: ops.requireRecordingMeeting(series), ...r };
    },
    (_s, _m, r) => ({ text: turn.s.done.note(String(r.number), r.item.code) }),
  );
}

export async function decision(turn: Turn, cmd: Extract<Command, { kind: 'decision' }>, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      const r = ops.addDecision(series, turn.actor, cmd.text, cmd.outcome, codeOf(series, cmd.itemId, cmd.code), now);
      return { meeting: ops.requireRecordingMeeting(series), ...r };
    },
    (series, _meeting, r) => {
      let text = turn.s.done.decision(ops.recordLabel(r.decision), r.item.code);
      const adopted = r.adoptedMeetingId ? series.meetings.find((m) => m.id === r.adoptedMeetingId) : undefined;
      if (adopted) text += `\n${turn.s.done.adopted(longDate(adopted.date, turn.s.lang))}`;
      // Adopted minutes that were published before are published again with their new status.
      const effects: Answer['effects'] = adopted?.minutes.publication ? [{ kind: 'republish', meetingId: adopted.id }] : [];
      return { text, effects };
    },
  );
}

export async function action(turn: Turn, cmd: Extract<Command, { kind: 'action' }>, svc: Services): Promise<Answer> {
  const due = cmd.due ? parseDate(cmd.due) : undefined;
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      const a = ops.addAction(
        series,
        turn.actor,
        { owner: cmd.owner, ownerUser: cmd.ownerUser, text: cmd.text, due, code: codeOf(series, cmd.itemId, cmd.code) },
        now,
      );
      return { meeting: ops.requireRecordingMeeting(series), a };
    },
    (_s, _m, { a }) => ({ text: turn.s.done.action(ops.recordLabel(a), a.owner) }),
  );
}

/** The new text of a correction, read as the original command reads it (outcome, owner, due date). */
function editOf(cmd: Extract<Command, { kind: 'correct' }>): RecordEdit | undefined {
  if (cmd.remove) return undefined;
  if (!cmd.body.trim()) throw new DomainError('emptyText', { field: cmd.record });
  switch (cmd.record) {
    case 'decision':
      return { kind: 'decision', ...decisionText(cmd.body) };
    case 'note':
      return { kind: 'note', text: cmd.body };
    case 'announcement':
    case 'question':
      return { kind: cmd.record, ...onBehalf(cmd.body) };
    case 'action': {
      const a = actionText(cmd.body, cmd.ownerUser ? [{ text: `<at>${cmd.ownerUser.name}</at>`, person: cmd.ownerUser }] : []);
      return {
        kind: 'action',
        text: a.text,
        owner: a.owner,
        ownerUser: a.ownerUser ?? cmd.ownerUser,
        due: a.due ? parseDate(a.due) : undefined,
      };
    }
  }
}

export async function correct(turn: Turn, cmd: Extract<Command, { kind: 'correct' }>, svc: Services): Promise<Answer> {
  const edit = editOf(cmd);
  return withMeeting(
    turn,
    svc,
    (series, now) => correctRecord(series, turn.actor, { kind: cmd.record, label: cmd.label, edit }, now, turn.cardMeetingId),
    (_s, _m, r) => ({
      text: r.removed ? turn.s.done.removed(turn.s.recordKind[r.kind], r.label) : turn.s.done.corrected(turn.s.recordKind[r.kind], r.label),
    }),
  );
}

export async function listActions(turn: Turn, page: number | undefined, svc: Services): Promise<Answer> {
  if (turn.isInvoke) return { answerWith: 'actions' };
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  const meeting = ops.currentMeeting(series) ?? ops.minutesMeeting(series);
  const card = shared(
    actionsCard(turn.s, series, { role: postedRole(turn, meeting), page }),
    { card: 'actions', meetingId: meeting?.id, page },
    privilegedUserIds(meeting),
  );
  return { replies: [{ card }] };
}

export async function done(turn: Turn, label: string, svc: Services): Promise<Answer> {
  const { series, result } = await svc.meetings.update(turn.tenantId, turn.conversationId, (series, now) =>
    ops.completeAction(series, turn.actor, label, now),
  );
  const text = turn.s.done.actionDone(ops.recordLabel(result));
  const ids = new Set([result.meetingId, ops.currentMeeting(series)?.id].filter((x): x is string => !!x));
  return { text, effects: [...ids].map((meetingId) => ({ kind: 'cardsChanged' as const, meetingId })) };
}
