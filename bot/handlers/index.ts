// The router: one Command → one handler → one Answer, turned into what the turn sends: a typed command
// gets replies, a click gets its card back in the clicker's own view with a banner saying what
// happened (or why not). Refusals and bad input become that short answer; nothing is stored for them.
import type { Banner } from '../../cards/cards';
import { DomainError, isDomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Command } from '../commands';
import * as meeting from './meeting';
import * as minutes from './minutes';
import * as records from './records';
import type { Answer } from './shared';
import type { Services, Turn, TurnResult } from './types';
import { canPlan, postedRole, viewFor } from './views';
import { helpCard, privilegedUserIds, shared } from '../../cards/cards';

export type { Services, Turn, TurnResult, Reply, Effect, LiveCardIds } from './types';

/** Commands that record or navigate: a click of one from a card whose moment has passed records nothing. */
const ACTS = new Set<Command['kind']>([
  'start',
  'next',
  'previous',
  'goTo',
  'showItem',
  'attendance',
  'apologies',
  'selfPresent',
  'announcement',
  'question',
  'note',
  'decision',
  'action',
  'correct',
  'close',
  'setAgenda',
]);

async function route(turn: Turn, cmd: Command, svc: Services): Promise<Answer> {
  switch (cmd.kind) {
    case 'help': {
      if (turn.isInvoke) return { answerWith: 'help' };
      const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
      const current = ops.currentMeeting(series);
      const role = postedRole(turn, current);
      const card = shared(
        helpCard(turn.s, current, { role, canPlan: turn.personal ? canPlan(series, turn.actor) : !current }),
        { card: 'help', meetingId: current?.id },
        privilegedUserIds(current),
      );
      return { replies: [{ card }] };
    }
    case 'refresh':
      return { answerWith: turn.card };
    case 'plan':
      return meeting.plan(turn, cmd, svc);
    case 'editMeeting':
      return meeting.editMeeting(turn, cmd, svc);
    case 'cancel':
      return meeting.cancel(turn, cmd, svc);
    case 'setChair':
      if (!cmd.chair) throw new InputError(turn.s.input.chairNeedsMention());
      return meeting.setChair(turn, cmd.chair, svc);
    case 'memberName':
      return meeting.setMemberName(turn, cmd, svc);
    case 'showAgenda':
      return records.showAgenda(turn, cmd.page, svc);
    case 'setAgenda':
      return meeting.setAgenda(turn, cmd.lines, svc);
    case 'proposal':
      return meeting.attachProposal(turn, cmd.code, cmd.text, svc);
    case 'start':
      return meeting.start(turn, svc);
    case 'next':
      return meeting.navigate(turn, { to: 'next' }, svc);
    case 'previous':
      return meeting.navigate(turn, { to: 'previous' }, svc);
    case 'goTo':
      if (cmd.itemId) return meeting.navigate(turn, { to: 'itemId', itemId: cmd.itemId }, svc);
      if (cmd.code) return meeting.navigate(turn, { to: 'item', code: cmd.code }, svc);
      throw new InputError(turn.s.input.itemNeedsCode());
    case 'showItem':
      return meeting.showItem(turn, svc);
    case 'attendance':
      return records.attendance(turn, cmd, svc);
    case 'apologies':
      return records.apologies(turn, svc);
    case 'selfPresent':
      return records.selfPresent(turn, svc);
    case 'announcement':
    case 'question':
      return records.contribution(turn, cmd, svc);
    case 'note':
      return records.note(turn, cmd, svc);
    case 'decision':
      return records.decision(turn, cmd, svc);
    case 'action':
      return records.action(turn, cmd, svc);
    case 'correct':
      return records.correct(turn, cmd, svc);
    case 'actions':
      return records.listActions(turn, cmd.page, svc);
    case 'done':
      return records.done(turn, cmd.label, svc);
    case 'close':
      return meeting.close(turn, svc);
    case 'reopen':
      return meeting.reopen(turn, svc);
    case 'minutes':
      return minutes.showMinutes(turn, cmd.date, svc);
    case 'publish':
      return minutes.publish(turn, cmd.date, svc);
    case 'invalid':
      throw new InputError(turn.s.input[cmd.reason]());
    case 'unknown':
      throw new InputError(turn.s.input.unknownCommand(cmd.word));
  }
}

/** Bad input the parser caught: its message is already in the user's language. */
export class InputError extends Error {}

export function errorText(turn: Turn, err: unknown): string | undefined {
  if (err instanceof InputError) return err.message;
  if (isDomainError(err)) return turn.s.errors[err.code](err.params);
  return undefined;
}

/** "The meeting is closed" tells chair and secretary how to reopen it; members are told who can. */
async function withReopenHint(turn: Turn, svc: Services, err: unknown): Promise<unknown> {
  if (!isDomainError(err) || err.code !== 'meetingClosed') return err;
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  const held = series.meetings.find((m) => m.date === err.params.date && m.status === 'closed');
  return new DomainError('meetingClosed', { ...err.params, canReopen: ops.roleOf(held, turn.actor) === 'member' ? 0 : 1 });
}

/**
 * A click on an agenda or item card that is no longer the live one (the bot's own record says so):
 * nothing is recorded, and the answer shows that card's retired form.
 */
async function staleClick(turn: Turn, svc: Services): Promise<boolean> {
  if (!turn.messageId || (turn.card !== 'agenda' && turn.card !== 'item') || !ACTS.has(turn.command.kind) || !turn.cardMeetingId)
    return false;
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  const m = series.meetings.find((x) => x.id === turn.cardMeetingId);
  if (!m) return false;
  const live = turn.card === 'agenda' ? m.agendaCardId : m.itemCard?.activityId;
  return !!live && live !== turn.messageId;
}

export async function handle(turn: Turn, svc: Services): Promise<TurnResult> {
  let answer: Answer;
  try {
    if (await staleClick(turn, svc)) throw new DomainError('staleCard');
    answer = await route(turn, turn.command, svc);
  } catch (caught) {
    const err = await withReopenHint(turn, svc, caught);
    const text = errorText(turn, err);
    if (text === undefined) throw err;
    answer = { text, style: 'attention' };
  }
  return toResult(turn, answer, svc);
}

/**
 * A turn refused before it is handled (the flood limit): nothing is done, and a click is answered as
 * every refusal is, with the clicked card in the clicker's view and a banner saying why.
 */
export function refusedTurn(turn: Turn, svc: Services, text: string): Promise<TurnResult> {
  return toResult(turn, { text, style: 'warning' }, svc);
}

async function toResult(turn: Turn, answer: Answer, svc: Services): Promise<TurnResult> {
  const effects = answer.effects ?? [];
  if (!turn.isInvoke) {
    const replies = answer.replies ?? (answer.text ? [{ text: answer.text }] : []);
    return { replies, effects };
  }
  if (answer.card) return { replies: [], invokeCard: answer.card, effects };
  const banner: Banner | undefined = answer.text ? { text: answer.text, style: answer.style ?? 'good' } : undefined;
  const view = { ...turn, cardMeetingId: answer.meetingId ?? turn.cardMeetingId };
  const kind = answer.answerWith ?? turn.card;
  // The clicked card was retired or belongs elsewhere: a card of the kind asked, for a meeting that may be gone.
  const invokeCard = await viewFor(view, svc, kind, banner).catch(() => viewFor({ ...view, cardMeetingId: undefined }, svc, kind, banner));
  return { replies: [], invokeCard, effects };
}
