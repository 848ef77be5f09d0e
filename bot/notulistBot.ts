// The Teams side of a turn: reads the activity (text with the bot's @mention, card clicks, meeting
// events), turns it into a Turn, lets the router handle it, sends the replies (or answers the click),
// and hands the effects to bot/afterTurn.ts. The only place, with bot/liveCards.ts and the server,
// that knows the Bot Framework.
import {
  Activity,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  CardFactory,
  InvokeResponse,
  MeetingEndEventDetails,
  MeetingStartEventDetails,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { messageCard, welcomeCard } from '../cards/cards';
import { strings, Strings } from '../services/i18n';
import type { Logger } from '../services/log';
import * as ops from '../services/meeting/operations';
import type { Person } from '../services/meeting/types';
import type { AfterTurn, Where } from './afterTurn';
import { storableText } from './activityInput';
import { CardRequest, Command, Mention, parseCardData, parseText } from './commands';
import { handle, refusedTurn, Services, Turn, TurnResult } from './handlers';
import type { LiveCards } from './liveCards';
import type { Replies } from './replies';
import { TurnLimits } from './limits';

/** Longer messages are refused before parsing; proposals are the longest legitimate texts. */
export const MAX_MESSAGE_CHARS = 100_000;
/** Mentions past this many in one message are ignored (a command uses one). */
const MAX_MENTIONS = 20;
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface BotDeps {
  services: Services;
  afterTurn: AfterTurn;
  liveCards: LiveCards;
  /** The answers of typed commands (bot/replies.ts). */
  replies: Replies;
  log: Logger;
  limits?: TurnLimits;
}

export class NotulistBot extends TeamsActivityHandler {
  private readonly limits: TurnLimits;

  constructor(private readonly deps: BotDeps) {
    super();
    this.limits = deps.limits ?? new TurnLimits();
    this.onMessage(async (ctx, next) => {
      await this.onText(ctx);
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(welcomeCard(strings(ctx.activity.locale)))));
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      const botAdded = (ctx.activity.membersAdded ?? []).some((m) => m.id === ctx.activity.recipient?.id);
      // Teams sends installationUpdate too; greet once, on whichever carries the bot.
      if (botAdded && ctx.activity.channelId !== 'msteams')
        await ctx.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(welcomeCard(strings(ctx.activity.locale)))));
      await next();
    });
    this.onTeamsMeetingStartEvent(async (meeting: MeetingStartEventDetails, ctx, next) => {
      await this.meetingEvent(ctx, 'start', meeting.startTime);
      await next();
    });
    this.onTeamsMeetingEndEvent(async (meeting: MeetingEndEventDetails, ctx, next) => {
      await this.meetingEvent(ctx, 'end', meeting.endTime);
      await next();
    });
  }

  // ---- messages and card clicks ----

  private async onText(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const s = strings(a.locale);
    if (a.value !== undefined && a.value !== null && (typeof a.value === 'object' || !a.text)) {
      // Action.Submit: the card's data arrives as the message's value.
      await this.handleTurn(ctx, this.cardTurn(ctx, s, parseCardData(a.value), false));
      return;
    }
    const raw = a.text ?? '';
    if (raw.length > MAX_MESSAGE_CHARS) {
      await this.deps.replies.text(ctx, s.input.tooLong(MAX_MESSAGE_CHARS));
      return;
    }
    const text = stripNul(TurnContext.removeRecipientMention(a) ?? raw).replace(/^\s*<at>[^<]*<\/at>\s*/i, '');
    const command = await this.withRoster(ctx, parseText(text, this.mentions(ctx)));
    await this.handleTurn(ctx, { ...this.turnBase(ctx, s), command, isInvoke: false });
  }

  /** Card clicks are answered here whatever their value holds: a malformed one gets a card saying so. */
  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    if (ctx.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(ctx);
    const response = await this.onAdaptiveCardInvoke(ctx, (ctx.activity.value ?? {}) as AdaptiveCardInvokeValue);
    return { status: response.statusCode, body: response };
  }

  protected override async onAdaptiveCardInvoke(ctx: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const s = strings(ctx.activity.locale);
    const action = (value as unknown as { action?: { verb?: unknown; data?: unknown } })?.action;
    const req = parseCardData(action?.data === undefined ? {} : action.data, typeof action?.verb === 'string' ? action.verb : undefined);
    const turn = this.cardTurn(ctx, s, req, true);
    try {
      const result = await this.handleTurn(ctx, turn);
      const card = result.invokeCard ?? messageCard(s.input.badCardData(), 'attention');
      return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> };
    } catch (err) {
      // Teams shows "something went wrong" for a failed invoke; a card that says so is kinder.
      this.deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'card action failed');
      return {
        statusCode: 200,
        type: CARD_CONTENT_TYPE,
        value: messageCard(s.input.error(), 'attention') as unknown as Record<string, unknown>,
      };
    }
  }

  /** A click's turn: Action.Execute (an invoke, answered with a card) or Action.Submit (a message with a value). */
  private cardTurn(ctx: TurnContext, s: Strings, req: CardRequest, isInvoke: boolean): Turn {
    return {
      ...this.turnBase(ctx, s),
      command: req.command,
      cardMeetingId: req.meetingId,
      card: req.card,
      cardItemId: req.itemId,
      cardPage: req.page,
      isInvoke,
    };
  }

  private turnBase(ctx: TurnContext, s: Strings): Omit<Turn, 'command' | 'isInvoke'> {
    const a = ctx.activity;
    return {
      where: TurnContext.getConversationReference(a) as Record<string, unknown>,
      tenantId: tenantOf(a),
      conversationId: a.conversation.id,
      actor: { id: a.from.id, aadObjectId: a.from.aadObjectId || undefined, name: (a.from.name ?? '').trim() || a.from.id },
      messageId: typeof a.replyToId === 'string' && a.replyToId ? a.replyToId : undefined,
      personal: a.conversation.conversationType === 'personal',
      s,
    };
  }

  /** Other users @mentioned in the message (the first MAX_MENTIONS), as their mention entities name them. */
  private mentions(ctx: TurnContext): Mention[] {
    const botId = ctx.activity.recipient?.id;
    const found: Mention[] = [];
    for (const e of ctx.activity.entities ?? []) {
      if (found.length >= MAX_MENTIONS) break;
      if (e.type !== 'mention') continue;
      const m = e as unknown as { text?: string; mentioned?: { id?: string; name?: string } };
      if (!m.mentioned?.id || m.mentioned.id === botId) continue;
      const person: Person = { id: m.mentioned.id, name: (m.mentioned.name ?? '').trim() || m.mentioned.id };
      found.push({ text: m.text ?? `<at>${person.name}</at>`, person });
    }
    return found;
  }

  /**
   * The user the command binds (the chair, an action's owner) with their Entra id and name from the roster,
   * when Teams has it: one lookup per message at most, whatever the number of mentions.
   */
  private async withRoster(ctx: TurnContext, command: Command): Promise<Command> {
    const person =
      command.kind === 'setChair' ? command.chair : command.kind === 'action' || command.kind === 'correct' ? command.ownerUser : undefined;
    if (!person || ctx.activity.channelId !== 'msteams') return command;
    const found: Person = { ...person };
    try {
      const member = await TeamsInfo.getMember(ctx, person.id);
      if (member.aadObjectId) found.aadObjectId = member.aadObjectId;
      if (typeof member.name === 'string' && member.name.trim()) found.name = storableText(member.name).trim();
    } catch {
      // The roster is a nicety: the mention's id alone binds the role.
    }
    if (command.kind === 'setChair') return { ...command, chair: found };
    if (command.kind === 'action' || command.kind === 'correct') return { ...command, ownerUser: found };
    return command;
  }

  /** One turn: admit, handle, send the replies, then perform the effects (live cards, publishing). */
  private async handleTurn(ctx: TurnContext, turn: Turn): Promise<TurnResult> {
    // Its lines are at info: the child logger (its bindings serialized and redacted) only when they are kept.
    const log = this.deps.log.isLevelEnabled('info')
      ? this.deps.log.child({ turn: randomUUID().slice(0, 8), command: turn.command.kind, invoke: turn.isInvoke })
      : undefined;
    // A refresh is Teams fetching someone's own view, not a command: never held back.
    if (turn.command.kind !== 'refresh' && !this.limits.admit(turn.tenantId, turn.conversationId, turn.actor.id)) {
      const text = turn.s.input.slowDown();
      log?.info('turn refused: flood limit');
      if (!turn.isInvoke) {
        await this.deps.replies.text(ctx, text);
        return { replies: [], effects: [] };
      }
      return refusedTurn(turn, this.deps.services, text).catch(() => ({
        replies: [],
        invokeCard: messageCard(text, 'warning'),
        effects: [],
      }));
    }
    const result = await handle(turn, this.deps.services);
    log?.info({ effects: result.effects.map((e) => e.kind) }, 'turn handled');
    const where: Where = { tenantId: turn.tenantId, conversationId: turn.conversationId, ref: turn.where };
    if (!turn.isInvoke) {
      for (const reply of result.replies) {
        const activity: Partial<Activity> =
          'card' in reply
            ? { type: 'message', text: reply.text, attachments: [CardFactory.adaptiveCard(reply.card)] }
            : { type: 'message', text: reply.text };
        const id = await this.deps.replies.reply(ctx, activity);
        if ('card' in reply && id) this.deps.liveCards.remember(where, id, reply.card);
      }
    }
    // Posts belong to the answer; the live cards' edits follow on the chat's own schedule (bot/liveCards.ts:
    // at once in a quiet chat), and nobody's answer waits for them. A click's own card is in its invoke answer.
    await this.deps.afterTurn.perform(where, result.effects);
    return result;
  }

  // ---- Teams meeting events ----

  private async meetingEvent(ctx: TurnContext, event: 'start' | 'end', at: unknown): Promise<void> {
    const tenantId = tenantOf(ctx.activity);
    const when =
      at instanceof Date
        ? at.toISOString()
        : typeof at === 'string' && !Number.isNaN(Date.parse(at))
          ? new Date(at).toISOString()
          : new Date().toISOString();
    const { result: meeting } = await this.deps.services.meetings.update(tenantId, ctx.activity.conversation.id, (series) =>
      ops.recordMeetingEvent(series, event, when),
    );
    if (!meeting) return;
    const s = strings(meeting.locale);
    const where: Where = {
      tenantId,
      conversationId: ctx.activity.conversation.id,
      ref: TurnContext.getConversationReference(ctx.activity) as Record<string, unknown>,
    };
    if (event === 'start') {
      await this.deps.afterTurn.perform(where, [{ kind: 'postAgenda', meetingId: meeting.id }]);
      return;
    }
    const name = meeting.secretaryName ?? meeting.secretary.name;
    const mention = { type: 'mention', text: `<at>${escapeAt(name)}</at>`, mentioned: { id: meeting.secretary.id, name } };
    await ctx.sendActivity({ type: 'message', text: s.done.meetingEnded(mention.text), entities: [mention] });
    await this.deps.afterTurn.perform(where, [{ kind: 'cardsChanged', meetingId: meeting.id }]);
  }
}

export function tenantOf(a: Partial<Activity>): string {
  const fromChannel = (a.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  return (typeof fromChannel === 'string' && fromChannel) || a.conversation?.tenantId || `channel:${a.channelId ?? 'unknown'}`;
}

function stripNul(text: string): string {
  // eslint-disable-next-line no-control-regex -- NUL cannot be stored in PostgreSQL's jsonb
  return text.replace(/\u0000/g, '');
}

function escapeAt(name: string): string {
  return name.replace(/[<>]/g, '');
}
