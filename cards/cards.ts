// Every card the bot sends: typed data built from the domain, bound to a template in this folder.
// Cards are plain JSON here; bot/ wraps them in activities.
import { isHeading, stepIndex } from '../services/meeting/agenda';
import { longDate } from '../services/meeting/dates';
import { currentItem, decisionKey, openActions, roleOf } from '../services/meeting/operations';
import type { ActionItem, AgendaItem, Meeting, Outcome, Person, Series } from '../services/meeting/types';
import { unescapeMarkdownText, type Strings } from '../services/i18n';
import type { Block, MinutesModel } from '../services/minutes/model';
import actionsTemplate from './actions.json';
import agendaTemplate from './agenda.json';
import helpTemplate from './help.json';
import itemTemplate from './item.json';
import meetingTemplate from './meeting.json';
import messageTemplate from './message.json';
import minutesTemplate from './minutes.json';
import publishTemplate from './publish.json';
import welcomeTemplate from './welcome.json';
import { AdaptiveCard, cardBytes, MAX_CARD_BYTES, renderCard } from './render';
import { Verb } from './verbs';

export type BannerStyle = 'default' | 'good' | 'attention' | 'warning' | 'accent' | 'emphasis';
export interface Banner {
  text: string;
  style: BannerStyle;
}
const noBanner = { banner: '', bannerStyle: 'default' as BannerStyle };
// Banners and message cards show reply sentences (Teams markdown, user text escaped) in a verbatim TextRun.
const bannerData = (b?: Banner) => (b ? { banner: unescapeMarkdownText(b.text), bannerStyle: b.style } : noBanner);

/** Texts shown inside a card are cut to keep the card within Teams' size limit, and say so. */
export function clip(text: string, max: number, s: Strings): string {
  return text.length <= max ? text : `${text.slice(0, max)}… ${s.card.truncated(max, text.length)}`;
}

// ---- help and welcome ----

export interface HelpCardData {
  title: string;
  roleLine: string;
  sections: { heading: string; commands: { command: string; description: string }[] }[];
  buttons: { title: string; verb: string; data: Record<string, unknown> }[];
  banner: string;
  bannerStyle: BannerStyle;
}

export function helpCard(s: Strings, meeting: Meeting | undefined, actor: Person, banner?: Banner): AdaptiveCard {
  const role = roleOf(meeting, actor);
  const toRows = (rows: [string, string][]) => rows.map(([command, description]) => ({ command, description }));
  const sections = [{ heading: s.card.commandsFor, commands: toRows(s.help.everyone) }];
  if (role !== 'member' || !meeting)
    sections.push({ heading: `${s.card.commandsFor}: ${s.card.roles.chair}`, commands: toRows(s.help.chair) });
  if (role === 'secretary' || !meeting)
    sections.push({ heading: `${s.card.commandsFor}: ${s.card.roles.secretary}`, commands: toRows(s.help.secretary) });
  const meetingData = meeting ? { meetingId: meeting.id, card: 'help' } : { card: 'help' };
  const buttons: HelpCardData['buttons'] = [
    { title: s.actions.agenda, verb: Verb.agenda, data: meetingData },
    { title: s.actions.actions, verb: Verb.actions, data: meetingData },
    { title: s.actions.minutes, verb: Verb.minutes, data: meetingData },
  ];
  if (meeting && role !== 'member' && meeting.status === 'planned' && meeting.agenda.length)
    buttons.unshift({ title: s.actions.start, verb: Verb.start, data: meetingData });
  const data: HelpCardData = {
    title: s.card.helpTitle,
    roleLine: meeting ? s.card.helpRole(s.card.roles[role], `${meeting.title} (${longDate(meeting.date, s.lang)})`) : s.card.helpNoMeeting,
    sections,
    buttons,
    ...bannerData(banner),
  };
  return renderCard(helpTemplate, data);
}

export function welcomeCard(s: Strings): AdaptiveCard {
  return renderCard(welcomeTemplate, { title: s.card.welcomeTitle, text: s.card.welcomeText, helpTitle: s.actions.help });
}

export function messageCard(text: string, style: BannerStyle = 'default', title = ''): AdaptiveCard {
  return renderCard(messageTemplate, { title, text: unescapeMarkdownText(text), style });
}

// ---- meeting ----

function timeText(meeting: Meeting): string {
  return [meeting.startTime, meeting.endTime].filter(Boolean).join(' – ');
}

export function meetingCard(s: Strings, series: Series, meeting: Meeting, actor: Person, banner?: Banner): AdaptiveCard {
  const role = roleOf(meeting, actor);
  const facts = [
    [s.card.date, longDate(meeting.date, s.lang)],
    [s.card.time, timeText(meeting)],
    [s.card.location, meeting.location ?? ''],
    [s.card.chair, meeting.chairName ?? ''],
    [s.card.secretary, meeting.secretaryName ?? ''],
    [s.card.members, meeting.members.join(', ')],
    [s.card.status, s.status[meeting.status]],
  ]
    .filter(([, v]) => v)
    .map(([label, value]) => ({ label, value: clip(value!, 2000, s) }));
  const notes: string[] = [];
  const i = series.meetings.findIndex((m) => m.id === meeting.id);
  const previous = i > 0 ? series.meetings[i - 1] : undefined;
  if (previous) notes.push(s.card.previousMinutesOffered(longDate(previous.date, s.lang)));
  const carried = openActions(series).filter((a) => a.meetingId !== meeting.id);
  if (carried.length) notes.push(s.card.openActionsCarried(carried.length));
  if (meeting.status === 'planned') {
    if (!meeting.agenda.length) notes.push(s.card.nextStepAgenda);
    if (!meeting.chairs.length) notes.push(s.card.nextStepChair);
    if (meeting.agenda.length) notes.push(s.card.nextStepStart);
  }
  return renderCard(meetingTemplate, {
    heading: s.card.meetingTitle,
    title: meeting.title,
    meetingId: meeting.id,
    facts,
    notes,
    notesHeading: s.card.nextSteps,
    canManage: role !== 'member' && meeting.status !== 'closed',
    canStart: role !== 'member' && meeting.status === 'planned' && meeting.agenda.length > 0,
    agendaText: meeting.agenda.map((it) => `${it.code} ${it.title}${it.closed ? ' [besloten]' : ''}`).join('\n'),
    labels: { ...s.actions, ...s.card },
    ...bannerData(banner),
  });
}

// ---- agenda ----

function itemTitle(s: Strings, series: Series, item: AgendaItem): string {
  if (item.previousMinutesOf) {
    const previous = series.meetings.find((m) => m.id === item.previousMinutesOf);
    if (previous) return `${item.title} (${longDate(previous.date, s.lang)})`;
  }
  return item.title;
}

export interface AgendaCardOptions {
  chairView: boolean;
  banner?: Banner;
  /** 0-based page; undefined: the page holding the current item. */
  page?: number;
  /** Users whose clients fetch their own (chair/secretary) view: Teams' user-specific views. */
  refreshUserIds?: string[];
  canPublish?: boolean;
}

const MAX_REFRESH_USERS = 60;

export function agendaCard(s: Strings, series: Series, meeting: Meeting, opts: AgendaCardOptions): AdaptiveCard {
  const all = meeting.agenda;
  const currentIndex = all.findIndex((i) => i.id === meeting.currentItemId);
  const budget = MAX_CARD_BYTES - 1024;
  const render = (page: number, pageSize: number) =>
    renderAgenda(s, series, meeting, opts, { page, pageSize, pages: Math.max(1, Math.ceil(all.length / pageSize)) });
  const whole = render(0, Math.max(all.length, 1));
  if (cardBytes(whole) <= budget && opts.page === undefined) return whole;
  // Too big for one card: page it. One page size for every page, so page buttons stay stable; a
  // 60-item agenda with long titles is paged, never cut.
  let pageSize = Math.max(all.length, 1);
  const fits = (size: number) => {
    const pages = Math.max(1, Math.ceil(all.length / size));
    for (let p = 0; p < pages; p++) if (cardBytes(render(p, size)) > budget) return false;
    return true;
  };
  while (pageSize > 5 && !fits(pageSize)) pageSize = Math.max(5, Math.floor(pageSize * 0.8));
  const pages = Math.max(1, Math.ceil(all.length / pageSize));
  const page = Math.min(pages - 1, Math.max(0, opts.page ?? (currentIndex >= 0 ? Math.floor(currentIndex / pageSize) : 0)));
  return render(page, pageSize);
}

function renderAgenda(
  s: Strings,
  series: Series,
  meeting: Meeting,
  opts: AgendaCardOptions,
  paging: { page: number; pageSize: number; pages: number },
): AdaptiveCard {
  const all = meeting.agenda;
  const currentIndex = all.findIndex((i) => i.id === meeting.currentItemId);
  const running = meeting.status === 'running';
  const from = paging.page * paging.pageSize;
  const items = all.slice(from, from + paging.pageSize).map((item, k) => {
    const index = from + k;
    const done = meeting.status === 'closed' || (currentIndex >= 0 && index < currentIndex);
    const current = running && index === currentIndex;
    // A heading is a title over the items it heads, not a step of its own (unless the chair went there).
    const heading = !current && isHeading(all, index);
    const tags = [item.closed ? s.card.closedTag : '', item.kind === 'decision' || item.kind === 'information' ? s.kind[item.kind] : '']
      .filter(Boolean)
      .join(', ');
    return {
      code: item.code,
      title: clip(itemTitle(s, series, item), 300, s),
      tags: tags ? `  (${tags})` : '',
      state: heading ? '' : current ? s.card.itemState.current : done ? s.card.itemState.done : s.card.itemState.todo,
      style: current ? 'accent' : 'default',
      weight: current || heading ? 'Bolder' : 'Default',
      done,
    };
  });
  const pages =
    paging.pages > 1
      ? Array.from({ length: paging.pages }, (_, p) => ({
          page: p,
          title: `${p * paging.pageSize + 1}–${Math.min(all.length, (p + 1) * paging.pageSize)}`,
        })).filter((p) => p.page !== paging.page)
      : [];
  const subtitle = [longDate(meeting.date, s.lang), timeText(meeting), meeting.location, s.status[meeting.status]]
    .filter(Boolean)
    .join(' · ');
  const card = renderCard(agendaTemplate, {
    meetingId: meeting.id,
    title: meeting.title,
    subtitle,
    items,
    pages,
    pageLabel: paging.pages > 1 ? s.card.page(from + 1, from + items.length, all.length) : '',
    chairView: opts.chairView,
    closedView: opts.chairView && meeting.status === 'closed',
    canPublish: !!opts.canPublish,
    open: meeting.status !== 'closed',
    running,
    canStart: meeting.status === 'planned' && all.length > 0,
    previousItemId: running && currentIndex >= 0 ? (all[stepIndex(all, currentIndex, -1)]?.id ?? '') : '',
    nextItemId: running && currentIndex >= 0 ? (all[stepIndex(all, currentIndex, 1)]?.id ?? '') : '',
    currentItemId: running ? (meeting.currentItemId ?? '') : '',
    choices: all.map((i) => ({ title: clip(`${i.code} ${i.title}`, 80, s), value: i.id })),
    labels: { ...s.actions, ...s.card },
    ...bannerData(opts.banner),
  });
  if (opts.refreshUserIds?.length) {
    card.refresh = {
      action: { type: 'Action.Execute', verb: Verb.refreshAgenda, data: { meetingId: meeting.id, card: 'agenda' } },
      userIds: opts.refreshUserIds.slice(0, MAX_REFRESH_USERS),
    };
  }
  return card;
}

// ---- item ----

const OUTCOMES: Outcome[] = ['agreed', 'agreedWithChanges', 'deferred', 'rejected', 'adopted', 'noted'];

export function outcomeLabel(s: Strings, outcome: Outcome | undefined): string {
  return outcome ? s.outcome[outcome] : '';
}

function actionLine(s: Strings, a: ActionItem): string {
  const due = a.due ? `, ${s.card.due(longDate(a.due, s.lang))}` : '';
  return `${a.number}. ${a.text} — ${a.owner}${due}`;
}

export interface ItemCardOptions {
  chairView: boolean;
  banner?: Banner;
}

export function itemCard(s: Strings, series: Series, meeting: Meeting, item: AgendaItem, opts: ItemCardOptions): AdaptiveCard {
  // Long texts are clipped harder until the card fits; the minutes always hold the full text.
  for (const max of [3000, 1500, 600, 250, 100]) {
    const card = renderItem(s, series, meeting, item, opts, max);
    if (cardBytes(card) <= MAX_CARD_BYTES - 512 || max === 100) return card;
  }
  throw new Error('unreachable');
}

function renderItem(s: Strings, series: Series, meeting: Meeting, item: AgendaItem, opts: ItemCardOptions, max: number): AdaptiveCard {
  const index = meeting.agenda.findIndex((i) => i.id === item.id);
  const p = item.proposal;
  const facts = [
    [s.card.kind, s.kind[item.kind] + (item.closed ? ` (${s.card.closedTag})` : '')],
    [s.card.portfolioHolder, item.portfolioHolder ?? p?.portfolioHolder ?? ''],
    [s.card.handledBy, p?.handledBy ?? ''],
    [s.card.proposal, p?.subject ?? ''],
  ]
    .filter(([, v]) => v)
    .map(([label, value]) => ({ label, value: clip(value!, 500, s) }));
  const sections: { heading: string; lines: string[] }[] = [];
  const add = (heading: string, lines: string[]) => {
    if (lines.length) sections.push({ heading, lines: lines.map((l) => clip(l, max, s)) });
  };
  if (item.previousMinutesOf) {
    const previous = series.meetings.find((m) => m.id === item.previousMinutesOf);
    if (previous) {
      add(s.card.minutesTitle, [s.card.previousMinutesOf(longDate(previous.date, s.lang))]);
      add(
        s.card.actionsTitle,
        openActions(series)
          .filter((a) => a.meetingId !== meeting.id)
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
    item.notes.map((n) => n.text),
  );
  if (item.kind === 'announcements' || item === meeting.agenda.find((i) => i.kind === 'announcements')) {
    add(
      s.card.announcements,
      meeting.announcements.map((a) => `${a.author}: ${a.text}`),
    );
  }
  if (item.kind === 'questionRound')
    add(
      s.card.questions,
      meeting.questions.map((q) => `${q.author}: ${q.text}`),
    );
  add(
    s.card.decisions,
    meeting.decisions
      .filter((d) => d.itemId === item.id)
      .map((d) => `${decisionKey(meeting, d)}${d.outcome ? ` [${outcomeLabel(s, d.outcome)}]` : ''}: ${d.text}`),
  );
  add(
    s.card.actions,
    series.actions.filter((a) => a.meetingId === meeting.id && a.itemId === item.id).map((a) => actionLine(s, a)),
  );
  const attachmentLines = [...(p?.attachments ?? []), ...item.attachments.filter((a) => !a.url).map((a) => a.title)];
  add(s.card.attachments, attachmentLines);
  const links = item.attachments.filter((a) => a.url).map((a) => ({ title: clip(a.title, 200, s), url: a.url! }));
  const open = meeting.status !== 'closed';
  const running = meeting.status === 'running';
  return renderCard(itemTemplate, {
    meetingId: meeting.id,
    itemId: item.id,
    heading: `${s.card.item} ${index + 1}/${meeting.agenda.length} · ${meeting.title}`,
    code: item.code,
    title: clip(itemTitle(s, series, item), 300, s),
    tags: item.closed ? s.card.closedTag : '',
    facts,
    sections,
    links,
    nothingRecorded: sections.length === 0 && links.length === 0,
    chairView: opts.chairView,
    open,
    previousItemId: running ? (meeting.agenda[stepIndex(meeting.agenda, index, -1)]?.id ?? '') : '',
    nextItemId: running ? (meeting.agenda[stepIndex(meeting.agenda, index, 1)]?.id ?? '') : '',
    canClose: opts.chairView && running && index === meeting.agenda.length - 1,
    outcomes: OUTCOMES.map((o) => ({ title: s.outcome[o], value: o })),
    defaultOutcome: item.kind === 'previousMinutes' ? 'adopted' : item.kind === 'information' ? 'noted' : 'agreed',
    labels: { ...s.actions, ...s.card },
    ...bannerData(opts.banner),
  });
}

export function currentItemCard(
  s: Strings,
  series: Series,
  meeting: Meeting,
  chairView: boolean,
  banner?: Banner,
): AdaptiveCard | undefined {
  const item = currentItem(meeting);
  return item ? itemCard(s, series, meeting, item, { chairView, banner }) : undefined;
}

// ---- actions ----

const MAX_ACTIONS_SHOWN = 40;

export function actionsCard(s: Strings, series: Series, banner?: Banner): AdaptiveCard {
  const open = openActions(series);
  const rows = open.slice(0, MAX_ACTIONS_SHOWN).map((a) => {
    const meeting = series.meetings.find((m) => m.id === a.meetingId);
    const due = a.due ? `, ${s.card.due(longDate(a.due, s.lang))}` : '';
    return {
      number: a.number,
      numberLabel: String(a.number),
      text: clip(a.text, 400, s),
      details: `${a.owner}${due} · ${a.itemCode}${meeting ? ` · ${longDate(meeting.date, s.lang)}` : ''}`,
      canComplete: true,
    };
  });
  return renderCard(actionsTemplate, {
    actions: rows,
    more: open.length > MAX_ACTIONS_SHOWN ? `+${open.length - MAX_ACTIONS_SHOWN}` : '',
    labels: { ...s.actions, ...s.card },
    ...bannerData(banner),
  });
}

// ---- minutes ----

export interface MinutesCardOptions {
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
      meetingId,
      parts,
      canPublish: opts.canPublish,
      links: opts.links ?? [],
      note: n === 0 ? '' : opts.fullTextLinked ? s.card.minutesLongLinked(full) : s.card.minutesLong(full),
      labels: { ...s.actions, ...s.card },
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
  state: { text: string; style: BannerStyle; files: { name: string; url: string }[]; canRetry: boolean },
): AdaptiveCard {
  return renderCard(publishTemplate, { meetingId, title, ...state, labels: { ...s.actions, ...s.card } });
}
