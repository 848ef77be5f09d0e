// The minutes: the draft as a card for anyone, publishing for the secretary.
import { minutesCard, publishCard } from '../../cards/cards';
import { DomainError } from '../../services/meeting/errors';
import * as ops from '../../services/meeting/operations';
import { minutesModel, minutesParts } from '../../services/minutes/model';
import type { Strings } from '../../services/i18n';
import type { Meeting, Series } from '../../services/meeting/types';
import type { AdaptiveCard } from '../../cards/render';
import { assertCardMeeting } from './shared';
import type { Services, Turn, TurnResult } from './types';

const webLinks = (files: { name: string; url: string }[]) =>
  files.filter((f) => /^https?:/i.test(f.url)).map((f) => ({ title: f.name, url: f.url }));

/** The draft as a card; `fullTextUrl` (when drafts are served) links to the whole text, which a long draft needs. */
export function draftCard(s: Strings, series: Series, meeting: Meeting, canPublish: boolean, fullTextUrl?: string): AdaptiveCard {
  const models = minutesParts(meeting).map((part) => minutesModel(series, meeting.id, part));
  const links = [
    ...(fullTextUrl ? [{ title: s.card.fullText, url: fullTextUrl }] : []),
    ...webLinks(meeting.minutes.publication?.files ?? []),
  ];
  return minutesCard(s, meeting.id, models, { canPublish, links, fullTextLinked: fullTextUrl !== undefined });
}

export async function showMinutes(turn: Turn, svc: Services): Promise<TurnResult> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId, turn.cardMeetingId);
  assertCardMeeting(series, turn.cardMeetingId, false);
  const meeting = (turn.cardMeetingId && series.meetings.find((m) => m.id === turn.cardMeetingId)) || ops.minutesMeeting(series);
  if (!meeting) throw new DomainError('noMeeting');
  const fullTextUrl = svc.minutes.draftUrl(turn.tenantId, turn.conversationId, meeting);
  const card = draftCard(turn.s, series, meeting, ops.roleOf(meeting, turn.actor) === 'secretary', fullTextUrl);
  return { replies: [{ card }], invokeCard: card };
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

/** The publish card: progress, then the result with `files` (MinutesService.publishedLinks). */
export function publicationCard(s: Strings, meeting: Meeting, publisherKind: string, files: { name: string; url: string }[]): AdaptiveCard {
  const p = meeting.minutes.publication;
  const where = publisherKind === 'sharepoint' ? s.card.whereSharePoint : s.card.whereFolder;
  const state =
    !p || p.state === 'publishing'
      ? { text: s.card.publishing, style: 'accent' as const, canRetry: false }
      : p.state === 'published'
        ? { text: s.card.published(where), style: 'good' as const, canRetry: false }
        : { text: s.card.publishFailed(briefReason(p.error ?? '')), style: 'attention' as const, canRetry: true };
  return publishCard(s, meeting.id, `${s.card.minutesTitle.replace(/ \(.*\)$/, '')}: ${meeting.title}`, {
    ...state,
    files: p?.state === 'published' ? files : [],
  });
}

export async function publish(turn: Turn, svc: Services): Promise<TurnResult> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId);
  assertCardMeeting(series, turn.cardMeetingId, false);
  const { meeting, already } = await svc.minutes.begin(turn.tenantId, turn.conversationId, turn.actor, turn.cardMeetingId, turn.where);
  const card = publicationCard(
    turn.s,
    meeting,
    svc.minutes.publisherKind,
    svc.minutes.publishedLinks(turn.tenantId, turn.conversationId, meeting),
  );
  return { replies: [{ card }], invokeCard: card, publishMeetingId: already ? undefined : meeting.id };
}
