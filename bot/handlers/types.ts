// What a handler gets (the turn, translated out of the activity) and what it returns (replies, the
// answer to a click, and the effects to perform after the turn), with no Bot Framework types:
// notulistBot.ts translates both ways and bot/afterTurn.ts performs the effects.
import type { AdaptiveCard } from '../../cards/render';
import type { CardKind } from '../../cards/verbs';
import type { Strings } from '../../services/i18n';
import type { MeetingService } from '../../services/meeting/service';
import type { MinutesService } from '../../services/minutes/minutesService';
import type { Meeting, Person } from '../../services/meeting/types';
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
  /** For a refresh or a paged card: the item or page the card shows. */
  cardItemId?: string;
  cardPage?: number;
  /**
   * The message the click came from (Teams' replyToId). Only ever used to notice a card whose moment
   * has passed (it is not the live one the bot recorded), never to pick a message to edit.
   */
  messageId?: string;
  /** Action.Execute: the answer is a card that replaces the clicked one, for the clicker only. */
  isInvoke: boolean;
  /** A 1:1 chat: the one person there sees their own view in every card. */
  personal: boolean;
  /** Where to post after the turn (the conversation reference), opaque outside bot/. */
  where: Record<string, unknown>;
}

/** Which messages show a meeting's live cards (the bot's own record). */
export type LiveCardIds = Pick<Meeting, 'agendaCardId' | 'meetingCardIds' | 'itemCard'>;

export type Reply = { text: string } | { card: AdaptiveCard; text?: string };

/**
 * What happens after the turn, as data (bot/afterTurn.ts performs it). Only the bot's own record of
 * what it posted decides which message is edited.
 */
export type Effect =
  /**
   * The meeting changed: its live agenda and item cards are edited (coalesced) to show it. `cards`: the
   * meeting as the change left it, when the handler has it (saves reading the series again).
   */
  | { kind: 'cardsChanged'; meetingId: string; cards?: LiveCardIds }
  /** Post a fresh live agenda card at the bottom of the chat (with a banner); the one before retires. */
  | { kind: 'postAgenda'; meetingId: string; banner?: string }
  /** Post a fresh live item card (the current item); the one before retires. */
  | { kind: 'postItem'; meetingId: string; banner?: string }
  /** Post a card to the chat (a click's news everyone should see). */
  | { kind: 'post'; card: AdaptiveCard; text?: string }
  /** Post the meeting's card (shared, with a banner) and keep its id: later changes edit it, closing takes its forms away. */
  | { kind: 'postMeeting'; meetingId: string; banner?: string }
  /** Edit these messages of the bot into a retired form (a cancelled meeting's cards). */
  | { kind: 'retire'; activityIds: string[]; title: string; text: string }
  /** Publish after the turn (listed as under way already): a progress card, then the result. */
  | { kind: 'publish'; meetingId: string }
  /** Earlier minutes were adopted: publish them again with their new status. */
  | { kind: 'republish'; meetingId: string };

export interface TurnResult {
  /** Typed commands: posted as new messages, in order. */
  replies: Reply[];
  /** Card clicks: the card that replaces the clicked one for the clicker. */
  invokeCard?: AdaptiveCard;
  effects: Effect[];
}

export interface Services {
  meetings: MeetingService;
  minutes: MinutesService;
}
