// Sends and edits the bot's cards in a chat without flooding it. Teams counts an edit as a send (per bot
// and conversation: 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour), and the answers to commands are
// sends too, so the edits take at most half of each of those budgets and leave the rest to the answers:
// - Edits to one conversation are coalesced: a burst of changes becomes one edit per message, rendered
//   from the newest state when it is sent, in one flush per interval at most.
// - A flush of several edits makes the next wait an interval per edit (one a second: 30 in 30 s); it
//   sends them three at a time, two intervals apart (at most 4 in 2 s).
// - Over the hour a chat's edits draw on a reserve (EDIT_BUDGET: 300, one more every six intervals; about
//   900 an hour, a flush overdrawing it by its own few edits, paid back before the next): a chat busy for
//   many minutes on end gets an edit every 6 s, instead of one a second until Teams refuses its answers.
//   (The 30 in 30 s is as near: a flush of k edits comes a gap after the last, then waits k intervals.)
// - A process under load (its event loop busy most of the time, edits waiting in other chats too) spaces
//   the flushes further apart, up to four times: the answers to commands come first, and every card
//   still shows the newest state when its edit goes.
// - A chat with no edit in its last gap gets its edit at once, after the turn: one person typing sees
//   the card change with the answer.
//
// An edit goes out without a turn, through connectorHttp's pipeline of the bot's own: signed by the
// credentials a proactive turn's connector client would have (NotulistAdapter.connectorCredentials), a 429
// retried after its Retry-After and a 5xx with backoff, as the SDK's client does; what still fails reaches
// the caller, not the adapter's onTurnError. Not through a proactive turn and the SDK's client: their
// generator functions keep each edit (its card) alive into the old generation (connectorHttp.ts). Its body
// is written here around the card's JSON (made once per card), not by the SDK's model serializer, which
// walks and copies the card again. Unlike TurnContext.updateActivity it runs no onUpdateActivity handlers
// (the bot registers none).
//
// Conversations are told apart by tenant and conversation id together (an id can repeat across
// tenants), and every edit goes out through the reference of the turn that asked for it.
import { ActivityTypes, CardFactory, CloudAdapter, ConversationReference, TurnContext } from 'botbuilder';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AdaptiveCard, cardJson } from '../cards/render';
import type { Logger } from '../services/log';
import { setNewest } from '../services/newest';
import type { CardSender, Where } from './afterTurn';
import { activitiesUrl, ConnectorCredentials, ConnectorSend } from './connectorHttp';

type Render = () => Promise<AdaptiveCard | undefined>;

/** What LiveCards needs of the adapter: a proactive turn to post in, the credentials an edit is signed with. */
export interface LiveCardsAdapter extends Pick<CloudAdapter, 'continueConversationAsync'> {
  connectorCredentials(appId: string, serviceUrl: string): Promise<ConnectorCredentials>;
}

/** An edit waiting to be sent, with its own reference, and who waits for it (also for the edits it replaced). */
interface PendingEdit {
  ref: Partial<ConversationReference>;
  render: Render;
  waiters: (() => void)[];
}

interface Queue {
  pending: Map<string, PendingEdit>;
  /** Set while a flush is scheduled: cancels it. */
  armed?: () => void;
  running?: Promise<void>;
}

/** Chats whose last edit time is kept at most; the oldest go first (long quiet by then). */
const MAX_LAST_SENT = 10_000;
/** Messages whose shown card is kept at most. */
const MAX_SHOWN = 2000;

export interface LiveCardsOptions {
  /** Minimum time between two edits in one conversation. */
  intervalMs?: number;
  /**
   * The least a chat edited within its gap waits (for more changes to coalesce). None by default: the
   * gap coalesces a burst already, and a change that comes as the gap ends (a chat with a turn a second)
   * would wait this long more.
   */
  debounceMs?: number;
  /** A chat's edits over the hour (EDIT_BUDGET by default, its refill in intervals; tests make it small). */
  editBudget?: EditBudget;
}

/** A chat's edits at once, and how often one more is allowed: about burst + 3600 s / refillMs an hour. */
export interface EditBudget {
  burst: number;
  refillMs: number;
}

/** About 300 + 600 an hour at the interval of 1 s: half of Teams' 1,800 sends an hour per conversation. */
const EDIT_BUDGET = { burst: 300, refillIntervals: 6 };

/** When a chat's last edits went out, how long the next must wait, and its budget left then (may be below 0). */
interface Pace {
  at: number;
  gap: number;
  budget: number;
}

/** A process this busy (the event loop's utilization) starts spacing the edits further apart ... */
const BUSY_FROM = 0.5;
/** ... up to this many times their gap, when fully busy. */
const BUSY_FACTOR = 4;
const ELU_EVERY_MS = 250;
/** Edits of one flush sent side by side (the agenda, item and meeting cards of one change). */
const EDITS_AT_ONCE = 3;

const chatKey = (w: Pick<Where, 'tenantId' | 'conversationId'>) => `${w.tenantId}\u0000${w.conversationId}`;

export class LiveCards implements CardSender {
  private readonly queues = new Map<string, Queue>();
  /** When each chat's last edits went out and what it may send next; kept while its queue comes and goes. */
  private readonly lastSent = new Map<string, Pace>();
  /** How busy the event loop was lately (0..1), measured at most every ELU_EVERY_MS. */
  private busy = { at: 0, utilization: 0, mark: performance.eventLoopUtilization() };
  /** What each message shows now (a digest of its card), so an edit that would change nothing is not sent. */
  private readonly shown = new Map<string, string>();
  private readonly intervalMs: number;
  private readonly debounceMs: number;
  private readonly budget: EditBudget;
  /** Who waits for every scheduled edit to have been sent (idle()). */
  private idlers: (() => void)[] = [];

  constructor(
    private readonly adapter: LiveCardsAdapter,
    private readonly appId: string,
    private readonly send: ConnectorSend,
    private readonly log: Logger,
    opts: LiveCardsOptions = {},
  ) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.debounceMs = opts.debounceMs ?? 0;
    // A chat's pace scales with the interval (tests run fast), its hour's budget too.
    this.budget = opts.editBudget ?? { burst: EDIT_BUDGET.burst, refillMs: EDIT_BUDGET.refillIntervals * this.intervalMs };
  }

  edit(where: Where, activityId: string, render: Render): Promise<void> {
    const key = chatKey(where);
    let q = this.queues.get(key);
    if (!q) {
      q = { pending: new Map() };
      this.queues.set(key, q);
    }
    const waiters = q.pending.get(activityId)?.waiters ?? [];
    const sent = new Promise<void>((resolve) => waiters.push(resolve));
    q.pending.set(activityId, { ref: where.ref as Partial<ConversationReference>, render, waiters });
    this.arm(key, q);
    return sent;
  }

  /** Notes what a message shows (a card sent in a turn), so an identical edit is skipped. */
  remember(where: Pick<Where, 'tenantId' | 'conversationId'>, activityId: string, card: AdaptiveCard): void {
    setNewest(this.shown, `${chatKey(where)}|${activityId}`, fingerprint(card), MAX_SHOWN);
  }

  async post(where: Where, card: AdaptiveCard, text?: string): Promise<string | undefined> {
    let id: string | undefined;
    await this.proactive(where.ref as Partial<ConversationReference>, async (ctx) => {
      id = (await ctx.sendActivity({ type: 'message', text, attachments: [CardFactory.adaptiveCard(card)] }))?.id;
    });
    if (id) this.remember(where, id, card);
    return id;
  }

  async drain(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const busy = [...this.queues.entries()].filter(([, q]) => q.pending.size || q.running || q.armed);
      if (!busy.length) return;
      for (const [key, q] of busy) {
        if (q.armed && !q.running) {
          q.armed();
          q.armed = undefined;
          this.start(key, q);
        }
      }
      await Promise.all(busy.map(([, q]) => q.running));
    }
  }

  /**
   * Resolves once every edit scheduled so far (and any scheduled meanwhile) has been sent or given up on,
   * on the chats' own schedule: for whoever must see the cards as they end up (tests, replays).
   */
  idle(): Promise<void> {
    if (!this.queues.size) return Promise.resolve();
    return new Promise((resolve) => this.idlers.push(resolve));
  }

  private arm(key: string, q: Queue): void {
    if (q.armed || q.running) return;
    const last = this.lastSent.get(key);
    const now = Date.now();
    // The load factor only when other chats wait for edits too: a chat alone keeps its pace.
    const gap = last ? last.gap * (this.queues.size > 1 ? this.loadFactor() : 1) : 0;
    // A chat whose hour's budget is spent waits until it holds one edit again.
    const wait = last ? Math.max(gap - (now - last.at), (1 - this.budgetAt(last, now)) * this.budget.refillMs) : 0;
    const go = () => {
      q.armed = undefined;
      this.start(key, q);
    };
    // Quiet: after the turn's own changes (setImmediate runs after them, a millisecond before a timer of
    // 0 would). Busy: coalesced, a gap apart.
    if (wait <= 0) {
      const soon = setImmediate(go);
      q.armed = () => clearImmediate(soon);
      return;
    }
    const timer = setTimeout(go, Math.max(this.debounceMs, wait));
    timer.unref?.();
    q.armed = () => clearTimeout(timer);
  }

  private start(key: string, q: Queue): void {
    q.running = this.flush(key, q).finally(() => {
      q.running = undefined;
      if (q.pending.size) this.arm(key, q);
      else this.queues.delete(key);
      if (!this.queues.size) for (const done of this.idlers.splice(0)) done();
    });
  }

  /** The edits a chat may send at `now`: its budget then, refilled since (all of it, never having sent). */
  private budgetAt(pace: Pace | undefined, now: number): number {
    // No refill time (an interval of 0, in tests): no budget to wait for.
    if (!pace || this.budget.refillMs <= 0) return this.budget.burst;
    return Math.min(this.budget.burst, pace.budget + (now - pace.at) / this.budget.refillMs);
  }

  /** 1 while the process is not busy, up to BUSY_FACTOR when its event loop never rests. */
  private loadFactor(): number {
    const now = Date.now();
    if (now - this.busy.at >= ELU_EVERY_MS) {
      const mark = performance.eventLoopUtilization();
      this.busy = { at: now, utilization: performance.eventLoopUtilization(mark, this.busy.mark).utilization, mark };
    }
    return 1 + (BUSY_FACTOR - 1) * Math.max(0, (this.busy.utilization - BUSY_FROM) / (1 - BUSY_FROM));
  }

  private async flush(key: string, q: Queue): Promise<void> {
    const batch = [...q.pending.entries()];
    q.pending.clear();
    let sent = 0;
    try {
      // A few at a time: the cards of one change reach everyone together, within half of Teams' 7 sends a
      // second and 8 in 2 s; more (cards retired as new ones are posted) two intervals later.
      for (let i = 0; i < batch.length; i += EDITS_AT_ONCE) {
        if (i > 0) await new Promise((r) => setTimeout(r, 2 * this.intervalMs));
        const went = await Promise.all(batch.slice(i, i + EDITS_AT_ONCE).map(([id, edit]) => this.editOne(key, id, edit)));
        sent += went.filter(Boolean).length;
      }
    } finally {
      for (const [, { waiters }] of batch) for (const done of waiters) done();
    }
    // Half of Teams' 60 sends per 30 s in a chat: an interval per edit; and the hour's budget drawn on.
    if (sent) {
      const now = Date.now();
      const budget = this.budgetAt(this.lastSent.get(key), now) - sent;
      setNewest(this.lastSent, key, { at: now, gap: sent * this.intervalMs, budget }, MAX_LAST_SENT);
    }
  }

  /**
   * One edit: rendered now, sent unless the message shows it already; a failure is logged, not passed on.
   * True when it was sent.
   */
  private async editOne(key: string, activityId: string, { ref, render }: PendingEdit): Promise<boolean> {
    try {
      const card = await render();
      const shownKey = `${key}|${activityId}`;
      const shown = card && fingerprint(card);
      if (!card || this.shown.get(shownKey) === shown) return false;
      await this.put(ref, activityId, card);
      setNewest(this.shown, shownKey, shown!, MAX_SHOWN);
      return true;
    } catch (err) {
      this.log.warn({ err: errorSummary(err), activityId }, 'card update failed');
      return false;
    }
  }

  /**
   * Replaces a message's card: the request TurnContext.updateActivity makes in a proactive turn (the
   * reference applied, PUT v3/conversations/{id}/activities/{id}), signed by the credentials such a turn's
   * connector client has.
   */
  private async put(ref: Partial<ConversationReference>, activityId: string, card: AdaptiveCard): Promise<void> {
    const { serviceUrl, conversation } = ref;
    if (!serviceUrl || !conversation?.id) throw new Error('the reference names no serviceUrl or conversation');
    const credentials = await this.adapter.connectorCredentials(this.appId, serviceUrl);
    const activity = TurnContext.applyConversationReference({ type: ActivityTypes.Message, id: activityId }, ref);
    // An edit answers nothing (in a proactive turn the SDK names a continuation id no message has).
    delete activity.replyToId;
    const body = `${JSON.stringify(activity).slice(0, -1)},"attachments":[{"contentType":${JSON.stringify(CardFactory.contentTypes.adaptiveCard)},"content":${cardJson(card)}}]}`;
    await this.send({ method: 'PUT', url: activitiesUrl(serviceUrl, conversation.id, activityId), body, credentials });
  }

  /** A proactive turn (posts' only), whose failure goes to the caller: the adapter would hand it to onTurnError and swallow it. */
  private async proactive(ref: Partial<ConversationReference>, work: (ctx: TurnContext) => Promise<void>): Promise<void> {
    let failure: unknown;
    await this.adapter.continueConversationAsync(this.appId, ref, async (ctx) => {
      try {
        await work(ctx);
      } catch (err) {
        failure = err;
      }
    });
    if (failure !== undefined) throw failure;
  }
}

/** A card's digest: what a message shows, kept small (a card is up to 28 KB, and 2000 are kept). */
function fingerprint(card: AdaptiveCard): string {
  return createHash('sha1').update(cardJson(card)).digest('base64');
}

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status;
}

export function errorSummary(err: unknown): { message: string; status?: number } {
  return { message: err instanceof Error ? err.message : String(err), status: statusOf(err) };
}
