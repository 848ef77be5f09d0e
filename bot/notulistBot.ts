// The Teams side of a turn: reads the activity (text with the bot's @mention, card clicks, meeting
// events), turns it into a Turn, lets the router handle it, and sends what comes back. The only place,
// with bot/liveCards.ts and the server, that knows the Bot Framework.
import {
  Activity,
  AdaptiveCardInvokeResponse,
  AdaptiveCardInvokeValue,
  CardFactory,
  ConversationReference,
  InvokeResponse,
  MeetingEndEventDetails,
  MeetingStartEventDetails,
  MessageFactory,
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { agendaCard, itemCard, messageCard, welcomeCard } from '../cards/cards';
import type { AdaptiveCard } from '../cards/render';
import { strings, Strings } from '../services/i18n';
import type { Logger } from '../services/log';
import * as ops from '../services/meeting/operations';
import type { Meeting, Person, Series } from '../services/meeting/types';
import type { PendingPublish } from '../services/minutes/pendingPublishes';
import { storableText } from './activityInput';
import { Command, Mention, parseCardData, parseText } from './commands';
import { handle, Services, Turn, TurnResult } from './handlers';
import { publicationCard } from './handlers/minutes';
import { errorSummary, LiveCards } from './liveCards';

/** Longer messages are refused before parsing; proposals are the longest legitimate texts. */
export const MAX_MESSAGE_CHARS = 100_000;
/** Mentions past this many in one message are ignored (a command uses one). */
const MAX_MENTIONS = 20;
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** How long a typed command's turn waits for the card edits it caused (they are coalesced, ~1 s apart). */
const EDIT_WAIT_MS = 3000;

export interface BotDeps {
  services: Services;
  liveCards: LiveCards;
  log: Logger;
  /** Background work (publishing) the server waits for on shutdown. */
  background: Set<Promise<unknown>>;
}

export class NotulistBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
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
      const req = parseCardData(a.value);
      await this.runTurn(ctx, {
        ...this.turnBase(ctx, s),
        command: req.command,
        cardMeetingId: req.meetingId,
        card: req.card,
        isInvoke: false,
      });
      return;
    }
    const raw = a.text ?? '';
    if (raw.length > MAX_MESSAGE_CHARS) {
      await ctx.sendActivity(s.input.tooLong(MAX_MESSAGE_CHARS));
      return;
    }
    const text = stripNul(TurnContext.removeRecipientMention(a) ?? raw).replace(/^\s*<at>[^<]*<\/at>\s*/i, '');
    const command = await this.withRoster(ctx, parseText(text, this.mentions(ctx)));
    await this.runTurn(ctx, { ...this.turnBase(ctx, s), command, isInvoke: false });
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
    const turn: Turn = { ...this.turnBase(ctx, s), command: req.command, cardMeetingId: req.meetingId, card: req.card, isInvoke: true };
    try {
      const result = await this.runTurn(ctx, turn);
      const card = result.invokeCard ?? messageCard(s.input.badCardData(), 'attention');
      return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card as unknown as Record<string, unknown> };
    } catch (err) {
      // Teams shows "something went wrong" for a failed invoke; a card that says so is kinder.
      this.deps.log.error({ err: errorSummary(err) }, 'card action failed');
      return {
        statusCode: 200,
        type: CARD_CONTENT_TYPE,
        value: messageCard(s.input.error(), 'attention') as unknown as Record<string, unknown>,
      };
    }
  }

  private turnBase(ctx: TurnContext, s: Strings): Omit<Turn, 'command' | 'isInvoke'> {
    const a = ctx.activity;
    const tenantId = tenantOf(a);
    return {
      where: TurnContext.getConversationReference(a) as Record<string, unknown>,
      tenantId,
      conversationId: a.conversation.id,
      actor: { id: a.from.id, aadObjectId: a.from.aadObjectId || undefined, name: (a.from.name ?? '').trim() || a.from.id },
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
    if (command.kind !== 'setChair' && command.kind !== 'action') return command;
    const person = command.kind === 'setChair' ? command.chair : command.ownerUser;
    if (!person || ctx.activity.channelId !== 'msteams') return command;
    const found: Person = { ...person };
    try {
      const member = await TeamsInfo.getMember(ctx, person.id);
      if (member.aadObjectId) found.aadObjectId = member.aadObjectId;
      if (typeof member.name === 'string' && member.name.trim()) found.name = storableText(member.name).trim();
    } catch {
      // The roster is a nicety: the mention's id alone binds the role.
    }
    return command.kind === 'setChair' ? { ...command, chair: found } : { ...command, ownerUser: found };
  }

  /** One turn: handle, send the replies, then the follow-up work (live cards, publishing). */
  private async runTurn(ctx: TurnContext, turn: Turn): Promise<TurnResult> {
    const log = this.deps.log.child({ turn: randomUUID().slice(0, 8), command: turn.command.kind, invoke: turn.isInvoke });
    const result = await handle(turn, this.deps.services);
    log.info({ changed: !!result.changedMeetingId }, 'turn handled');
    const ref = TurnContext.getConversationReference(ctx.activity) as Partial<ConversationReference>;
    let sentItemCardId: string | undefined;
    let sentProgressId: string | undefined;
    if (!turn.isInvoke) {
      for (const reply of result.replies) {
        const activity: Partial<Activity> =
          'card' in reply
            ? { type: 'message', text: reply.text, attachments: [CardFactory.adaptiveCard(reply.card)] }
            : { type: 'message', text: reply.text };
        const sent = await ctx.sendActivity(activity);
        if ('card' in reply && sent?.id) this.deps.liveCards.remember(sent.id, reply.card);
        if ('card' in reply && result.itemShown && !sentItemCardId) sentItemCardId = sent?.id;
        if ('card' in reply && result.publishMeetingId) sentProgressId = sent?.id;
      }
    }
    const replyToId = ctx.activity.replyToId;
    if (result.itemShown) {
      const id = turn.isInvoke ? replyToId : sentItemCardId;
      if (id) await this.trackItemCard(turn, result.itemShown.meetingId, id, result.itemShown.itemId);
    }
    if (result.postAgendaCard) await this.postAgendaCard(ctx, turn, result.postAgendaCard.meetingId);
    const job = { tenantId: turn.tenantId, conversationId: turn.conversationId, where: ref as Record<string, unknown> };
    if (result.publishMeetingId) {
      // Listed as under way by the handler's own write (MinutesService.begin); here only its card is added.
      const cardActivityId = turn.isInvoke ? replyToId : sentProgressId;
      if (cardActivityId)
        await this.deps.services.minutes.noteProgressCard(turn.tenantId, turn.conversationId, result.publishMeetingId, cardActivityId);
      this.startPublish({ ...job, meetingId: result.publishMeetingId, cardActivityId, since: new Date().toISOString() }, log, false);
    }
    if (result.republishMeetingId)
      this.startPublish({ ...job, meetingId: result.republishMeetingId, since: new Date().toISOString() }, log, true);
    if (result.changedMeetingId) {
      const edits = await this.refreshLiveCards(ref, turn.tenantId, turn.conversationId, result.changedMeetingId);
      // A typed command's turn ends once the cards it changed show it, so whoever waits for the answer (a
      // script, a replay) sees the command's whole effect before the next; a click is answered at once,
      // its own card being in the invoke response.
      if (!turn.isInvoke && edits.length) await settledWithin(Promise.all(edits), EDIT_WAIT_MS);
    }
    return result;
  }

  private async trackItemCard(turn: Turn, meetingId: string, activityId: string, itemId: string): Promise<void> {
    await this.deps.services.meetings.update(turn.tenantId, turn.conversationId, (series) => {
      const meeting = series.meetings.find((m) => m.id === meetingId);
      if (meeting && (meeting.itemCard?.activityId !== activityId || meeting.itemCard.itemId !== itemId))
        meeting.itemCard = { activityId, itemId };
    });
  }

  /** Posts a fresh live agenda card at the bottom of the chat; the previous one is retired. */
  private async postAgendaCard(ctx: TurnContext, turn: Turn, meetingId: string): Promise<void> {
    const series = await this.deps.services.meetings.read(turn.tenantId, turn.conversationId);
    const meeting = series.meetings.find((m) => m.id === meetingId);
    if (!meeting) return;
    const previous = meeting.agendaCardId;
    if (previous) {
      // Retired within the turn, so the chat never shows two live agendas.
      const stub = messageCard(strings(meeting.locale).card.agendaMoved, 'default');
      await ctx
        .updateActivity({ id: previous, type: 'message', attachments: [CardFactory.adaptiveCard(stub)] })
        .catch((err) => this.deps.log.warn({ err: errorSummary(err) }, 'could not retire the previous agenda card'));
    }
    const card = sharedAgendaCard(series, meeting);
    const sent = await ctx.sendActivity({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    if (!sent?.id) return;
    this.deps.liveCards.remember(sent.id, card);
    await this.deps.services.meetings.update(turn.tenantId, turn.conversationId, (s) => {
      const m = s.meetings.find((x) => x.id === meetingId);
      if (m) m.agendaCardId = sent.id;
    });
  }

  /** Schedules edits of the meeting's live cards, rendered from the newest state when sent; settle when sent. */
  private async refreshLiveCards(
    ref: Partial<ConversationReference>,
    tenantId: string,
    conversationId: string,
    meetingId: string,
  ): Promise<Promise<void>[]> {
    const read = async () => {
      const series = await this.deps.services.meetings.read(tenantId, conversationId);
      return { series, meeting: series.meetings.find((m) => m.id === meetingId) };
    };
    const { meeting } = await read();
    if (!meeting) return [];
    const edits: Promise<void>[] = [];
    const agendaId = meeting.agendaCardId;
    if (agendaId)
      edits.push(
        this.deps.liveCards.schedule(ref, agendaId, async () => {
          const fresh = await read();
          // A card retired since this edit was scheduled keeps its "moved" text.
          if (!fresh.meeting || fresh.meeting.agendaCardId !== agendaId) return undefined;
          return sharedAgendaCard(fresh.series, fresh.meeting);
        }),
      );
    if (meeting.itemCard) {
      const { activityId, itemId } = meeting.itemCard;
      edits.push(
        this.deps.liveCards.schedule(ref, activityId, async () => {
          const fresh = await read();
          const item = fresh.meeting?.agenda.find((i) => i.id === itemId);
          return fresh.meeting && item
            ? itemCard(strings(fresh.meeting.locale), fresh.series, fresh.meeting, item, { chairView: true })
            : undefined;
        }),
      );
    }
    return edits;
  }

  /**
   * Publishes after the turn, then replaces the progress card with the result (or posts the result).
   * `track`: list the job as under way first, so a restart finishes it (resumePublishes).
   */
  private startPublish(job: PendingPublish, log: Logger, track: boolean): void {
    const { minutes } = this.deps.services;
    const ref = job.where as Partial<ConversationReference>;
    const run = (async () => {
      if (track) await minutes.track(job);
      const outcome = await minutes.publish(job.tenantId, job.conversationId, job.meetingId);
      if (!outcome) {
        log.info({ meetingId: job.meetingId }, 'nothing to publish: the meeting is gone');
        return;
      }
      const { meeting } = outcome;
      const p = meeting.minutes.publication;
      log.info({ meetingId: job.meetingId, state: p?.state, files: p?.files.length, error: p?.error }, 'minutes published');
      const files = minutes.publishedLinks(job.tenantId, job.conversationId, meeting);
      const card = publicationCard(strings(meeting.locale), meeting, minutes.publisherKind, files);
      if (job.cardActivityId) this.deps.liveCards.schedule(ref, job.cardActivityId, async () => card);
      else await this.deps.liveCards.send(ref, card);
    })().catch((err) => log.error({ err: errorSummary(err) }, 'publishing failed'));
    this.deps.background.add(run);
    void run.finally(() => this.deps.background.delete(run));
  }

  /** At start: finishes the publishes a crash or restart interrupted. */
  async resumePublishes(): Promise<number> {
    const jobs = await this.deps.services.minutes.interrupted();
    for (const job of jobs) {
      const log = this.deps.log.child({ meetingId: job.meetingId, resumed: true });
      log.info({ since: job.since }, 'finishing an interrupted publish');
      this.startPublish(job, log, false);
    }
    return jobs.length;
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
    if (event === 'start') {
      const turn = {
        where: TurnContext.getConversationReference(ctx.activity) as Record<string, unknown>,
        tenantId,
        conversationId: ctx.activity.conversation.id,
        actor: { id: '', name: '' },
        s,
        command: { kind: 'showAgenda' } as Command,
        isInvoke: false,
      };
      await this.postAgendaCard(ctx, turn, meeting.id);
    } else {
      const name = meeting.secretaryName ?? meeting.secretary.name;
      const mention = { type: 'mention', text: `<at>${escapeAt(name)}</at>`, mentioned: { id: meeting.secretary.id, name } };
      await ctx.sendActivity({ type: 'message', text: s.done.meetingEnded(mention.text), entities: [mention] });
    }
  }
}

/** The agenda card everyone sees: the member view, with the chair's and secretary's own view fetched by their clients. */
function sharedAgendaCard(series: Series, meeting: Meeting): AdaptiveCard {
  const userIds = [meeting.secretary, ...meeting.chairs].map((p) => p.id).filter((id) => id.startsWith('29:'));
  return agendaCard(strings(meeting.locale), series, meeting, { chairView: false, refreshUserIds: [...new Set(userIds)] });
}

/** Waits for `work`, or `ms` at most. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  const timeout = new AbortController();
  try {
    await Promise.race([work, sleep(ms, undefined, { signal: timeout.signal }).catch(() => undefined)]);
  } finally {
    timeout.abort();
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
