// Planning and running a meeting: plan, change, cancel, chair, agenda, proposals, start, navigation,
// close, reopen.
import { cancelCard, itemCard, messageCard, privilegedUserIds, shared } from '../../cards/cards';
import { escapeMarkdownText } from '../../services/i18n/escape';
import { parseAgenda } from '../../services/meeting/agenda';
import { longDate, parseDate, parseTimeRange } from '../../services/meeting/dates';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { HouseStyleText, Person } from '../../services/meeting/types';
import { parseProposal } from '../../services/proposal/parseProposal';
import type { Command } from '../commands';
import { Answer, withMeeting } from './shared';
import type { Services, Turn } from './types';
import { postedRole } from './views';

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
  'tijden per punt': 'itemTimes',
  'item times': 'itemTimes',
  // The chat's house style for its minutes, kept for the meetings after this one too.
  orgaan: 'houseBody',
  body: 'houseBody',
  kopregel: 'houseLine',
  'header line': 'houseLine',
  logo: 'houseLogo',
};

const houseFields = (fields: Record<string, string>) =>
  ['houseBody', 'houseLine', 'houseLogo'].some((k) => fieldsOf(fields)[k] !== undefined);

/** The house-style facts among a meeting's fields (`orgaan:`, `kopregel:`), if any. */
function houseStyleOf(fields: Record<string, string>, svc: Services): HouseStyleText | undefined {
  const f = fieldsOf(fields);
  if (f.houseBody === undefined && f.houseLine === undefined && f.houseLogo === undefined) return undefined;
  const logo = f.houseLogo?.trim().toLowerCase();
  // One of the deployment's logos, by name ("" takes the chat's choice back).
  const names = svc.minutes.logoNames();
  if (logo && !names.includes(logo)) throw new DomainError('unknownLogo', { value: logo.slice(0, 40), names: names.join(', ') });
  return { body: f.houseBody, line: f.houseLine, logo };
}

function fieldsOf(raw: Record<string, string>): Record<string, string> {
  const f: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (Object.hasOwn(FIELD_ALIASES, k)) f[FIELD_ALIASES[k]!] = v;
  return f;
}

const splitMembers = (v: string) =>
  v
    .split(/\s*[,;\n]\s*|\s+en\s+(?=[^,]*$)/)
    .map((n) => n.trim())
    .filter(Boolean);

export function meetingInput(fields: Record<string, string>, locale: string): ops.MeetingInput {
  const f = fieldsOf(fields);
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
    members: splitMembers(f.members ?? ''),
  };
}

/** Only the facts given, for `wijzig vergadering`. */
function meetingPatch(fields: Record<string, string>): ops.MeetingPatch {
  const f = fieldsOf(fields);
  const patch: ops.MeetingPatch = {};
  if (f.title !== undefined) patch.title = f.title;
  if (f.date !== undefined) patch.date = parseDate(f.date);
  if (f.time !== undefined) {
    const t = parseTimeRange(f.time);
    patch.startTime = t.start;
    patch.endTime = t.end;
  }
  if (f.location !== undefined) patch.location = f.location;
  if (f.chair !== undefined) patch.chairName = f.chair;
  if (f.secretary !== undefined) patch.secretaryName = f.secretary;
  if (f.members !== undefined) patch.members = splitMembers(f.members);
  if (f.itemTimes !== undefined) patch.itemTimesInMinutes = /^(ja|aan|yes|on|true)$/i.test(f.itemTimes.trim());
  if (!Object.keys(patch).length && !houseFields(fields)) throw new DomainError('missingField', { field: 'title, date' });
  return patch;
}

export async function plan(turn: Turn, cmd: Extract<Command, { kind: 'plan' }>, svc: Services): Promise<Answer> {
  const input = meetingInput(cmd.fields, turn.s.lang);
  const house = houseStyleOf(cmd.fields, svc);
  const { result: meeting } = await svc.meetings.update(turn.tenantId, turn.conversationId, (series, now) => {
    const planned = ops.planMeeting(series, turn.actor, input, now);
    if (house) ops.setHouseStyle(series, turn.actor, planned, house, now);
    return planned;
  });
  const text = turn.s.done.planned(meeting.title, longDate(meeting.date, turn.s.lang));
  // Everyone sees the new meeting's card; its secretary gets the controls in their own view.
  return {
    text,
    replies: [],
    answerWith: 'meeting',
    effects: [{ kind: 'postMeeting', meetingId: meeting.id, banner: text }],
    meetingId: meeting.id,
  };
}

export async function editMeeting(turn: Turn, cmd: Extract<Command, { kind: 'editMeeting' }>, svc: Services): Promise<Answer> {
  const patch = meetingPatch(cmd.fields);
  const house = houseStyleOf(cmd.fields, svc);
  const date = cmd.date ? parseDate(cmd.date) : undefined;
  return withMeeting(
    turn,
    svc,
    (series, now) => {
      const target = turn.cardMeetingId
        ? ops.findMeeting(series, turn.cardMeetingId)
        : date
          ? ops.meetingOn(series, date)
          : ops.editableMeeting(series);
      if (house) ops.setHouseStyle(series, turn.actor, target, house, now);
      return ops.editMeeting(series, turn.actor, target, patch, now);
    },
    (_series, meeting) => {
      const text = turn.s.done.meetingChanged(meeting.title);
      // Typed: the meeting card as it now is, at the bottom of the chat; a form saves in place (its card is edited).
      return {
        text,
        replies: [{ text }],
        answerWith: 'meeting',
        effects: turn.isInvoke ? [] : [{ kind: 'postMeeting', meetingId: meeting.id }],
      };
    },
  );
}

/** `annuleren`: asks first (only the secretary's view has the button); the button cancels. */
export async function cancel(turn: Turn, cmd: Extract<Command, { kind: 'cancel' }>, svc: Services): Promise<Answer> {
  if (!cmd.confirmed) {
    const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
    const meeting = cmd.date ? ops.meetingOn(series, parseDate(cmd.date)) : ops.cancellableMeeting(series);
    ops.requireSecretary(meeting, turn.actor);
    if (meeting.status !== 'planned') throw new DomainError('notCancellable', { date: meeting.date });
    const forSecretary = cancelCard(turn.s, meeting, 'secretary');
    const posted = shared(
      cancelCard(turn.s, meeting, postedRole(turn, meeting)),
      { card: 'cancel', meetingId: meeting.id },
      privilegedUserIds(meeting),
    );
    return { replies: [{ card: posted }], card: forSecretary };
  }
  const { series, result: gone } = await svc.meetings.update(turn.tenantId, turn.conversationId, (series) => {
    if (!turn.cardMeetingId) throw new DomainError('staleCard');
    return ops.cancelMeeting(series, turn.actor, ops.findMeeting(series, turn.cardMeetingId));
  });
  const text = turn.s.done.cancelled(gone.title, longDate(gone.date, turn.s.lang));
  const retire = [gone.agendaCardId, gone.itemCard?.activityId, ...(gone.meetingCardIds ?? [])].filter((id): id is string => !!id);
  const current = ops.currentMeeting(series);
  return {
    text,
    card: messageCard(text, 'good'),
    effects: [
      ...(retire.length ? [{ kind: 'retire' as const, activityIds: retire, title: gone.title, text }] : []),
      ...(current ? [{ kind: 'cardsChanged' as const, meetingId: current.id }] : []),
    ],
  };
}

export async function setChair(turn: Turn, chair: Person, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series) => ops.setChair(series, turn.actor, chair),
    () => ({ text: turn.s.done.chairSet(chair.name), answerWith: 'meeting' }),
  );
}

/** `lid @naam: M. Stegers`: the minutes name that Teams user as the member list does. */
export async function setMemberName(turn: Turn, cmd: Extract<Command, { kind: 'memberName' }>, svc: Services): Promise<Answer> {
  let listed = '';
  return withMeeting(
    turn,
    svc,
    (series) => {
      listed = ops.setMemberName(series, turn.actor, cmd.person, cmd.name);
      return ops.requireMeeting(series);
    },
    () => ({ text: turn.s.done.memberNameSet(cmd.person.name, listed) }),
  );
}

export async function setAgenda(turn: Turn, lines: string[], svc: Services): Promise<Answer> {
  const parsed = parseAgenda(lines);
  return withMeeting(
    turn,
    svc,
    (series) => ops.setAgenda(series, turn.actor, parsed),
    (_series, meeting) => {
      const text = turn.s.done.agendaSet(meeting.agenda.length);
      // A typed agenda posts the live agenda card at the bottom of the chat; a form saves in place.
      const post = !turn.isInvoke || !meeting.agendaCardId;
      return { text, replies: [], effects: post ? [{ kind: 'postAgenda', meetingId: meeting.id, banner: text }] : [] };
    },
  );
}

export async function attachProposal(turn: Turn, code: string, text: string, svc: Services): Promise<Answer> {
  const proposal = parseProposal(ops.cleanText(text, 'proposal', 100_000));
  return withMeeting(
    turn,
    svc,
    (series) => ops.attachProposal(series, turn.actor, code, proposal),
    (series, meeting, item) => {
      const s = turn.s;
      const lines = [s.done.proposalAttached(item.code)];
      // What was read from the document is user text inside a Markdown reply: shown as typed, never as markup.
      if (proposal.subject) lines.push(`${s.card.proposal}: ${escapeMarkdownText(proposal.subject)}`);
      if (proposal.portfolioHolder) lines.push(`${s.card.portfolioHolder}: ${escapeMarkdownText(proposal.portfolioHolder)}`);
      if (proposal.handledBy) lines.push(`${s.card.handledBy}: ${escapeMarkdownText(proposal.handledBy)}`);
      if (proposal.public === false) lines.push(s.done.proposalClosed(item.code));
      if (proposal.missing.length) lines.push(s.done.proposalMissing(proposal.missing.join(', ')));
      // The item as everyone sees it (a closed item shows nothing of its proposal); the chair's own view holds it all.
      const posted = shared(
        itemCard(s, series, meeting, item, { role: postedRole(turn, meeting), live: false }),
        { card: 'item', meetingId: meeting.id, itemId: item.id },
        [],
      );
      return {
        text: lines[0],
        replies: [{ text: lines.join('\n') }, { card: posted }],
        card: itemCard(s, series, meeting, item, { role: 'chair', live: false, banner: { text: lines[0]!, style: 'good' } }),
      };
    },
  );
}

export async function start(turn: Turn, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series, now) => ops.start(series, turn.actor, now),
    (_series, meeting) => {
      const text = turn.s.done.started(ops.currentItem(meeting)?.code ?? '');
      const effects: Answer['effects'] = [{ kind: 'postItem', meetingId: meeting.id, banner: turn.s.done.startedBanner() }];
      if (!meeting.agendaCardId) effects.unshift({ kind: 'postAgenda', meetingId: meeting.id });
      return { text, replies: [], effects };
    },
  );
}

export async function navigate(turn: Turn, target: ops.Move, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series, now) => ops.move(series, turn.actor, target, now),
    (_series, meeting, item) => {
      const text = turn.s.done.moved(item.code, item.title);
      // Typed: the item card is posted at the bottom of the chat (the one before retires). Clicked: the
      // live item card follows the current item, so nothing new is posted unless there is none yet.
      const post = !turn.isInvoke || !meeting.itemCard;
      return { text, replies: [], effects: post ? [{ kind: 'postItem', meetingId: meeting.id }] : [] };
    },
  );
}

/** "Huidig punt": the live item card, posted again at the bottom of the chat where the chair is. */
export async function showItem(turn: Turn, svc: Services): Promise<Answer> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  const meeting = ops.requireMeeting(series);
  ops.requireChairOrSecretary(meeting, turn.actor);
  const item = ops.currentItem(meeting);
  if (!item || meeting.status !== 'running') throw new DomainError(meeting.status === 'planned' ? 'notStarted' : 'noCurrentItem');
  return { text: turn.s.done.itemPosted(item.code), replies: [], effects: [{ kind: 'postItem', meetingId: meeting.id }] };
}

export async function close(turn: Turn, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series, now) => ops.close(series, turn.actor, now),
    (_series, meeting) => ({
      text: turn.s.done.closed(longDate(meeting.date, turn.s.lang)),
      // Closing ends on the card that names the next step: the closed agenda, with draft minutes and publish.
      answerWith: 'agenda',
    }),
  );
}

export async function reopen(turn: Turn, svc: Services): Promise<Answer> {
  return withMeeting(
    turn,
    svc,
    (series, now) => ops.reopen(series, turn.actor, now),
    () => ({ text: turn.s.done.reopened(), answerWith: 'agenda' }),
  );
}
