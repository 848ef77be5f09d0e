// The router: one Command → one handler. Refusals and bad input become a short answer in the user's
// language; nothing is stored for them.
import { agendaCard, Banner, currentItemCard, helpCard, messageCard } from '../../cards/cards';
import type { AdaptiveCard } from '../../cards/render';
import { DomainError, isDomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Command } from '../commands';
import * as meeting from './meeting';
import * as minutes from './minutes';
import * as records from './records';
import { isChairView } from './shared';
import type { Services, Turn, TurnResult } from './types';

export type { Services, Turn, TurnResult, Reply } from './types';

async function route(turn: Turn, cmd: Command, svc: Services): Promise<TurnResult> {
  switch (cmd.kind) {
    case 'help': {
      const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
      const card = helpCard(turn.s, ops.currentMeeting(series), turn.actor);
      return { replies: [{ card }], invokeCard: card };
    }
    case 'plan':
      return meeting.plan(turn, cmd, svc);
    case 'setChair':
      if (!cmd.chair) throw new InputError(turn.s.input.chairNeedsMention());
      return meeting.setChair(turn, cmd.chair, svc);
    case 'showAgenda':
      return records.showAgenda(turn, cmd.page, svc);
    case 'refreshAgenda':
      return records.showAgenda(turn, undefined, { ...svc });
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
      return meeting.showItem(turn, cmd.itemId, svc);
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
    case 'actions':
      return records.listActions(turn, svc);
    case 'done':
      return records.done(turn, cmd.number, svc);
    case 'close':
      return meeting.close(turn, svc);
    case 'reopen':
      return meeting.reopen(turn, svc);
    case 'minutes':
      return minutes.showMinutes(turn, svc);
    case 'publish':
      return minutes.publish(turn, svc);
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

export async function handle(turn: Turn, svc: Services): Promise<TurnResult> {
  try {
    return await route(turn, turn.command, svc);
  } catch (err) {
    const text = errorText(turn, err);
    if (text === undefined) throw err;
    return { replies: [{ text }], invokeCard: turn.isInvoke ? await errorCard(turn, svc, text) : undefined };
  }
}

/** A refused click answers with the card the user was looking at, with the reason on top. */
async function errorCard(turn: Turn, svc: Services, text: string): Promise<AdaptiveCard> {
  const banner: Banner = { text, style: 'attention' };
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  const current = ops.currentMeeting(series);
  const cardBelongsHere = !turn.cardMeetingId || turn.cardMeetingId === current?.id;
  if (current && cardBelongsHere) {
    const chairView = isChairView(current, turn.actor);
    if (turn.card === 'item') {
      const card = currentItemCard(turn.s, series, current, chairView, banner);
      if (card) return card;
    }
    if (turn.card === 'agenda' || turn.card === 'item') return agendaCard(turn.s, series, current, { chairView, banner });
    if (turn.card === 'help') return helpCard(turn.s, current, turn.actor, banner);
  }
  return messageCard(text, 'attention');
}

export { DomainError };
