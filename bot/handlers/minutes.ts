// The minutes: the draft as a card (the public part for everyone, both parts in the chair's and the
// secretary's own view), and publishing for the secretary.
import { Banner, minutesCard, privilegedUserIds, publishCard, shared } from '../../cards/cards';
import type { AdaptiveCard } from '../../cards/render';
import type { Strings } from '../../services/i18n';
import { parseDate } from '../../services/meeting/dates';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import type { Meeting, Person, Series } from '../../services/meeting/types';
import { minutesModel, minutesParts } from '../../services/minutes/model';
import { Answer, assertCardMeeting } from './shared';
import type { Services, Turn } from './types';
import { postedRole, type Role } from './views';

const webLinks = (files: { name: string; url: string }[]) =>
  files.filter((f) => /^https?:/i.test(f.url)).map((f) => ({ title: f.name, url: f.url }));

/** Only chair and secretary ever get anything of the closed part: a file, a link, a line. */
const mayReadClosed = (role: Role) => role !== 'member';

export interface DraftOptions {
  role: Role;
  /** Who the full-draft link is made for (it names them on the page). */
  viewer: Person;
  banner?: Banner;
}

/** The draft in one person's view: `fullTextUrl` links to the whole text, which a long draft needs. */
export function draftCard(
  s: Strings,
  series: Series,
  meeting: Meeting,
  opts: DraftOptions,
  svc: Services,
  turn: Pick<Turn, 'tenantId' | 'conversationId'>,
): AdaptiveCard {
  const closedToo = mayReadClosed(opts.role);
  const parts = minutesParts(meeting).filter((p) => closedToo || p === 'openbaar');
  const models = parts.map((part) => minutesModel(series, meeting.id, part));
  const publicUrl = svc.minutes.draftUrl(turn.tenantId, turn.conversationId, meeting);
  const fullUrl =
    closedToo && parts.length > 1 ? svc.minutes.fullDraftUrl(turn.tenantId, turn.conversationId, meeting, opts.viewer) : undefined;
  // Only the chair's and secretary's own view gets a link that opens the closed part.
  const files = svc.minutes.publishedLinks(turn.tenantId, turn.conversationId, meeting, closedToo ? opts.viewer : undefined);
  const links = [
    ...(publicUrl ? [{ title: s.card.fullText, url: publicUrl }] : []),
    ...(fullUrl ? [{ title: s.card.fullTextClosed, url: fullUrl }] : []),
    ...webLinks(files),
  ];
  return minutesCard(s, meeting.id, models, {
    canPublish: opts.role === 'secretary' && meeting.status === 'closed',
    links,
    fullTextLinked: publicUrl !== undefined,
    banner: opts.banner,
  });
}

/** The meeting a date names, or the one the minutes commands act on. */
function minutesTarget(series: Series, date: string | undefined, cardMeetingId: string | undefined): Meeting {
  if (cardMeetingId) return ops.findMeeting(series, cardMeetingId);
  if (date) return ops.meetingOn(series, parseDate(date));
  const meeting = ops.minutesMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  return meeting;
}

export async function showMinutes(turn: Turn, date: string | undefined, svc: Services): Promise<Answer> {
  let series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  assertCardMeeting(series, turn.cardMeetingId);
  const meeting = minutesTarget(series, date, turn.cardMeetingId);
  if (turn.isInvoke) return { answerWith: 'minutes', meetingId: meeting.id };
  if (meeting.folded) series = await svc.meetings.read(turn.tenantId, turn.conversationId, meeting.id);
  const m = series.meetings.find((x) => x.id === meeting.id)!;
  // Everyone sees the public part; chair and secretary fetch both parts as their own view.
  const posted = shared(
    draftCard(turn.s, series, m, { role: postedRole(turn, m), viewer: turn.actor }, svc, turn),
    { card: 'minutes', meetingId: m.id },
    privilegedUserIds(m),
  );
  return { replies: [{ card: posted }] };
}

const MAX_REASON = 160;

/**
 * The reason a publish failed, as the card shows it: the step and the cause in one short sentence.
 * Entra ID and Graph answers carry trace ids, timestamps and repeats that help the log, not the
 * secretary (the log keeps the whole message).
 */
export function briefReason(error: string): string {
  let text = (error.split(/\r?\n/)[0] ?? '').trim();
  // Entra ID (through MSAL): "<step>: invalid_client: Error(s): 7000215 - Timestamp: … - Description:
  // AADSTS7000215: Invalid client secret provided. Trace ID: …". The step and the AADSTS sentence say it all.
  const aadsts = /AADSTS\d+:[^.]*/.exec(text);
  if (aadsts) {
    const before = text.slice(0, aadsts.index);
    const oauthCode = /:\s*[a-z]+_[a-z_]+:/.exec(before);
    const step = (oauthCode ? before.slice(0, oauthCode.index) : before).replace(/[\s:-]+$/, '');
    text = step ? `${step}: ${aadsts[0]}` : aadsts[0];
  }
  text = text.replace(/\s+-?\s*(Trace ID|Correlation ID|Timestamp):.*$/i, '');
  text = text.replace(/[\s.-]+$/, '');
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1).trimEnd()}…` : text;
}

/** The publish card in one person's view: progress, then the result; closed documents only for chair and secretary. */
export function publicationCard(
  s: Strings,
  meeting: Meeting,
  svc: Services,
  turn: Pick<Turn, 'tenantId' | 'conversationId'>,
  role: Role,
  banner?: Banner,
  viewer?: Person,
): AdaptiveCard {
  const p = meeting.minutes.publication;
  const where = svc.minutes.publisherKind === 'sharepoint' ? s.card.whereSharePoint : s.card.whereFolder;
  const state =
    !p || p.state === 'publishing'
      ? { text: s.card.publishing, style: 'accent' as const, canRetry: false }
      : p.state === 'published'
        ? { text: s.card.published(where), style: 'good' as const, canRetry: false }
        : { text: s.card.publishFailed(briefReason(p.error ?? '')), style: 'attention' as const, canRetry: role === 'secretary' };
  const own = mayReadClosed(role) ? viewer : undefined;
  const files = p?.state === 'published' ? svc.minutes.publishedLinks(turn.tenantId, turn.conversationId, meeting, own) : [];
  // Chair and secretary are told where the closed part went (a folder or library they may restrict).
  const closed = own && p?.state === 'published' ? svc.minutes.closedLocation(meeting) : undefined;
  return publishCard(s, meeting.id, s.card.publishTitle(meeting.title), {
    ...state,
    text: [banner?.text, state.text, closed ? s.card.closedWent(closed.description, closed.records) : ''].filter(Boolean).join('\n'),
    files,
  });
}

export async function publish(turn: Turn, date: string | undefined, svc: Services): Promise<Answer> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  assertCardMeeting(series, turn.cardMeetingId);
  const target = minutesTarget(series, date, turn.cardMeetingId);
  ops.requireSecretary(target, turn.actor);
  // Minutes of a meeting still being held are not published: closing says the record is complete.
  if (target.status !== 'closed') throw new DomainError('closeFirst', { date: target.date });
  const { meeting, already } = await svc.minutes.begin(turn.tenantId, turn.conversationId, turn.actor, target.id, turn.where);
  const text = already ? turn.s.done.publishBusy() : turn.s.done.publishStarted();
  return {
    text,
    style: already ? 'warning' : 'accent',
    replies: already ? [{ text }] : [],
    effects: already ? [] : [{ kind: 'publish', meetingId: meeting.id }],
    meetingId: meeting.id,
  };
}
