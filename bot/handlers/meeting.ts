// Planning and running a meeting: plan, chair, agenda, proposals, start, navigation, close, reopen.
import { agendaCard, Banner, itemCard, meetingCard } from '../../cards/cards';
import { parseAgenda } from '../../services/meeting/agenda';
import { parseDate, parseTimeRange } from '../../services/meeting/dates';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { AgendaItem, Meeting, Person, Series } from '../../services/meeting/types';
import { parseProposal } from '../../services/proposal/parseProposal';
import type { Command } from '../commands';
import { assertCardMeeting, isChairView, withMeeting } from './shared';
import type { Services, Turn, TurnResult } from './types';

const good = (text: string): Banner => ({ text, style: 'good' });

const FIELD_ALIASES: Record<string, string> = {
  titel: 'title',
  title: 'title',
  datum: 'date',
  date: 'date',
  tijd: 'time',
  time: 'time',
  tijdstip: 'time',
  locatie: 'location',
  location: 'location',
  plaats: 'location',
  voorzitter: 'chair',
  chair: 'chair',
  secretaris: 'secretary',
  secretary: 'secretary',
  leden: 'members',
  members: 'members',
};

export function meetingInput(fields: Record<string, string>, locale: string): ops.MeetingInput {
  const f: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (FIELD_ALIASES[k]) f[FIELD_ALIASES[k]] = v;
  const missing = [!f.title && 'title', !f.date && 'date'].filter(Boolean);
  if (missing.length) throw new DomainError('missingField', { field: missing.join(', ') });
  const time = f.time ? parseTimeRange(f.time) : undefined;
  return {
    title: f.title!,
    date: parseDate(f.date!),
    startTime: time?.start,
    endTime: time?.end,
    location: f.location,
    chairName: f.chair,
    secretaryName: f.secretary,
    locale,
    members: (f.members ?? '')
      .split(/\s*[,;]\s*|\s+en\s+(?=[^,]*$)/)
      .map((n) => n.trim())
      .filter(Boolean),
  };
}

export async function plan(turn: Turn, cmd: Extract<Command, { kind: 'plan' }>, svc: Services): Promise<TurnResult> {
  const input = meetingInput(cmd.fields, turn.s.lang);
  const { series, result: meeting } = await svc.meetings.update(turn.tenantId, turn.conversationId, (series, now) =>
    ops.planMeeting(series, turn.actor, input, now),
  );
  const card = meetingCard(turn.s, series, meeting, turn.actor, good(turn.s.done.planned(meeting.title)));
  return { replies: [{ card }], invokeCard: card, changedMeetingId: meeting.id };
}

export async function setChair(turn: Turn, chair: Person, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      void now;
      return ops.setChair(series, turn.actor, chair);
    },
    (series, meeting) => {
      const text = turn.s.done.chairSet(chair.name);
      return { replies: [{ text }], invokeCard: meetingCard(turn.s, series, meeting, turn.actor, good(text)) };
    },
  );
}

export async function setAgenda(turn: Turn, lines: string[], svc: Services): Promise<TurnResult> {
  const parsed = parseAgenda(lines);
  return withMeeting(
    turn,
    svc,
    (series) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.setAgenda(series, turn.actor, parsed);
    },
    (series, meeting) => {
      const banner = turn.s.done.agendaSet(meeting.agenda.length);
      const card =
        turn.card === 'meeting'
          ? meetingCard(turn.s, series, meeting, turn.actor, good(banner))
          : agendaCard(turn.s, series, meeting, { chairView: true, banner: good(banner) });
      return { replies: [], invokeCard: card, postAgendaCard: turn.isInvoke ? undefined : { meetingId: meeting.id, banner } };
    },
  );
}

export async function attachProposal(turn: Turn, code: string, text: string, svc: Services): Promise<TurnResult> {
  const proposal = parseProposal(ops.cleanText(text, 'proposal', 100_000));
  return withMeeting(
    turn,
    svc,
    (series) => ops.attachProposal(series, turn.actor, code, proposal),
    (series, meeting, item) => {
      const s = turn.s;
      const lines = [s.done.proposalAttached(item.code)];
      if (proposal.subject) lines.push(`${s.card.proposal}: ${proposal.subject}`);
      if (proposal.portfolioHolder) lines.push(`${s.card.portfolioHolder}: ${proposal.portfolioHolder}`);
      if (proposal.handledBy) lines.push(`${s.card.handledBy}: ${proposal.handledBy}`);
      if (proposal.public === false) lines.push(s.done.proposalClosed(item.code));
      if (proposal.missing.length) lines.push(s.done.proposalMissing(proposal.missing.join(', ')));
      const card = itemCard(s, series, meeting, item, { chairView: true, banner: good(lines[0]!) });
      return { replies: [{ text: lines.join('\n') }, { card }], invokeCard: card, itemShown: { meetingId: meeting.id, itemId: item.id } };
    },
  );
}

/** Replies with the item card for a navigation command: a new message for text, the answer for a click. */
function itemReply(turn: Turn, series: Series, meeting: Meeting, item: AgendaItem, banner?: Banner): TurnResult {
  const card = itemCard(turn.s, series, meeting, item, { chairView: isChairView(meeting, turn.actor), banner });
  return {
    replies: [{ card }],
    invokeCard: card,
    itemShown: { meetingId: meeting.id, itemId: item.id },
  };
}

export async function start(turn: Turn, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.start(series, turn.actor, now);
    },
    (series, meeting) => {
      const item = ops.currentItem(meeting)!;
      const result = itemReply(turn, series, meeting, item, good(turn.s.done.started()));
      if (!meeting.agendaCardId) result.postAgendaCard = { meetingId: meeting.id };
      return result;
    },
  );
}

export async function navigate(turn: Turn, target: ops.Move, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.move(series, turn.actor, target);
    },
    (series, meeting, item) => itemReply(turn, series, meeting, item),
  );
}

/** Shows an item without moving the meeting (a card's "current item" button). */
export async function showItem(turn: Turn, itemId: string | undefined, svc: Services): Promise<TurnResult> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  assertCardMeeting(series, turn.cardMeetingId);
  const meeting = ops.requireMeeting(series);
  const item = meeting.agenda.find((i) => i.id === itemId) ?? ops.currentItem(meeting);
  if (!item) throw new DomainError('noCurrentItem');
  return itemReply(turn, series, meeting, item);
}

export async function close(turn: Turn, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      assertCardMeeting(series, turn.cardMeetingId);
      return ops.close(series, turn.actor, now);
    },
    (series, meeting) => {
      const text = turn.s.done.closed();
      return {
        replies: [{ text }],
        invokeCard: agendaCard(turn.s, series, meeting, {
          chairView: true,
          banner: good(text),
          canPublish: ops.roleOf(meeting, turn.actor) === 'secretary',
        }),
      };
    },
  );
}

export async function reopen(turn: Turn, svc: Services): Promise<TurnResult> {
  return withMeeting(
    turn,
    svc,
    (series) => ops.reopen(series, turn.actor),
    (series, meeting) => {
      const text = turn.s.done.reopened();
      return { replies: [{ text }], invokeCard: agendaCard(turn.s, series, meeting, { chairView: true, banner: good(text) }) };
    },
  );
}
