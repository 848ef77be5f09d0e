// Plays the Teams client against the bot over HTTP: activities shaped as Teams sends them in a meeting chat
// (the bot's @mention with its entity, user mentions, tenant and meeting in channelData), card clicks as
// Action.Execute invokes or Action.Submit messages, and the meeting start/end events.
import { randomUUID } from 'node:crypto';
import { CardOnScreen, Connector, ConnectorMember } from './connector';

export interface TeamsUser extends ConnectorMember {
  aadObjectId: string;
}

export interface BotAnswer {
  status: number;
  body: unknown;
}

export interface ClickOptions {
  /** Only actions with this verb (several "Vastleggen" buttons share a title). */
  verb?: string;
  /** Take the action from another chat's cards (a replayed or forged click). */
  source?: TeamsClient;
  /** Use Action.Submit semantics even for an Action.Execute (Teams' fallback on old clients). */
  asSubmit?: boolean;
  /** Click on this message only (as the user sees it), not on the newest card that has the action. */
  messageId?: string;
}

type Json = Record<string, unknown>;

export interface TeamsClientOptions {
  botUrl: string;
  connector: Connector;
  users: Record<string, TeamsUser>;
  tenantId?: string;
  conversationId?: string;
  locale?: string;
  botId?: string;
  /**
   * Run after each message is answered, before the next step: the in-process harness waits there until
   * the live-card edits the message caused have reached the connector (the bot answers before them).
   */
  settle?: () => Promise<void>;
}

export class TeamsClient {
  readonly botUrl: string;
  readonly connector: Connector;
  readonly users: Record<string, TeamsUser>;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly meetingId: string;
  readonly locale: string;
  readonly botId: string;
  private readonly settle?: () => Promise<void>;
  /** Cards the bot answered invokes with: Teams shows them in place of the clicked card. */
  readonly invokeAnswers: { replyToId?: string; card: Json; seq: number; userId?: string; refresh?: boolean }[] = [];

  constructor(o: TeamsClientOptions) {
    this.botUrl = o.botUrl.replace(/\/+$/, '');
    this.connector = o.connector;
    this.users = o.users;
    this.tenantId = o.tenantId ?? 'tenant-1';
    this.conversationId = o.conversationId ?? `19:meeting_${randomUUID().slice(0, 8)}@thread.v2`;
    this.meetingId = `MCMx${randomUUID().slice(0, 8)}`;
    this.locale = o.locale ?? 'nl-NL';
    this.botId = o.botId ?? 'notulist-bot';
    this.settle = o.settle;
  }

  user(key: string): TeamsUser {
    const u = this.users[key];
    if (!u) throw new Error(`no test user "${key}"`);
    return u;
  }

  base(userKey: string, extra: Json = {}): Json {
    const u = this.user(userKey);
    const now = new Date().toISOString();
    return {
      id: `f:${randomUUID()}`,
      timestamp: now,
      localTimestamp: now,
      serviceUrl: this.connector.url,
      channelId: 'msteams',
      from: { id: u.id, name: u.name, aadObjectId: u.aadObjectId },
      conversation: { isGroup: true, conversationType: 'groupChat', tenantId: this.tenantId, id: this.conversationId },
      recipient: { id: `28:${this.botId}`, name: 'Notulist' },
      locale: this.locale,
      channelData: { tenant: { id: this.tenantId }, meeting: { id: this.meetingId } },
      ...extra,
    };
  }

  /** A message as Teams sends it: "<at>Notulist</at> text", `@{key}` becomes a mention of that user. */
  say(userKey: string, text: string): Promise<BotAnswer> {
    const entities: Json[] = [{ type: 'mention', text: '<at>Notulist</at>', mentioned: { id: `28:${this.botId}`, name: 'Notulist' } }];
    const body = text.replace(/@\{(\w+)\}/g, (_, k: string) => {
      const u = this.user(k);
      entities.push({ type: 'mention', text: `<at>${u.name}</at>`, mentioned: { id: u.id, name: u.name } });
      return `<at>${u.name}</at>`;
    });
    entities.push({ type: 'clientInfo', locale: this.locale, country: 'NL', platform: 'Web', timezone: 'Europe/Amsterdam' });
    return this.send(this.base(userKey, { type: 'message', textFormat: 'plain', text: `<at>Notulist</at> ${body}`, entities }));
  }

  /** Teams' meeting events: name 'application/vnd.microsoft.meetingStart' or '…meetingEnd'. */
  event(userKey: string, name: string, value: Json): Promise<BotAnswer> {
    return this.send(this.base(userKey, { type: 'event', name, value }));
  }

  meetingStart(userKey: string, startTime: string): Promise<BotAnswer> {
    return this.event(userKey, 'application/vnd.microsoft.meetingStart', {
      Id: this.meetingId,
      MeetingType: 'Scheduled',
      JoinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(this.meetingId)}`,
      Title: 'Vergadering',
      StartTime: startTime,
    });
  }

  meetingEnd(userKey: string, endTime: string): Promise<BotAnswer> {
    return this.event(userKey, 'application/vnd.microsoft.meetingEnd', {
      Id: this.meetingId,
      MeetingType: 'Scheduled',
      JoinUrl: `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(this.meetingId)}`,
      Title: 'Vergadering',
      EndTime: endTime,
    });
  }

  /** POSTs any body (an activity, or anything else) to the bot. */
  async post(body: string, contentType = 'application/json'): Promise<BotAnswer> {
    const res = await fetch(`${this.botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  async send(activity: Json): Promise<BotAnswer> {
    const answer = await this.post(JSON.stringify(activity));
    if (activity.type === 'message') await this.settle?.();
    const value = (answer.body as { value?: Json } | null)?.value;
    if (activity.type === 'invoke' && value && value.type === 'AdaptiveCard')
      this.invokeAnswers.push({
        replyToId: activity.replyToId as string | undefined,
        card: value,
        seq: this.connector.nextSeq(),
        userId: (activity.from as { id?: string } | undefined)?.id,
        refresh: (activity.value as { trigger?: string } | undefined)?.trigger === 'automatic',
      });
    return answer;
  }

  /**
   * What a user sees of one message now, as the Teams client shows it: after that user's own click,
   * the card the click returned, until the bot edits the message again; else, for a user its
   * refresh.userIds lists (everyone when it lists none), the card the refresh returns; else the card
   * as the bot posted or last edited it.
   */
  async view(userKey: string, messageId: string): Promise<{ card: Json; how: 'own click' | 'refresh' | 'posted' } | null> {
    const u = this.user(userKey);
    const entries = this.connector.sent(this.conversationId).filter((e) => e.id === messageId);
    const last = entries[entries.length - 1];
    if (!last || last.op === 'delete') return null;
    const base = last.activity?.attachments?.find((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content as
      Json | undefined;
    if (!base) return null;
    const own = this.invokeAnswers.filter((a) => a.replyToId === messageId && a.userId === u.id && !a.refresh && a.seq > last.seq).pop();
    if (own) return { card: own.card, how: 'own click' };
    const rf = base.refresh as { action?: Json; userIds?: string[] } | undefined;
    if (rf?.action && (!rf.userIds || rf.userIds.includes(u.id))) {
      const r = await this.send(
        this.base(userKey, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: messageId,
          value: { action: { type: 'Action.Execute', verb: rf.action.verb, data: rf.action.data ?? {} }, trigger: 'automatic' },
        }),
      );
      const card = (r.body as { value?: Json } | null)?.value;
      if (r.status === 200 && card?.type === 'AdaptiveCard') return { card, how: 'refresh' };
    }
    return { card: base, how: 'posted' };
  }

  /** Every card message of the chat as the user sees it now (see view), newest first. */
  async views(userKey: string): Promise<CardOnScreen[]> {
    const out: CardOnScreen[] = [];
    for (const { id, seq } of this.connector.cards(this.conversationId)) {
      const v = id ? await this.view(userKey, id) : null;
      if (v) out.push({ id, card: v.card, seq });
    }
    return out;
  }

  /**
   * The cards as a user sees them now (chat cards with that user's invoke answers in place: an answer is
   * that user's own view), newest first. Without a user, every invoke answer counts.
   */
  cards(userKey?: string): CardOnScreen[] {
    const userId = userKey ? this.user(userKey).id : undefined;
    const list = this.connector.cards(this.conversationId);
    const byId = new Map<string | null, CardOnScreen>();
    const loose: CardOnScreen[] = [];
    for (const c of list) byId.set(c.id, c);
    for (const a of this.invokeAnswers) {
      if (userId && a.userId !== userId) continue;
      const onScreen = a.replyToId ? byId.get(a.replyToId) : undefined;
      if (a.replyToId && onScreen && onScreen.seq < a.seq) byId.set(a.replyToId, { id: a.replyToId, card: a.card, seq: a.seq });
      else if (!a.replyToId || !onScreen) loose.push({ id: a.replyToId ?? null, card: a.card, seq: a.seq });
    }
    return [...byId.values(), ...loose].sort((x, y) => y.seq - x.seq);
  }

  /** Every card this chat got: posts, edits and invoke answers. */
  allCards(): Json[] {
    const out: Json[] = [];
    for (const e of this.connector.sent(this.conversationId))
      for (const a of e.activity?.attachments ?? []) if (a.content && typeof a.content === 'object') out.push(a.content as Json);
    for (const a of this.invokeAnswers) out.push(a.card);
    return out;
  }

  /** What Teams does for a user listed in a card's `refresh.userIds`: fetches that user's own view. */
  async refresh(userKey: string): Promise<BotAnswer> {
    const u = this.user(userKey);
    for (const { id, card } of this.cards(userKey)) {
      const r = card.refresh as { action?: Json; userIds?: string[] } | undefined;
      if (!r?.action || (r.userIds && !r.userIds.includes(u.id))) continue;
      return this.send(
        this.base(userKey, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          replyToId: id ?? undefined,
          value: { action: { type: 'Action.Execute', verb: r.action.verb, data: r.action.data ?? {} }, trigger: 'automatic' },
        }),
      );
    }
    return { status: 0, body: 'no card with a refresh for this user' };
  }

  /** Clicks the newest action whose title matches; inputs: {inputIdOrLabelRegex: value}. */
  async click(userKey: string, titleRe: RegExp | string, inputs: Record<string, string> = {}, opts: ClickOptions = {}): Promise<BotAnswer> {
    const re = typeof titleRe === 'string' ? new RegExp(titleRe, 'i') : titleRe;
    const source = opts.source ?? this;
    // The user's own views of this chat's cards; a replayed click takes the other chat's cards as posted.
    let onScreen = source === this ? await this.views(userKey) : source.cards();
    if (opts.messageId) onScreen = onScreen.filter((c) => c.id === opts.messageId);
    for (const { id, card } of onScreen) {
      const hit = findActions(card).find((a) => typeof a.title === 'string' && re.test(a.title) && (!opts.verb || a.verb === opts.verb));
      if (!hit) continue;
      // Teams sends the inputs of the (show)card holding the action and of the cards around it.
      const values = resolveInputs(scopeOf(card, hit) ?? card, inputs, card);
      const data = hit.data && typeof hit.data === 'object' ? { ...(hit.data as Json) } : {};
      if (hit.type === 'Action.Execute' && !opts.asSubmit) {
        return this.send(
          this.base(userKey, {
            type: 'invoke',
            name: 'adaptiveCard/action',
            replyToId: id ?? undefined,
            value: { action: { type: 'Action.Execute', id: hit.id, verb: hit.verb, data: { ...data, ...values } }, trigger: 'manual' },
          }),
        );
      }
      if (hit.type === 'Action.Submit' || hit.type === 'Action.Execute') {
        const ms = data.msteams as { type?: string; value?: Json; text?: string } | undefined;
        delete data.msteams;
        if (hit.type === 'Action.Execute' && typeof hit.verb === 'string') data.verb = hit.verb;
        if (ms?.type === 'imBack') return this.send(this.base(userKey, { type: 'message', text: ms.value, replyToId: id ?? undefined }));
        if (ms?.type === 'messageBack')
          return this.send(
            this.base(userKey, {
              type: 'message',
              text: ms.text ?? '',
              value: { ...(ms.value ?? data), ...values },
              replyToId: id ?? undefined,
            }),
          );
        return this.send(this.base(userKey, { type: 'message', value: { ...data, ...values }, replyToId: id ?? undefined }));
      }
      return { status: 0, body: `action "${String(hit.title)}" is ${String(hit.type)}, not clickable here` };
    }
    return {
      status: 0,
      body: `no action matching ${String(re)}${opts.verb ? ` (verb ${opts.verb})` : ''} in ${source.cards().length} card(s): ${source
        .cards(source === this ? userKey : undefined)
        .map(
          (c) =>
            `${c.id ?? '-'}[${findActions(c.card)
              .map((a) => `${String(a.title)}/${String(a.verb ?? '')}`)
              .join(', ')}]`,
        )
        .join(' ')}`,
    };
  }

  /** Texts the bot sent to this chat from a log position on (message texts and card texts). */
  repliesText(since = 0): string {
    return this.connector
      .sent(this.conversationId, since)
      .map((e) =>
        [e.activity?.text ?? '', ...(e.activity?.attachments ?? []).map((a) => (a.content ? cardTextOf(a.content) : ''))].join('\n'),
      )
      .join('\n');
  }
}

export function findActions(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) {
    node.forEach((n) => findActions(n, out));
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const o = node as Json;
  if (typeof o.type === 'string' && o.type.startsWith('Action.')) out.push(o);
  for (const k of ['body', 'actions', 'items', 'columns', 'rows', 'cells', 'card', 'selectAction', 'inlineAction'])
    if (o[k]) findActions(o[k], out);
  return out;
}

export function findInputs(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) {
    node.forEach((n) => findInputs(n, out));
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const o = node as Json;
  if (typeof o.type === 'string' && o.type.startsWith('Input.')) out.push(o);
  for (const k of ['body', 'actions', 'items', 'columns', 'rows', 'cells', 'card']) if (o[k]) findInputs(o[k], out);
  return out;
}

/** The innermost Action.ShowCard card that holds the action, if any. */
function scopeOf(card: Json, action: Json): Json | undefined {
  let best: Json | undefined;
  for (const a of findActions(card)) {
    const sub = a.type === 'Action.ShowCard' ? (a.card as Json | undefined) : undefined;
    if (sub && findActions(sub).includes(action)) best = scopeOf(sub, action) ?? sub;
  }
  return best;
}

function resolveInputs(scope: Json, inputs: Record<string, string>, card: Json = scope): Record<string, string> {
  const all = [...findInputs(scope), ...findInputs(card).filter((i) => !findInputs(scope).includes(i))];
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs)) {
    const re = new RegExp(key, 'i');
    const hit =
      all.find((i) => i.id === key) ??
      all.find((i) => re.test(String(i.id ?? '')) || re.test(String(i.label ?? '')) || re.test(String(i.placeholder ?? '')));
    if (hit && typeof hit.id === 'string') out[hit.id] = value;
    else out[key] = value;
  }
  return out;
}

function cardTextOf(node: unknown, out: string[] = []): string {
  if (Array.isArray(node)) {
    node.forEach((n) => cardTextOf(n, out));
    return out.join('\n');
  }
  if (!node || typeof node !== 'object') return out.join('\n');
  const o = node as Json;
  for (const k of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof o[k] === 'string') out.push(o[k]);
  for (const k of ['body', 'items', 'columns', 'rows', 'cells', 'facts', 'inlines', 'actions', 'card', 'choices'])
    if (o[k]) cardTextOf(o[k], out);
  return out.join('\n');
}
