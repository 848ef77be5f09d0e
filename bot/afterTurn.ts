// What happens after a turn, driven by the effects its handler returned: the live cards are posted,
// edited and retired, and minutes are published. Which message is the live agenda or item card is the
// bot's own record (the meeting's agendaCardId / itemCard), written here and nowhere else; an id in an
// incoming activity never decides what is edited. Cards are sent through a CardSender (LiveCards in
// the bot, a fake in the unit tests), so this module needs no Bot Framework.
import { privilegedUserIds, retiredAgendaCard, retiredCard, retiredItemCard, shared } from '../cards/cards';
import type { AdaptiveCard } from '../cards/render';
import { strings } from '../services/i18n';
import type { Logger } from '../services/log';
import * as ops from '../services/meeting/operations';
import type { Meeting, Series } from '../services/meeting/types';
import type { PendingPublish } from '../services/minutes/pendingPublishes';
import type { Effect, LiveCardIds, Services } from './handlers';
import { publicationCard } from './handlers/minutes';
import { liveAgendaCard, liveItemCard, sharedMeetingCard } from './handlers/views';

/** How many of a meeting's posted meeting cards are kept up to date (older ones keep what they showed). */
const MAX_MEETING_CARDS = 10;

/** Where a card goes: the chat (tenant and conversation) and the reference to reach it, opaque here. */
export interface Where {
  tenantId: string;
  conversationId: string;
  ref: Record<string, unknown>;
}

type Render = () => Promise<AdaptiveCard | undefined>;

/** What this module needs of the chat: post a card, edit one (coalesced), wait for the edits. */
export interface CardSender {
  /** Posts a new message; resolves with its id, rejects when the connector refused it. */
  post(where: Where, card: AdaptiveCard, text?: string): Promise<string | undefined>;
  /** Schedules an edit; settles once the message got this edit or a later one (or sending failed and was logged). */
  edit(where: Where, activityId: string, render: Render): Promise<void>;
  drain(): Promise<void>;
}

export interface AfterTurnDeps {
  services: Services;
  cards: CardSender;
  log: Logger;
  /** Background work (publishing) the server waits for on shutdown. */
  background: Set<Promise<unknown>>;
}

export class AfterTurn {
  constructor(private readonly deps: AfterTurnDeps) {}

  /**
   * Performs a turn's effects in order. Posts are done before this resolves (they belong to the turn's
   * answer); edits are scheduled, and returned for whoever wants to wait for them (the turn does not).
   */
  async perform(where: Where, effects: Effect[]): Promise<Promise<void>[]> {
    const edits: Promise<void>[] = [];
    const changed = new Set<string>();
    for (const effect of effects) {
      try {
        switch (effect.kind) {
          case 'cardsChanged':
            if (!changed.has(effect.meetingId)) edits.push(...(await this.refresh(where, effect.meetingId, effect.cards)));
            changed.add(effect.meetingId);
            break;
          case 'postAgenda':
            edits.push(...(await this.postAgenda(where, effect.meetingId, effect.banner)));
            break;
          case 'postItem':
            edits.push(...(await this.postItem(where, effect.meetingId, effect.banner)));
            break;
          case 'post':
            await this.deps.cards.post(where, effect.card, effect.text);
            break;
          case 'postMeeting':
            await this.postMeeting(where, effect.meetingId, effect.banner);
            break;
          case 'retire':
            for (const id of effect.activityIds)
              edits.push(this.deps.cards.edit(where, id, async () => retiredCard(effect.title, effect.text)));
            break;
          case 'publish':
            await this.publish(where, effect.meetingId);
            break;
          case 'republish':
            this.background(this.republish(where, effect.meetingId), effect.meetingId);
            break;
        }
      } catch (err) {
        this.deps.log.warn({ err: err instanceof Error ? err.message : String(err), effect: effect.kind }, 'after-turn work failed');
      }
    }
    return edits;
  }

  private async read(where: Where, meetingId: string): Promise<{ series: Series; meeting?: Meeting }> {
    const series = await this.deps.services.meetings.read(where.tenantId, where.conversationId);
    return { series, meeting: series.meetings.find((m) => m.id === meetingId) };
  }

  /**
   * Edits the meeting's live cards to its newest state (rendered when sent; a card retired meanwhile is left
   * alone). The cards of one change go out in one flush, so they share one read made when the first renders.
   */
  private async refresh(where: Where, meetingId: string, known?: LiveCardIds): Promise<Promise<void>[]> {
    // Which messages to edit: as the turn left the meeting, or as stored. Each render checks it again.
    const meeting = known ?? (await this.read(where, meetingId)).meeting;
    if (!meeting) return [];
    let read: ReturnType<AfterTurn['read']> | undefined;
    const current = () => (read ??= this.read(where, meetingId));
    const edits: Promise<void>[] = [];
    const agendaId = meeting.agendaCardId;
    if (agendaId)
      edits.push(
        this.deps.cards.edit(where, agendaId, async () => {
          const fresh = await current();
          if (!fresh.meeting || fresh.meeting.agendaCardId !== agendaId) return undefined;
          return liveAgendaCard(strings(fresh.meeting.locale), fresh.series, fresh.meeting);
        }),
      );
    for (const cardId of meeting.meetingCardIds ?? [])
      edits.push(
        this.deps.cards.edit(where, cardId, async () => {
          const fresh = await current();
          if (!fresh.meeting?.meetingCardIds?.includes(cardId)) return undefined;
          return sharedMeetingCard(strings(fresh.meeting.locale), fresh.series, fresh.meeting);
        }),
      );
    const itemId = meeting.itemCard?.activityId;
    if (itemId)
      edits.push(
        this.deps.cards.edit(where, itemId, async () => {
          const fresh = await current();
          if (!fresh.meeting || fresh.meeting.itemCard?.activityId !== itemId) return undefined;
          return liveItemCard(strings(fresh.meeting.locale), fresh.series, fresh.meeting);
        }),
      );
    return edits;
  }

  /** Posts a fresh live agenda card at the bottom of the chat and records it; the one it replaces retires. */
  private async postAgenda(where: Where, meetingId: string, banner?: string): Promise<Promise<void>[]> {
    const { series, meeting } = await this.read(where, meetingId);
    if (!meeting) return [];
    const s = strings(meeting.locale);
    const id = await this.deps.cards.post(where, liveAgendaCard(s, series, meeting, banner ? { text: banner, style: 'good' } : undefined));
    if (!id) return [];
    const replaced = await this.record(where, meetingId, (m) => {
      const before = m.agendaCardId;
      m.agendaCardId = id;
      return before;
    });
    return replaced && replaced !== id ? [this.deps.cards.edit(where, replaced, async () => retiredAgendaCard(s, meeting))] : [];
  }

  /** Posts the meeting's card and keeps its id (the last few), so the meeting's changes edit it too. */
  private async postMeeting(where: Where, meetingId: string, banner?: string): Promise<void> {
    const { series, meeting } = await this.read(where, meetingId);
    if (!meeting) return;
    const card = sharedMeetingCard(strings(meeting.locale), series, meeting, banner ? { text: banner, style: 'good' } : undefined);
    const id = await this.deps.cards.post(where, card);
    if (!id) return;
    await this.record(where, meetingId, (m) => {
      m.meetingCardIds = [...(m.meetingCardIds ?? []), id].slice(-MAX_MEETING_CARDS);
    });
  }

  /** Posts the live item card (the current item) at the bottom of the chat; the one it replaces retires. */
  private async postItem(where: Where, meetingId: string, banner?: string): Promise<Promise<void>[]> {
    const { series, meeting } = await this.read(where, meetingId);
    if (!meeting) return [];
    const s = strings(meeting.locale);
    const card = liveItemCard(s, series, meeting, banner ? { text: banner, style: 'good' } : undefined);
    const item = ops.currentItem(meeting);
    if (!card || !item) return [];
    const id = await this.deps.cards.post(where, card);
    if (!id) return [];
    const replaced = await this.record(where, meetingId, (m) => {
      const before = m.itemCard;
      m.itemCard = { activityId: id, itemId: item.id };
      return before;
    });
    if (!replaced || replaced.activityId === id) return [];
    const was = meeting.agenda.find((i) => i.id === replaced.itemId);
    return [this.deps.cards.edit(where, replaced.activityId, async () => retiredItemCard(s, meeting, was))];
  }

  /** The bot's own record of its live cards, written in the meeting (the only place it is kept). */
  private async record<T>(where: Where, meetingId: string, write: (m: Meeting) => T): Promise<T | undefined> {
    const { result } = await this.deps.services.meetings.update(where.tenantId, where.conversationId, (series) => {
      const m = series.meetings.find((x) => x.id === meetingId);
      return m ? write(m) : undefined;
    });
    return result;
  }

  /**
   * Posts the progress card, then publishes in the background and turns that card into the result. The
   * publish does not wait on the chat: a progress card the connector refused leaves the result to be posted.
   */
  private async publish(where: Where, meetingId: string): Promise<void> {
    const { meeting } = await this.read(where, meetingId);
    if (!meeting) return;
    const cardId = await this.deps.cards.post(where, this.publicationCard(where, meeting)).catch((err: unknown) => {
      this.deps.log.warn({ meetingId, err: err instanceof Error ? err.message : String(err) }, 'progress card not posted');
      return undefined;
    });
    if (cardId) await this.deps.services.minutes.noteProgressCard(where.tenantId, where.conversationId, meetingId, cardId);
    this.background(this.finishPublish(where, meetingId, cardId), meetingId);
  }

  private async finishPublish(where: Where, meetingId: string, cardId: string | undefined): Promise<void> {
    const outcome = await this.deps.services.minutes.publish(where.tenantId, where.conversationId, meetingId);
    if (!outcome) {
      this.deps.log.info({ meetingId }, 'nothing to publish: the meeting is gone');
      return;
    }
    const p = outcome.meeting.minutes.publication;
    // A failed publish is told in the chat; the log keeps why, at a level an operator watches.
    if (p?.state === 'failed') this.deps.log.warn({ meetingId, error: p.error }, 'minutes not published');
    else this.deps.log.info({ meetingId, state: p?.state, files: p?.files.length }, 'minutes published');
    const card = this.publicationCard(where, outcome.meeting);
    if (cardId) await this.deps.cards.edit(where, cardId, async () => card);
    else await this.deps.cards.post(where, card);
  }

  /** Adopted minutes published again with their new status: listed first, so a restart finishes it too. */
  private async republish(where: Where, meetingId: string): Promise<void> {
    await this.deps.services.minutes.track({ ...this.job(where, meetingId), since: new Date().toISOString() });
    await this.finishPublish(where, meetingId, undefined);
  }

  private job(where: Where, meetingId: string): Omit<PendingPublish, 'since'> {
    return { tenantId: where.tenantId, conversationId: where.conversationId, meetingId, where: where.ref };
  }

  private publicationCard(where: Where, meeting: Meeting): AdaptiveCard {
    const s = strings(meeting.locale);
    return shared(
      publicationCard(s, meeting, this.deps.services, where, 'member'),
      { card: 'publish', meetingId: meeting.id },
      privilegedUserIds(meeting),
    );
  }

  private background(work: Promise<void>, meetingId: string): void {
    const run = work.catch((err) =>
      this.deps.log.error({ meetingId, err: err instanceof Error ? err.message : String(err) }, 'publishing failed'),
    );
    this.deps.background.add(run);
    void run.finally(() => this.deps.background.delete(run));
  }

  /** At start: finishes the publishes a crash or restart interrupted, and turns their progress cards into the result. */
  async resumePublishes(): Promise<number> {
    const jobs = await this.deps.services.minutes.interrupted();
    for (const job of jobs) {
      this.deps.log.info({ meetingId: job.meetingId, since: job.since }, 'finishing an interrupted publish');
      const where = { tenantId: job.tenantId, conversationId: job.conversationId, ref: job.where };
      this.background(this.finishPublish(where, job.meetingId, job.cardActivityId), job.meetingId);
    }
    return jobs.length;
  }
}
