// Which card each person sees. A card posted in the chat is shared: it carries the member view, and
// chair and secretary fetch their own through refresh.userIds. A click is answered with the clicked
// card in the clicker's own view. The live agenda and item cards are the bot's own record (the
// meeting's agendaCardId / itemCard); a click or refresh from any other message gets the retired form.
import {
  actionsCard,
  agendaCard,
  Banner,
  cancelCard,
  helpCard,
  itemCard,
  meetingCard,
  messageCard,
  privilegedUserIds,
  retiredAgendaCard,
  retiredItemCard,
  shared,
} from '../../cards/cards';
import type { AdaptiveCard } from '../../cards/render';
import type { CardKind } from '../../cards/verbs';
import { plainText, type Strings } from '../../services/i18n';
import * as ops from '../../services/meeting/operations';
import type { Meeting, Person, Series } from '../../services/meeting/types';
import { draftCard, publicationCard } from './minutes';
import type { Services, Turn } from './types';

export type { Role } from '../../services/meeting/operations';

/** The view a posted card is drawn in: the member's, except in a 1:1 chat, where the one reader is its viewer. */
export function postedRole(turn: Turn, meeting: Meeting | undefined): ops.Role {
  return turn.personal ? ops.roleOf(meeting, turn.actor) : 'member';
}

/** May this person plan a meeting now: when none is open, or as chair or secretary of an open one. */
export function canPlan(series: Series, actor: Person): boolean {
  const open = series.meetings.filter((m) => m.status !== 'closed');
  return open.length === 0 || open.some((m) => ops.roleOf(m, actor) !== 'member');
}

// ---- the live cards, as posted for everyone ----

export function liveAgendaCard(s: Strings, series: Series, meeting: Meeting, banner?: Banner): AdaptiveCard {
  return shared(
    agendaCard(s, series, meeting, { role: 'member', banner }),
    { card: 'agenda', meetingId: meeting.id },
    privilegedUserIds(meeting),
  );
}

/**
 * The live item card follows the current item. It is the chair's working card, a message of its own:
 * as posted it carries the chair's buttons and nothing of a closed item, and every client fetches its
 * own view (members: the item without the chair's buttons; chair and secretary: everything). In a chat
 * of more than 60 members Teams refreshes only on request, so members see it as posted: buttons that
 * refuse them, and still nothing of a closed item. After the meeting it retires.
 */
export function liveItemCard(s: Strings, series: Series, meeting: Meeting, banner?: Banner): AdaptiveCard | undefined {
  const item = ops.currentItem(meeting);
  if (!item) return undefined;
  if (meeting.status === 'closed') return retiredItemCard(s, meeting, item);
  return shared(
    itemCard(s, series, meeting, item, { role: 'chair', live: true, publicOnly: true, banner }),
    { card: 'item', meetingId: meeting.id, itemId: item.id },
    'everyone',
  );
}

export function sharedMeetingCard(s: Strings, series: Series, meeting: Meeting, banner?: Banner): AdaptiveCard {
  return shared(
    meetingCard(s, series, meeting, { role: 'member', banner }),
    { card: 'meeting', meetingId: meeting.id },
    privilegedUserIds(meeting),
  );
}

// ---- a card in one person's view ----

/**
 * The card `kind` drawn for the turn's actor, with a banner: what a click answers and what a refresh
 * returns. `messageId` (the message clicked) only tells a live card from one whose moment passed.
 */
export async function viewFor(turn: Turn, svc: Services, kind: CardKind | undefined, banner?: Banner): Promise<AdaptiveCard> {
  const series = await svc.meetings.read(turn.tenantId, turn.conversationId, turn.cardMeetingId);
  const meeting =
    (turn.cardMeetingId && series.meetings.find((m) => m.id === turn.cardMeetingId)) ||
    (kind === 'minutes' || kind === 'publish' ? ops.minutesMeeting(series) : (ops.currentMeeting(series) ?? ops.minutesMeeting(series)));
  const role = ops.roleOf(meeting, turn.actor);
  const s = turn.s;
  switch (kind) {
    case 'agenda':
      if (!meeting) break;
      // The clicked message says whether an agenda card is live only when an agenda card was clicked: a
      // click on the item card answered with the agenda (closing) is not a click on an old agenda.
      if (turn.card === 'agenda' && turn.messageId && meeting.agendaCardId && turn.messageId !== meeting.agendaCardId)
        return withBanner(retiredAgendaCard(s, meeting), banner);
      return agendaCard(s, series, meeting, { role, banner, page: turn.cardPage });
    case 'item': {
      if (!meeting) break;
      const liveMessage = meeting.itemCard?.activityId;
      const isLive = turn.card !== 'item' || !turn.messageId || !liveMessage || turn.messageId === liveMessage;
      const item = isLive ? ops.currentItem(meeting) : meeting.agenda.find((i) => i.id === turn.cardItemId);
      if (!isLive || !item)
        return withBanner(retiredItemCard(s, meeting, item ?? meeting.agenda.find((i) => i.id === turn.cardItemId)), banner);
      if (meeting.status === 'closed') return withBanner(retiredItemCard(s, meeting, item), banner);
      return itemCard(s, series, meeting, item, { role, live: true, banner });
    }
    case 'meeting':
      if (!meeting) break;
      return meetingCard(s, series, meeting, { role, banner });
    case 'actions':
      return actionsCard(s, series, {
        role: ops.currentMeeting(series) ? ops.roleOf(ops.currentMeeting(series), turn.actor) : role,
        page: turn.cardPage,
        banner,
      });
    case 'minutes':
      if (!meeting) break;
      return draftCard(s, series, meeting, { role, viewer: turn.actor, banner }, svc, turn);
    case 'publish':
      if (!meeting) break;
      return publicationCard(s, meeting, svc, turn, role, banner, turn.actor);
    case 'cancel': {
      // The confirmation names one planned meeting (never another): once it is gone or has started, there is nothing to confirm.
      const target = turn.cardMeetingId ? series.meetings.find((m) => m.id === turn.cardMeetingId) : undefined;
      if (target?.status === 'planned') return withBanner(cancelCard(s, target, ops.roleOf(target, turn.actor)), banner);
      return messageCard(banner?.text ?? s.errors.staleCard(), banner?.style ?? 'default');
    }
    case 'help':
    case 'welcome':
      return helpCard(s, ops.currentMeeting(series), {
        role: ops.roleOf(ops.currentMeeting(series), turn.actor),
        canPlan: canPlan(series, turn.actor),
        banner,
      });
    default:
      break;
  }
  return messageCard(banner?.text ?? '', banner?.style ?? 'default');
}

function withBanner(card: AdaptiveCard, banner?: Banner): AdaptiveCard {
  if (!banner) return card;
  const body = [...(card.body ?? [])];
  body.splice(1, 0, {
    type: 'Container',
    style: banner.style,
    items: [{ type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: plainText(banner.text) }] }],
  });
  return { ...card, body };
}
