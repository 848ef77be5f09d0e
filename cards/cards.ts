// Every card the bot sends: typed data built from the domain, bound to a template in this folder.
// Cards are plain JSON here; bot/ wraps them in activities.
//
// Who sees what: a card posted in a chat is shared, so it carries the member view; chair and secretary
// get their own view through `refresh.userIds` (shared()) and as the answer to their own clicks. Every
// render function takes the viewer's role and draws only what that role may see and do.
import { isHeading, stepIndex } from '../services/meeting/agenda';
import { actualClock, clockRange as timeRange, localClock, longDate, plannedMinutes } from '../services/meeting/dates';
import { isClosedAction, itemDuration, openActions, recordLabel, type Role } from '../services/meeting/operations';
import { OUTCOMES } from '../services/meeting/outcomes';
import type { ActionItem, AgendaItem, Meeting, Series } from '../services/meeting/types';
import { plainText, type Strings } from '../services/i18n';
import type { Block, MinutesModel } from '../services/minutes/model';
import { setNewest } from '../services/newest';
import actionsTemplate from './actions.json';
import agendaTemplate from './agenda.json';
import helpTemplate from './help.json';
import itemTemplate from './item.json';
import meetingFormTemplate from './meetingForm.json';
import meetingTemplate from './meeting.json';
import messageTemplate from './message.json';
import minutesTemplate from './minutes.json';
import publishTemplate from './publish.json';
import welcomeTemplate from './welcome.json';
import { AdaptiveCard, cardBytes, changingTexts, constantData, MAX_CARD_BYTES, renderCard, withKeys } from './render';
import { Verb, type CardKind } from './verbs';

export type BannerStyle = 'default' | 'good' | 'attention' | 'warning' | 'accent' | 'emphasis';
export interface Banner {
  text: string;
  style: BannerStyle;
}
const noBanner = { banner: '', bannerStyle: 'default' as BannerStyle };
// Banners and message cards show reply sentences (Teams markdown, user text escaped) in a verbatim TextRun.
const bannerData = (b?: Banner) => (b ? { banner: plainText(b.text), bannerStyle: b.style } : noBanner);

const isChair = (role: Role) => role !== 'member';

/** What every template gets besides its own data: button titles and card texts, apart (never merged). */
// A language's catalogue is the same object in every card: named in the memo key, not hashed (render.ts).
const common = (s: Strings) => ({ labels: constantData(s.actions, `${s.lang}:actions`), text: constantData(s.card, `${s.lang}:card`) });

// The live cards' texts that change with every record or minute while the rest stays: put into a card
// expanded once for the rest (render.ts).
changingTexts(agendaTemplate, ['subtitle', 'lastChange']);
changingTexts(itemTemplate, ['clock', 'lastChange']);
changingTexts(meetingTemplate, ['cancelQuestion']);

/** Texts shown inside a card are cut to keep the card within Teams' size limit, and say so. */
export function clip(text: string, max: number, s: Strings): string {
  return text.length <= max ? text : `${text.slice(0, max)}… ${s.card.truncated(max, text.length)}`;
}

// ---- shared cards and their per-user views ----

/** Teams fetches a user-specific view for at most 60 users of a message. */
export const MAX_REFRESH_USERS = 60;

/** The chair's and secretary's Teams ids: they get their own view of every shared card of the meeting. */
export function privilegedUserIds(meeting: Meeting | undefined): string[] {
  if (!meeting) return [];
  const ids = [meeting.secretary, ...meeting.chairs].map((p) => p.id).filter(Boolean);
  return [...new Set(ids)].slice(0, MAX_REFRESH_USERS);
}

/** What a refresh names: the card kind and what it shows, as the refresh verb's data. */
export interface CardRef {
  card: CardKind;
  meetingId?: string;
  itemId?: string;
  page?: number;
}

/**
 * The card as posted, with the listed users' clients fetching their own view; 'everyone': every
 * client does (Teams refreshes for all users of a chat of up to 60 members).
 */
export function shared(card: AdaptiveCard, ref: CardRef, userIds: string[] | 'everyone'): AdaptiveCard {
  if (!userIds.length) return card;
  const data: Record<string, unknown> = { card: ref.card };
  if (ref.meetingId) data.meetingId = ref.meetingId;
  if (ref.itemId) data.itemId = ref.itemId;
  if (ref.page !== undefined) data.page = ref.page;
  const action = { type: 'Action.Execute', verb: Verb.refresh, data };
  return withKeys(card, { refresh: userIds === 'everyone' ? { action } : { action, userIds } });
}

// ---- small cards ----

export function messageCard(text: string, style: BannerStyle = 'default', title = ''): AdaptiveCard {
  return renderCard(messageTemplate, { title, text: plainText(text), style, actions: [] });
}

/** A card whose moment has passed: what it was, where the live one is, nothing to click that records. */
export function retiredCard(title: string, text: string): AdaptiveCard {
  return renderCard(messageTemplate, { title, text, style: 'default', actions: [] });
}

/** The form that plans a meeting, or changes one (`meeting` given): inside a ShowCard of several cards. */
export function meetingForm(s: Strings, verb: 'plan' | 'editMeeting', meeting?: Meeting): object {
  return renderCard(meetingFormTemplate, {
    ...common(s),
    verb: verb === 'plan' ? Verb.plan : Verb.editMeeting,
    formData: meeting ? { meetingId: meeting.id, card: 'meeting' } : { card: 'meeting' },
    editing: !!meeting,
    title: meeting?.title ?? '',
    date: meeting?.date ?? '',
    startTime: meeting?.startTime ?? '',
    endTime: meeting?.endTime ?? '',
    location: meeting?.location ?? '',
    chairName: meeting?.chairName ?? '',
    members: meeting?.members.join(', ') ?? '',
    itemTimes: meeting?.itemTimesInMinutes ? 'ja' : 'nee',
    submit: verb === 'plan' ? s.actions.plan : s.actions.saveChanges,
  });
}

export function welcomeCard(s: Strings): AdaptiveCard {
  return renderCard(welcomeTemplate, { ...common(s), title: s.card.welcomeTitle, body: s.card.welcomeText, form: meetingForm(s, 'plan') });
}

// ---- help ----

export interface HelpOptions {
  role: Role;
  /** This person may plan a meeting now (none is open, or they chair or keep one). */
  canPlan: boolean;
  banner?: Banner;
}

/** What this person can do now in a few lines, every command behind a toggle. */
export function helpCard(s: Strings, meeting: Meeting | undefined, opts: HelpOptions): AdaptiveCard {
  const { role } = opts;
  const now = s.help.now(role, meeting?.status);
  const toRows = (rows: [string, string][]) => rows.map(([command, description]) => ({ command, description }));
  const sections = [{ heading: s.card.helpEveryone, commands: toRows(s.help.everyone) }];
  if (isChair(role) || !meeting) sections.push({ heading: s.card.helpChair, commands: toRows(s.help.chair) });
  if (role === 'secretary' || !meeting) sections.push({ heading: s.card.helpSecretary, commands: toRows(s.help.secretary) });
  const meetingData = meeting ? { meetingId: meeting.id, card: 'help' } : { card: 'help' };
  const buttons: { title: string; verb: string; data: object; style: string }[] = [];
  // Three or four buttons fit a row at the chat's width: the next step first, the rest is on the agenda card.
  if (meeting) {
    const canStart = isChair(role) && meeting.status === 'planned' && meeting.agenda.length > 0;
    buttons.push(
      canStart
        ? { title: s.actions.start, verb: Verb.start, data: meetingData, style: 'positive' }
        : { title: s.actions.agenda, verb: Verb.agenda, data: meetingData, style: 'positive' },
    );
    if (!opts.canPlan) buttons.push({ title: s.actions.minutes, verb: Verb.minutes, data: meetingData, style: 'default' });
  }
  return renderCard(helpTemplate, {
    ...common(s),
    title: s.card.helpTitle,
    roleLine: meeting ? s.card.helpRole(s.card.roles[role], `${meeting.title} (${longDate(meeting.date, s.lang)})`) : s.card.helpNoMeeting,
    now,
    sections,
    buttons,
    canPlan: opts.canPlan,
    planPrimary: opts.canPlan && !meeting,
    // Rendered only where the template shows it.
    form: opts.canPlan ? meetingForm(s, 'plan') : undefined,
    ...bannerData(opts.banner),
  });
}

// ---- meeting ----

/** The planned time; once the meeting is over, the actual start and end where they are known (as the minutes print them). */
export function meetingTimeText(meeting: Meeting, lang: 'nl' | 'en'): string {
  if (meeting.status !== 'closed') return timeRange(meeting.startTime, meeting.endTime, lang);
  const actual = actualClock(meeting);
  return timeRange(actual.start ?? meeting.startTime, actual.end ?? meeting.endTime, lang);
}

export interface MeetingCardOptions {
  role: Role;
  banner?: Banner;
}

export function meetingCard(s: Strings, series: Series, meeting: Meeting, opts: MeetingCardOptions): AdaptiveCard {
  const { role } = opts;
  const facts = [
    [s.card.date, longDate(meeting.date, s.lang)],
    [s.card.time, meetingTimeText(meeting, s.lang)],
    [s.card.location, meeting.location ?? ''],
    [s.card.chair, meeting.chairName ?? ''],
    [s.card.secretary, meeting.secretaryName ?? ''],
    [s.card.members, meeting.members.join(', ')],
    [s.card.status, s.status[meeting.status]],
  ]
    .filter(([, v]) => v)
    .map(([label, value]) => ({ label, value: clip(value!, 1500, s) }));
  const notes: string[] = [];
  const i = series.meetings.findIndex((m) => m.id === meeting.id);
  const previous = i > 0 ? series.meetings[i - 1] : undefined;
  if (previous) notes.push(s.card.previousMinutesOffered(longDate(previous.date, s.lang)));
  const carried = openActions(series).filter((a) => a.meetingId !== meeting.id && !isClosedAction(series, a));
  if (carried.length) notes.push(s.card.openActionsCarried(carried.length));
  if (isChair(role) && meeting.status === 'planned') {
    if (!meeting.agenda.length) notes.push(s.card.nextStepAgenda);
    if (!meeting.chairs.length) notes.push(meeting.chairName ? s.card.nextStepChairNamed(meeting.chairName) : s.card.nextStepChair);
    if (meeting.agenda.length) notes.push(s.card.nextStepStart);
  }
  const open = meeting.status !== 'closed';
  return renderCard(meetingTemplate, {
    ...common(s),
    heading: s.card.meetingTitle,
    title: meeting.title,
    meetingId: meeting.id,
    facts,
    notes,
    chairView: isChair(role),
    canManage: isChair(role) && open,
    canStart: isChair(role) && meeting.status === 'planned' && meeting.agenda.length > 0,
    agendaPrimary: isChair(role) && meeting.status === 'planned' && meeting.agenda.length === 0,
    canEdit: role === 'secretary' && meeting.minutes.status !== 'adopted',
    canCancel: role === 'secretary' && meeting.status === 'planned',
    memberForms: !isChair(role) && open,
    agendaText: meeting.agenda.map((it) => `${it.code} ${it.title}${it.closed ? ` [${s.card.closedTag}]` : ''}`).join('\n'),
    cancelQuestion: s.card.cancelQuestion(
      meeting.title,
      longDate(meeting.date, s.lang),
      meeting.announcements.length + meeting.questions.length,
    ),
    editForm: role === 'secretary' ? meetingForm(s, 'editMeeting', meeting) : undefined,
    ...bannerData(opts.banner),
  });
}

/** The confirmation a typed `annuleren` gets: the meeting, what goes with it, and (secretary only) one button. */
export function cancelCard(s: Strings, meeting: Meeting, role: Role): AdaptiveCard {
  const question = s.card.cancelQuestion(
    meeting.title,
    longDate(meeting.date, s.lang),
    meeting.announcements.length + meeting.questions.length,
  );
  return renderCard(messageTemplate, {
    title: s.card.cancelTitle,
    text: role === 'secretary' ? question : s.card.cancelMember,
    style: 'warning',
    actions:
      role === 'secretary'
        ? [
            {
              type: 'Action.Execute',
              title: s.actions.cancelConfirm,
              verb: Verb.cancelMeeting,
              style: 'destructive',
              data: { meetingId: meeting.id, card: 'cancel' },
            },
          ]
        : [],
  });
}

// ---- agenda ----

/**
 * "Laatst vastgelegd om 10.42 uur: besluit 3 (D1)": the newest record this person may see. It stays on
 * the card after the bot's edit for everyone replaces the clicker's own answer and its banner.
 */
function lastChange(s: Strings, series: Series, meeting: Meeting, role: Role): string {
  const chair = isChair(role);
  const itemOf = (id: string) => meeting.agenda.find((i) => i.id === id);
  const visible = (itemId: string) => chair || !itemOf(itemId)?.closed;
  // The newest of each list first (no allocation per record: a live card is drawn after every record,
  // over up to 2,000 of them), then the newest of those; a tie goes to the list named first.
  const candidates: { at: string; what: () => string }[] = [];
  const a = newestOf(meeting.announcements, (r) => r.at);
  if (a) candidates.push({ at: a.at, what: () => s.card.announcementLabel(recordLabel(a)) });
  const q = newestOf(meeting.questions, (r) => r.at);
  if (q) candidates.push({ at: q.at, what: () => s.card.questionLabel(recordLabel(q)) });
  const d = newestOf(
    meeting.decisions,
    (r) => r.at,
    (r) => visible(r.itemId),
  );
  if (d) candidates.push({ at: d.at, what: () => `${s.card.decisionLabel(recordLabel(d))} (${itemOf(d.itemId)?.code ?? ''})` });
  for (const i of meeting.agenda) {
    const n = visible(i.id) ? newestOf(i.notes, (r) => r.at) : undefined;
    if (n) candidates.push({ at: n.at, what: () => `${s.card.noteLabel(recordLabel(n))} (${i.code})` });
  }
  const act = newestOf(
    series.actions,
    (r) => r.createdAt,
    (r) => r.meetingId === meeting.id && visible(r.itemId),
  );
  if (act) candidates.push({ at: act.createdAt, what: () => `${s.card.actionLabel(recordLabel(act))} (${act.itemCode})` });
  const last = newestOf(candidates, (c) => c.at);
  return last ? s.card.lastChange(localClock(last.at), last.what()) : '';
}

/** The record of a list with the latest time (the first of equals), among those `ok` lets through. */
function newestOf<T>(list: readonly T[], at: (r: T) => string, ok?: (r: T) => boolean): T | undefined {
  let best: T | undefined;
  let bestAt = '';
  for (const r of list) {
    const t = at(r);
    if ((best === undefined || t > bestAt) && (!ok || ok(r))) {
      best = r;
      bestAt = t;
    }
  }
  return best;
}

function itemTitle(s: Strings, series: Series, item: AgendaItem): string {
  if (item.previousMinutesOf) {
    const previous = series.meetings.find((m) => m.id === item.previousMinutesOf);
    if (previous) return `${item.title} (${longDate(previous.date, s.lang)})`;
  }
  return item.title;
}

/** "35 van 90 min": the time the meeting has used against its planned length. */
function timeUsed(s: Strings, meeting: Meeting, now: number): string {
  if (!meeting.startedAt || meeting.status === 'planned') return '';
  const end = meeting.status === 'closed' && meeting.endedAt ? Date.parse(meeting.endedAt) : now;
  const used = Math.max(0, Math.round((end - Date.parse(meeting.startedAt)) / 60000));
  return s.card.timeUsed(used, plannedMinutes(meeting.startTime, meeting.endTime));
}

export interface AgendaCardOptions {
  role: Role;
  banner?: Banner;
  /** 0-based page; undefined: the page holding the current item. */
  page?: number;
  now?: number;
}

/**
 * The page size each agenda was last shown at (by meeting, role and language, while its items keep
 * their codes and titles): the next edit renders its one page instead of searching for the size again.
 */
const agendaPaging = new Map<string, { shape: number; pageSize: number }>();
const AGENDA_PAGING_SIZE = 512;

export function agendaCard(s: Strings, series: Series, meeting: Meeting, opts: AgendaCardOptions): AdaptiveCard {
  const all = meeting.agenda;
  const currentIndex = all.findIndex((i) => i.id === meeting.currentItemId);
  const budget = MAX_CARD_BYTES - 1536;
  const pagesOf = (pageSize: number) => Math.max(1, Math.ceil(all.length / pageSize));
  const pageOf = (pageSize: number) =>
    Math.min(pagesOf(pageSize) - 1, Math.max(0, opts.page ?? (currentIndex >= 0 ? Math.floor(currentIndex / pageSize) : 0)));
  const render = (page: number, pageSize: number) => renderAgenda(s, series, meeting, opts, { page, pageSize, pages: pagesOf(pageSize) });
  const memo = `${meeting.id}\u0000${opts.role}\u0000${s.lang}\u0000${opts.banner ? 1 : 0}`;
  const shape = all.reduce((n, i) => n + i.code.length + i.title.length + 1, 0);
  const known = agendaPaging.get(memo);
  if (known?.shape === shape) {
    const card = render(pageOf(known.pageSize), known.pageSize);
    if (cardBytes(card) <= budget) return card;
  }
  const remember = (pageSize: number) => setNewest(agendaPaging, memo, { shape, pageSize }, AGENDA_PAGING_SIZE);
  const whole = render(0, Math.max(all.length, 1));
  // One page holds it all: that page, whichever was asked for.
  if (cardBytes(whole) <= budget) {
    remember(Math.max(all.length, 1));
    return whole;
  }
  // Too big for one card: page it. One page size for every page, so page buttons stay stable; a
  // 60-item agenda with long titles is paged, never cut. The pages rendered to measure are kept.
  let pageSize = Math.max(all.length, 1);
  let rendered: AdaptiveCard[] = [];
  const fits = (size: number) => {
    rendered = [];
    for (let p = 0; p < pagesOf(size); p++) {
      const card = render(p, size);
      if (cardBytes(card) > budget) return false;
      rendered.push(card);
    }
    return true;
  };
  do pageSize = Math.max(5, Math.floor(pageSize * 0.8));
  while (pageSize > 5 && !fits(pageSize));
  remember(pageSize);
  const page = pageOf(pageSize);
  return rendered.length === pagesOf(pageSize) ? rendered[page]! : render(page, pageSize);
}

function renderAgenda(
  s: Strings,
  series: Series,
  meeting: Meeting,
  opts: AgendaCardOptions,
  paging: { page: number; pageSize: number; pages: number },
): AdaptiveCard {
  const all = meeting.agenda;
  const chair = isChair(opts.role);
  const currentIndex = all.findIndex((i) => i.id === meeting.currentItemId);
  const running = meeting.status === 'running';
  const closed = meeting.status === 'closed';
  const from = paging.page * paging.pageSize;
  const items = all.slice(from, from + paging.pageSize).map((item, k) => {
    const index = from + k;
    const done = closed || (currentIndex >= 0 && index < currentIndex);
    const current = running && index === currentIndex;
    // A heading is a title over the items it heads, not a step of its own (unless the chair went there).
    const heading = !current && isHeading(all, index);
    const tags = [item.closed ? s.card.closedTag : '', item.kind === 'decision' || item.kind === 'information' ? s.kind[item.kind] : '']
      .filter(Boolean)
      .join(', ');
    return {
      code: item.code,
      title: clip(itemTitle(s, series, item), 300, s),
      tags: tags ? ` (${tags})` : '',
      state: heading ? '' : current ? s.card.itemState.current : done ? s.card.itemState.done : s.card.itemState.todo,
      color: current ? 'Accent' : 'Default',
      weight: current || heading ? 'Bolder' : 'Default',
      done: done && !current,
    };
  });
  // One page button (it wraps around): the card never shows more than six actions.
  const nextPage = paging.pages > 1 ? (paging.page + 1) % paging.pages : -1;
  const nextPageTitle =
    nextPage >= 0 ? s.card.showItems(nextPage * paging.pageSize + 1, Math.min(all.length, (nextPage + 1) * paging.pageSize)) : '';
  const used = timeUsed(s, meeting, opts.now ?? Date.now());
  const subtitle = [longDate(meeting.date, s.lang), meetingTimeText(meeting, s.lang), meeting.location, s.status[meeting.status], used]
    .filter(Boolean)
    .join(' · ');
  const nextId = running && currentIndex >= 0 ? (all[stepIndex(all, currentIndex, 1)]?.id ?? '') : '';
  return renderCard(agendaTemplate, {
    ...common(s),
    meetingId: meeting.id,
    title: meeting.title,
    subtitle,
    items,
    nextPage,
    nextPageTitle,
    pageLabel: paging.pages > 1 ? s.card.page(from + 1, from + items.length, all.length) : '',
    memberOpen: !chair && !closed,
    memberClosed: !chair && closed,
    chairPlanned: chair && meeting.status === 'planned',
    chairRunning: chair && running,
    chairClosed: chair && closed,
    canStart: meeting.status === 'planned' && all.length > 0,
    canPublish: opts.role === 'secretary',
    previousItemId: running && currentIndex >= 0 ? (all[stepIndex(all, currentIndex, -1)]?.id ?? '') : '',
    nextItemId: nextId,
    lastItem: running && nextId === '',
    currentItemId: running ? (meeting.currentItemId ?? '') : '',
    choices: all.map((i) => ({ title: clip(`${i.code} ${i.title}`, 80, s), value: i.id })),
    agendaText: all.map((it) => `${it.code} ${it.title}${it.closed ? ` [${s.card.closedTag}]` : ''}`).join('\n'),
    lastChange: closed ? '' : lastChange(s, series, meeting, opts.role),
    ...bannerData(opts.banner),
  });
}

// ---- item ----

function actionLine(s: Strings, a: ActionItem): string {
  const due = a.due ? `, ${s.card.due(longDate(a.due, s.lang))}` : '';
  return `${s.card.actionLabel(recordLabel(a))}: ${a.text} — ${a.owner}${due}`;
}

export interface ItemCardOptions {
  role: Role;
  banner?: Banner;
  /** The live item card (the bot's tracked message for the current item): only it offers recording. */
  live: boolean;
  /** The chair's controls, but nothing of a closed item: the item card as posted (see liveItemCard). */
  publicOnly?: boolean;
  now?: number;
}

export function itemCard(s: Strings, series: Series, meeting: Meeting, item: AgendaItem, opts: ItemCardOptions): AdaptiveCard {
  // Long texts are clipped harder until the card fits; the minutes always hold the full text.
  for (const max of [3000, 1500, 600, 250, 100]) {
    const card = renderItem(s, series, meeting, item, opts, max);
    if (cardBytes(card) <= MAX_CARD_BYTES - 512 || max === 100) return card;
  }
  throw new Error('unreachable');
}

/** "Agendapunt 3 van 7": headings (D over D1, D2) are not counted, as the chair does not stop at them. */
function position(meeting: Meeting, item: AgendaItem): { n: number; of: number } {
  const steps = meeting.agenda.filter((_, i) => !isHeading(meeting.agenda, i));
  const n = steps.indexOf(item) + 1 || meeting.agenda.indexOf(item) + 1;
  return { n, of: steps.length };
}

function renderItem(s: Strings, series: Series, meeting: Meeting, item: AgendaItem, opts: ItemCardOptions, max: number): AdaptiveCard {
  const chair = isChair(opts.role);
  const index = meeting.agenda.findIndex((i) => i.id === item.id);
  // A closed item shows everyone but chair and secretary its code, title and "besloten", nothing more.
  const hidden = item.closed && (!chair || !!opts.publicOnly);
  const p = hidden ? undefined : item.proposal;
  const facts = hidden
    ? []
    : [
        [s.card.portfolioHolder, item.portfolioHolder ?? p?.portfolioHolder ?? ''],
        [s.card.handledBy, p?.handledBy ?? ''],
        [s.card.proposal, p?.subject ?? ''],
      ]
        .filter(([, v]) => v)
        .map(([label, value]) => ({ label: `${label}: `, value: clip(value!, 500, s) }));
  const sections: { heading: string; lines: string[] }[] = [];
  const add = (heading: string, lines: string[]) => {
    if (lines.length) sections.push({ heading, lines: lines.map((l) => clip(l, max, s)) });
  };
  if (!hidden) {
    if (item.previousMinutesOf) {
      const previous = series.meetings.find((m) => m.id === item.previousMinutesOf);
      if (previous) {
        add(s.card.minutesTitle, [s.card.previousMinutesOf(longDate(previous.date, s.lang))]);
        add(
          s.card.actionsTitle,
          openActions(series)
            .filter((a) => a.meetingId !== meeting.id && (chair || !isClosedAction(series, a)))
            .map((a) => actionLine(s, a)),
        );
      }
    }
    if (p) {
      const advice = p.advice.length > 1 ? p.advice.map((a, i) => `${i + 1}. ${a}`) : p.advice;
      add(s.card.advice, [...(p.adviceIntro && p.advice.length > 1 ? [p.adviceIntro] : []), ...advice]);
    }
    add(
      s.card.notes,
      item.notes.map((n) => `${chair ? `${n.number ?? ''}. ` : ''}${n.text}`),
    );
    if (item.kind === 'announcements' || item === meeting.agenda.find((i) => i.kind === 'announcements'))
      add(
        s.card.announcements,
        meeting.announcements.map((a) => `${a.number ?? a.id}. ${a.author}: ${a.text}`),
      );
    if (item.kind === 'questionRound')
      add(
        s.card.questions,
        meeting.questions.map((q) => `${q.number ?? q.id}. ${q.author}: ${q.text}`),
      );
    add(
      s.card.decisions,
      meeting.decisions
        .filter((d) => d.itemId === item.id)
        .map((d) => `${s.card.decisionLabel(recordLabel(d))}${d.outcome ? ` (${s.outcome[d.outcome]})` : ''}: ${d.text}`),
    );
    add(
      s.card.actions,
      series.actions.filter((a) => a.meetingId === meeting.id && a.itemId === item.id).map((a) => actionLine(s, a)),
    );
  }
  const attachmentLines = hidden ? [] : [...(p?.attachments ?? []), ...item.attachments.filter((a) => !a.url).map((a) => a.title)];
  const links = hidden ? [] : item.attachments.filter((a) => a.url).map((a) => ({ title: clip(a.title, 200, s), url: a.url! }));
  const running = meeting.status === 'running';
  const live = opts.live && running && item.id === meeting.currentItemId;
  const { n, of } = position(meeting, item);
  const now = opts.now ?? Date.now();
  const since = item.spans?.[item.spans.length - 1];
  const clock =
    chair && live && since && !since.to ? s.card.itemRunning(localClock(since.from), Math.round(itemDuration(item, now) / 60000)) : '';
  const nextId = live ? (meeting.agenda[stepIndex(meeting.agenda, index, 1)]?.id ?? '') : '';
  // The records of this item a chair can correct from the card (most recent first, within reason).
  // Never for an item whose records this view may not show (a closed item in the card as posted).
  const records = chair && live && !hidden ? correctable(s, series, meeting, item) : [];
  return renderCard(itemTemplate, {
    ...common(s),
    meetingId: meeting.id,
    itemId: item.id,
    heading: `${s.card.itemOf(n, of)} · ${meeting.title}`,
    code: item.code,
    title: clip(itemTitle(s, series, item), 300, s),
    tags: [s.kind[item.kind], item.closed ? s.card.closedTag : ''].filter(Boolean).join(' · '),
    closedNotice: hidden ? s.card.closedItemNotice : '',
    clock,
    facts,
    sections,
    attachments: attachmentLines.map((l) => clip(l, 300, s)),
    links,
    hasAttachments: attachmentLines.length + links.length > 0,
    nothingRecorded: !hidden && sections.length === 0 && attachmentLines.length + links.length === 0,
    statusNotice: meeting.status === 'closed' ? s.card.meetingClosedNotice : '',
    chairLive: chair && live,
    memberLive: !chair && live,
    announcementsHere: item.kind === 'announcements',
    questionsHere: item.kind === 'questionRound',
    previousItemId: live ? (meeting.agenda[stepIndex(meeting.agenda, index, -1)]?.id ?? '') : '',
    nextItemId: nextId,
    lastItem: live && nextId === '',
    outcomes: OUTCOMES.map((o) => ({ title: s.outcome[o], value: o })),
    defaultOutcome: item.kind === 'previousMinutes' ? 'adopted' : item.kind === 'information' ? 'noted' : 'agreed',
    records,
    canCorrect: records.length > 0,
    choices: meeting.agenda.map((i) => ({ title: clip(`${i.code} ${i.title}`, 80, s), value: i.id })),
    currentItemId: meeting.currentItemId ?? '',
    lastChange: live ? lastChange(s, series, meeting, hidden ? 'member' : opts.publicOnly ? 'member' : opts.role) : '',
    ...bannerData(opts.banner),
  });
}

/** Choices for the correction form: "decision:3" → "Besluit 3: …". */
function correctable(s: Strings, series: Series, meeting: Meeting, item: AgendaItem): { title: string; value: string }[] {
  const out: { title: string; value: string }[] = [];
  const short = (t: string) => (t.length > 50 ? `${t.slice(0, 49)}…` : t);
  for (const d of meeting.decisions.filter((x) => x.itemId === item.id))
    out.push({ title: `${s.card.decisionLabel(recordLabel(d))}: ${short(d.text)}`, value: `decision:${recordLabel(d)}` });
  for (const n of item.notes) out.push({ title: `${s.card.noteLabel(recordLabel(n))}: ${short(n.text)}`, value: `note:${recordLabel(n)}` });
  for (const a of series.actions.filter((x) => x.meetingId === meeting.id && x.itemId === item.id))
    out.push({ title: `${s.card.actionLabel(recordLabel(a))}: ${short(a.text)}`, value: `action:${recordLabel(a)}` });
  if (item.kind === 'announcements')
    for (const a of meeting.announcements)
      out.push({ title: `${s.card.announcementLabel(recordLabel(a))}: ${short(a.text)}`, value: `announcement:${recordLabel(a)}` });
  if (item.kind === 'questionRound')
    for (const q of meeting.questions)
      out.push({ title: `${s.card.questionLabel(recordLabel(q))}: ${short(q.text)}`, value: `question:${recordLabel(q)}` });
  return out.slice(-40);
}

/**
 * An earlier item card: its item, that its moment has passed, and where the live card is, with nothing
 * to click that records. Once the meeting is closed it names the next step, the draft minutes.
 */
export function retiredItemCard(s: Strings, meeting: Meeting, item: AgendaItem | undefined): AdaptiveCard {
  const title = item ? `${item.code} ${item.title}` : meeting.title;
  if (meeting.status !== 'closed') return retiredCard(title, s.card.itemRetired);
  return renderCard(messageTemplate, {
    title,
    text: `${s.card.meetingClosedNotice} ${s.card.nextStepMinutes}`,
    style: 'default',
    actions: [
      {
        type: 'Action.Execute',
        title: s.actions.minutes,
        verb: Verb.minutes,
        style: 'positive',
        data: { meetingId: meeting.id, card: 'minutes' },
      },
    ],
  });
}

/** The agenda card that a newer one replaced. */
export function retiredAgendaCard(s: Strings, meeting: Meeting): AdaptiveCard {
  return retiredCard(`${s.card.agendaTitle}: ${meeting.title}`, s.card.agendaMoved);
}

// ---- actions ----

const ACTIONS_PAGE = 25;

export interface ActionsCardOptions {
  role: Role;
  page?: number;
  banner?: Banner;
}

/** The open actions of every meeting in the chat, a page at a time; a closed item's only for chair and secretary. */
export function actionsCard(s: Strings, series: Series, opts: ActionsCardOptions): AdaptiveCard {
  const chair = isChair(opts.role);
  const open = openActions(series).filter((a) => chair || !isClosedAction(series, a));
  const pages = Math.max(1, Math.ceil(open.length / ACTIONS_PAGE));
  const page = Math.min(pages - 1, Math.max(0, opts.page ?? 0));
  const build = (textMax: number) => {
    const shown = open.slice(page * ACTIONS_PAGE, (page + 1) * ACTIONS_PAGE);
    const rows = shown.map((a) => {
      const meeting = series.meetings.find((m) => m.id === a.meetingId);
      const due = a.due ? `, ${s.card.due(longDate(a.due, s.lang))}` : '';
      return {
        numberLabel: recordLabel(a),
        text: clip(a.text, textMax, s),
        details: `${a.owner}${due} · ${a.itemCode}${meeting ? ` · ${longDate(meeting.date, s.lang)}` : ''}`,
      };
    });
    return renderCard(actionsTemplate, {
      ...common(s),
      actions: rows,
      pageLabel: pages > 1 ? s.card.page(page * ACTIONS_PAGE + 1, page * ACTIONS_PAGE + rows.length, open.length) : '',
      previousPage: page > 0 ? page - 1 : -1,
      nextPage: page < pages - 1 ? page + 1 : -1,
      canComplete: chair && rows.length > 0,
      choices: shown.map((a) => ({ title: clip(`${recordLabel(a)}. ${a.text}`, 80, s), value: recordLabel(a) })),
      ...bannerData(opts.banner),
    });
  };
  for (const max of [400, 200, 100, 50]) {
    const card = build(max);
    if (cardBytes(card) <= MAX_CARD_BYTES - 512 || max === 50) return card;
  }
  throw new Error('unreachable');
}

// ---- minutes ----

export interface MinutesCardOptions {
  /** The secretary's view: the publish button. */
  canPublish: boolean;
  banner?: Banner;
  links?: { title: string; url: string }[];
  /** The first link opens the full text: a shortened card points there. */
  fullTextLinked?: boolean;
}

function blockText(block: Block): string {
  const text = block.runs.map((r) => r.text).join('');
  return block.kind === 'bullet' ? `• ${text}` : text;
}

/** The draft minutes: the same model as the documents; long minutes fall back to a summary per item. */
export function minutesCard(s: Strings, meetingId: string, models: MinutesModel[], opts: MinutesCardOptions): AdaptiveCard {
  const full = models.reduce((n, m) => n + m.items.reduce((k, i) => k + i.blocks.reduce((j, b) => j + blockText(b).length, 0), 0), 0);
  // Each level shows less: shorter paragraphs, then titles only, then shorter titles, then fewer items.
  const levels = [
    { text: 2000, title: 300, items: Infinity },
    { text: 800, title: 300, items: Infinity },
    { text: 300, title: 200, items: Infinity },
    { text: 120, title: 120, items: Infinity },
    { text: 0, title: 80, items: Infinity },
    { text: 0, title: 50, items: 40 },
    { text: 0, title: 40, items: 15 },
  ];
  for (const [n, level] of levels.entries()) {
    const parts = models.map((m) => ({
      title: m.title,
      partLabel: m.partLabel,
      status: m.status.replace(/^Status:\s*/, ''),
      header: m.header.filter((h) => h.value).map((h) => ({ label: h.label, value: clip(h.value, level.text ? 1000 : 200, s) })),
      items: [
        ...m.items.slice(0, level.items).map((i) => ({
          code: i.code,
          title: clip(i.title, level.title, s),
          lines: level.text === 0 ? [] : i.blocks.map((b) => clip(blockText(b), level.text, s)),
        })),
        ...(m.items.length > level.items ? [{ code: '…', title: s.card.moreItems(m.items.length - level.items), lines: [] }] : []),
      ],
      actions:
        level.text === 0
          ? []
          : m.actions.map((a) =>
              clip(`${a.number}. ${a.text} — ${a.owner}${a.due ? `, ${a.due}` : ''} (${a.status})`, Math.max(level.text, 200), s),
            ),
    }));
    const card = renderCard(minutesTemplate, {
      ...common(s),
      meetingId,
      parts,
      canPublish: opts.canPublish,
      links: (opts.links ?? []).slice(0, 4),
      note: n === 0 ? '' : opts.fullTextLinked ? s.card.minutesLongLinked(full) : s.card.minutesLong(full),
      ...bannerData(opts.banner),
    });
    if (cardBytes(card) <= MAX_CARD_BYTES - 512 || n === levels.length - 1) return card;
  }
  throw new Error('unreachable');
}

export function publishCard(
  s: Strings,
  meetingId: string,
  title: string,
  state: { text: string; style: BannerStyle; files: { name: string; url: string }[]; canRetry: boolean; note?: string },
): AdaptiveCard {
  const { text, ...rest } = state;
  return renderCard(publishTemplate, { ...common(s), meetingId, title, note: '', message: text, ...rest });
}
