// What a handler gets (the turn, translated out of the activity) and what it returns (replies and the
// follow-up work), with no Bot Framework types: notulistBot.ts does the translating both ways.
import type { AdaptiveCard } from '../../cards/render';
import type { CardKind } from '../../cards/verbs';
import type { Strings } from '../../services/i18n';
import type { MeetingService } from '../../services/meeting/service';
import type { MinutesService } from '../../services/minutes/minutesService';
import type { Person } from '../../services/meeting/types';
import type { Command } from '../commands';

export interface Turn {
  tenantId: string;
  conversationId: string;
  actor: Person;
  s: Strings;
  command: Command;
  /** Set for card actions: the meeting the card was made for, and which card was clicked. */
  cardMeetingId?: string;
  card?: CardKind;
  /** Action.Execute: the answer is a card that replaces the clicked one. */
  isInvoke: boolean;
  /** Where to post after the turn (the conversation reference), opaque outside bot/. */
  where: Record<string, unknown>;
}

export type Reply = { text: string } | { card: AdaptiveCard; text?: string };

export interface TurnResult {
  replies: Reply[];
  /** For Action.Execute: the card that replaces the clicked one for the user who clicked. */
  invokeCard?: AdaptiveCard;
  /** The meeting's state changed: refresh its live cards (agenda card, newest item card). */
  changedMeetingId?: string;
  /** Post a new live agenda card for this meeting (and retire the old one). */
  postAgendaCard?: { meetingId: string; banner?: string };
  /** The answer is an item card showing this item: it becomes the meeting's tracked item card. */
  itemShown?: { meetingId: string; itemId: string };
  /** Start publishing this meeting's minutes after the turn. */
  publishMeetingId?: string;
  /** Earlier minutes were adopted: publish them again with the new status. */
  republishMeetingId?: string;
}

export interface Services {
  meetings: MeetingService;
  minutes: MinutesService;
}
