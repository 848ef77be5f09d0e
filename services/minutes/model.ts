// The minutes (besluitenlijst) of one meeting as plain, render-neutral data. The .docx and Markdown
// renderers only lay this out; every rule about what goes into which document lives here, so the
// public/closed split is decided in exactly one place.
import { isHeading } from '../meeting/agenda';
import { strings, type Lang, type Strings } from '../i18n';
import { actualClock, clockRange, localClock, longDate } from '../meeting/dates';
import { isClosedAction, itemDuration, recordLabel } from '../meeting/operations';
import { outcomeWord } from '../meeting/outcomes';
import type { ActionItem, AgendaItem, Contribution, HouseStyleText, Meeting, Outcome, Series } from '../meeting/types';
import { houseText } from './houseStyle';

export type MinutesPart = 'openbaar' | 'besloten';

/** A piece of text with emphasis. Text is user text or a fixed label, never markup. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export type BlockRole = 'portfolioHolder' | 'time' | 'note' | 'announcement' | 'question' | 'decision' | 'action';

/**
 * One paragraph, bullet or list item inside the Agendapunten cell. Text may contain line breaks ("\n").
 * A list item is one point of a list the chair dictated ("a) … b) …" or "1. … 2. …"): `list` says how
 * it is numbered, and `first` starts a new list.
 */
export interface Block {
  kind: 'paragraph' | 'bullet' | 'listItem';
  role: BlockRole;
  runs: Run[];
  list?: ListStyle;
  first?: boolean;
}

export type ListStyle = 'letter' | 'number';

export interface AttachmentRef {
  title: string;
  /** Only set for http(s) and mailto links, so a renderer can link it without further checks. */
  url?: string;
}

export interface ItemRow {
  /** The agenda code (NR); "" for a row added for announcements or questions without an agenda item. */
  code: string;
  title: string;
  blocks: Block[];
  attachments: AttachmentRef[];
}

export interface HeaderRow {
  label: string;
  value: string;
}

export interface ActionRow {
  number: string;
  /** Where it was agreed: "D1, 4 juli 2016". */
  origin: string;
  text: string;
  owner: string;
  /** Long date in the meeting's language, or "". */
  due: string;
  /** "open" / "gereed" in the meeting's language. */
  status: string;
}

/** The fixed words a renderer lays out (column heads, the action list's title, page numbers, language). */
export type MinutesLabels = Pick<
  Strings['minutes'],
  'language' | 'documentKind' | 'confidential' | 'grid' | 'actionList' | 'actionColumns' | 'page'
>;

export interface MinutesModel {
  /** "BESLUITENLIJST Districtelijk Veiligheidsoverleg" */
  title: string;
  /** The body's name (meeting title). */
  body: string;
  part: MinutesPart;
  /** "Openbaar deel" / "Besloten deel" */
  partLabel: string;
  /**
   * Only on the closed document: "VERTROUWELIJK – besloten deel", shown in its title block and on every
   * page, so that no page of it can pass for public.
   */
  confidentialMark?: string;
  /** "Status: concept" / "Status: vastgesteld op 12 december 2016" */
  status: string;
  /** Printed on every page, so a loose page still says what it is and whether it is a concept. */
  footer: string;
  /** ISO date of the meeting (yyyy-mm-dd), for file names and properties. */
  meetingDate: string;
  header: HeaderRow[];
  items: ItemRow[];
  /** Empty when there is nothing to list: renderers then omit the Actielijst. */
  actions: ActionRow[];
  labels: MinutesLabels;
  /** The body's name and header line at the top of every page: the chat's own, else the deployment's. */
  house: Omit<HouseStyleText, 'logo'>;
}

/** The minutes' words, and the language their dates and times are written in: the meeting's. */
interface Words {
  w: Strings['minutes'];
  lang: Lang;
}

function wordsOf(meeting: Meeting): Words {
  const s = strings(meeting.locale);
  return { w: s.minutes, lang: s.lang };
}

/** A decision's outcome in the minutes: the one word of services/meeting/outcomes.ts. */
export function outcomeLabel(outcome: Outcome, lang: Lang = 'nl'): string {
  return outcomeWord(outcome, lang);
}

/** "2016-10-10" → "10 oktober 2016": the one rule for dates lives in services/meeting/dates.ts. */
export function dutchDate(iso: string): string {
  return longDate(iso, 'nl');
}

/** "10.30 – 12.00 uur": the one rule for times lives in services/meeting/dates.ts. */
export function timeRange(start?: string, end?: string, lang: Lang = 'nl'): string {
  return clockRange(start, end, lang);
}

/**
 * The Tijdstip of the header: when the meeting actually began and ended (Teams' meeting events, else
 * the first `start` and the `sluiten`), the planned time where nothing actual is known.
 */
function meetingTime(meeting: Meeting, lang: Lang): string {
  const actual = actualClock(meeting);
  if (!actual.start && !actual.end) return timeRange(meeting.startTime, meeting.endTime, lang);
  return timeRange(actual.start ?? meeting.startTime, actual.end ?? (actual.start ? undefined : meeting.endTime), lang);
}

/** "10.42 – 10.55 uur (13 min)": when an item was current, for minutes that show the time per item. */
function itemTime(item: AgendaItem, lang: Lang): string {
  const spans = item.spans ?? [];
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last?.to) return '';
  const minutes = Math.round(itemDuration(item, Date.parse(last.to)) / 60000);
  return `${timeRange(localClock(first.from), localClock(last.to), lang)} (${minutes} min)`;
}

/** "a, b en c", as a list of names is written ("a, b and c" in English). */
export function joinNames(names: string[], and = 'en'): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
}

export function findMeeting(series: Series, meetingId: string): Meeting {
  const meeting = series.meetings.find((m) => m.id === meetingId);
  if (!meeting) throw new Error(`Meeting ${meetingId} not found in series`);
  return meeting;
}

export function statusLine(meeting: Meeting): string {
  const { w, lang } = wordsOf(meeting);
  if (meeting.minutes.status !== 'adopted') return w.status(w.statusWords.concept);
  return w.status(w.statusWords.adopted, meeting.minutes.adoptedOn && longDate(meeting.minutes.adoptedOn, lang));
}

function headerRows(meeting: Meeting, { w, lang }: Words): HeaderRow[] {
  const absent = meeting.absent.map((a) => (a.withNotice ? w.withNotice(a.name) : a.name));
  const rows: HeaderRow[] = [
    { label: w.facts.date, value: longDate(meeting.date, lang) },
    { label: w.facts.time, value: meetingTime(meeting, lang) },
    { label: w.facts.chair, value: meeting.chairName ?? '' },
    { label: w.facts.location, value: meeting.location ?? '' },
    { label: w.facts.secretary, value: meeting.secretaryName ?? '' },
    { label: w.facts.present, value: joinNames(meeting.present, w.and) },
    { label: w.facts.absent, value: joinNames(absent, w.and) },
  ];
  // A fact that was never recorded is left out rather than shown as an empty line.
  return rows.filter((row) => row.value !== '');
}

/** When a meeting's record ends: its closing, or the end of its day when it was never closed. */
function recordEnd(meeting: Meeting): number {
  return Date.parse(meeting.closedAt ?? `${meeting.date}T23:59:59Z`);
}

/**
 * Whether an action was done by `moment` (ms; undefined: now). Minutes record the state at their
 * meeting, so an action finished later still shows open there, also when they are republished.
 */
function doneBy(action: ActionItem, moment?: number): boolean {
  if (action.status !== 'done') return false;
  const doneAt = Date.parse(action.doneAt ?? '');
  // Done at no readable time (data made by hand): counted as done long ago.
  return moment === undefined || Number.isNaN(doneAt) || doneAt <= moment;
}

/** The moment a meeting's minutes show the actions at: its closing; a meeting still open shows them now. */
function actionsMoment(meeting: Meeting): number | undefined {
  return meeting.status === 'closed' ? recordEnd(meeting) : undefined;
}

/**
 * The actions the Actielijst of this document shows: all of this meeting's actions plus those of earlier
 * meetings still open when the previous meeting ended, so one finished since shows once as done (public
 * document); or only those on this meeting's closed items (closed document).
 */
export function listedActions(series: Series, meetingId: string, part: MinutesPart): ActionItem[] {
  const index = series.meetings.findIndex((m) => m.id === meetingId);
  if (index < 0) throw new Error(`Meeting ${meetingId} not found in series`);
  const earlier = new Set(series.meetings.slice(0, index).map((m) => m.id));
  const previous = series.meetings[index - 1];
  const since = previous ? recordEnd(previous) : undefined;
  const listed = series.actions.filter((action) => {
    if (part === 'besloten') return action.meetingId === meetingId && isClosedAction(series, action);
    if (isClosedAction(series, action)) return false;
    return action.meetingId === meetingId || (earlier.has(action.meetingId) && !doneBy(action, since));
  });
  return [...listed].sort((a, b) => a.number - b.number);
}

function actionRow(series: Series, action: ActionItem, moment: number | undefined, { w, lang }: Words): ActionRow {
  const from = series.meetings.find((m) => m.id === action.meetingId);
  return {
    number: recordLabel(action),
    origin: from ? `${action.itemCode}, ${longDate(from.date, lang)}` : action.itemCode,
    text: action.text,
    owner: action.owner,
    due: action.due ? longDate(action.due, lang) : '',
    status: doneBy(action, moment) ? w.actionStatus.done : w.actionStatus.open,
  };
}

function contributionRuns(author: string, text: string): Run[] {
  return author.trim() ? [{ text: `${author}: ` }, { text }] : [{ text }];
}

/** A block with the moment its record was taken: an item's records are laid out in that order. */
interface Timed {
  at: string;
  block: Block;
}

/** One bullet per announcer, at their first announcement; several texts share the bullet. */
function announcementBlocks(announcements: Contribution[]): Timed[] {
  const byAuthor = new Map<string, { at: string; texts: string[] }>();
  for (const a of announcements) {
    const entry = byAuthor.get(a.author) ?? { at: a.at, texts: [] };
    entry.texts.push(a.text);
    byAuthor.set(a.author, entry);
  }
  return [...byAuthor].map(([author, { at, texts }]) => ({
    at,
    block: { kind: 'bullet', role: 'announcement', runs: contributionRuns(author, texts.join(' ')) },
  }));
}

function questionBlocks(questions: Contribution[]): Timed[] {
  return questions.map((q) => ({ at: q.at, block: { kind: 'bullet', role: 'question', runs: contributionRuns(q.author, q.text) } }));
}

function decisionBlocks(meeting: Meeting, item: AgendaItem, { w, lang }: Words): Timed[] {
  return meeting.decisions
    .filter((d) => d.itemId === item.id)
    .sort((a, b) => a.number - b.number)
    .map((d) => {
      // As the seed writes it: the decision as prose; its number and outcome after it, unobtrusive.
      const tail = w.decisionTail(recordLabel(d), d.outcome && outcomeLabel(d.outcome, lang));
      return {
        at: d.at,
        block: {
          kind: 'paragraph',
          role: 'decision',
          runs: [{ text: d.text }, { text: ` (${tail})`, italic: true }],
        },
      };
    });
}

/** How much of an action's text its item shows: the whole action is in the Actielijst. */
const ACTION_GIST_WORDS = 8;

function gist(text: string): string {
  const words = text.trim().split(/\s+/);
  return words.length <= ACTION_GIST_WORDS ? text.trim() : `${words.slice(0, ACTION_GIST_WORDS).join(' ')} …`;
}

/** An action in its item: who and the gist, pointing to the Actielijst, where it stands once in full. */
function actionBlocks(series: Series, meeting: Meeting, item: AgendaItem, { w }: Words): Timed[] {
  return series.actions
    .filter((a) => a.meetingId === meeting.id && a.itemId === item.id)
    .sort((a, b) => a.number - b.number)
    .map((a) => ({
      at: a.createdAt,
      block: {
        kind: 'paragraph',
        role: 'action',
        runs: [{ text: w.actionRef(recordLabel(a), a.owner), bold: true }, { text: gist(a.text) }, { text: w.seeActionList, italic: true }],
      },
    }));
}

const blocksOf = (timed: Timed[]): Block[] => timed.map((t) => t.block);

/** A point of a dictated list at the start of a line or after a sentence: "a) ", "b. ", "1) ", "2. ". */
const LIST_MARK = /(?:^|\n|(?<=[.:;!?])[ \t]+)([a-z]|\d{1,2})[).][ \t]+/g;

/**
 * A note or decision text that dictates a list ("N.a.v. verslag: a) … b) … c) …"): the text before it and
 * its points, when there are at least two and they count up from a or 1; else undefined.
 */
export function dictatedList(text: string): { lead: string; style: ListStyle; points: string[] } | undefined {
  const marks = [...text.matchAll(LIST_MARK)];
  if (marks.length < 2) return undefined;
  const first = marks[0]![1]!;
  const style: ListStyle = /\d/.test(first) ? 'number' : 'letter';
  const expected = (i: number) => (style === 'number' ? String(i + 1) : String.fromCharCode(97 + i));
  if (!marks.every((m, i) => m[1] === expected(i))) return undefined;
  const points = marks.map((m, i) => text.slice(m.index + m[0].length, marks[i + 1]?.index ?? text.length).trim());
  if (points.some((p) => !p)) return undefined;
  return { lead: text.slice(0, marks[0]!.index).trim(), style, points };
}

/** The points of a list taken one record at a time ("a) …", then "b) …"): list items, when two or more. */
function pointsInTurn(blocks: Block[]): Block[] {
  const out: Block[] = [];
  const markOf = (b: Block | undefined) =>
    b?.kind === 'paragraph' && b.runs[0] ? /^([a-z]|\d{1,2})[).][ \t]+/.exec(b.runs[0].text) : null;
  for (let i = 0; i < blocks.length;) {
    const start = markOf(blocks[i])?.[1];
    const style: ListStyle | undefined = start === 'a' ? 'letter' : start === '1' ? 'number' : undefined;
    let n = 0;
    if (style) while (markOf(blocks[i + n])?.[1] === (style === 'number' ? String(n + 1) : String.fromCharCode(97 + n))) n++;
    if (n < 2) {
      out.push(blocks[i]!);
      i++;
      continue;
    }
    for (let k = 0; k < n; k++) {
      const b = blocks[i + k]!;
      const [head, ...rest] = b.runs;
      const text = head!.text.slice(markOf(b)![0].length);
      out.push({ ...b, kind: 'listItem', list: style, first: k === 0, runs: [{ ...head!, text }, ...rest] });
    }
    i += n;
  }
  return out;
}

/** A paragraph whose text dictates a list becomes its lead and one list item per point. */
function withLists(timed: Timed): Timed[] {
  const { block } = timed;
  const [body, ...tail] = block.runs;
  const list = block.kind === 'paragraph' && body ? dictatedList(body.text) : undefined;
  if (!list || !body) return [timed];
  const lead: Block[] = list.lead ? [{ ...block, runs: [{ ...body, text: list.lead }] }] : [];
  const points = list.points.map((point, i): Block => ({
    kind: 'listItem',
    role: block.role,
    list: list.style,
    first: i === 0,
    // What followed the text (a decision's number and outcome) stays at the end, after the last point.
    runs: [{ ...body, text: point }, ...(i === list.points.length - 1 ? tail : [])],
  }));
  return [...lead, ...points].map((b) => ({ at: timed.at, block: b }));
}

const LINKABLE = /^(https?:\/\/|mailto:)/i;

function attachmentRefs(item: AgendaItem): AttachmentRef[] {
  const own = item.attachments.map((a) =>
    a.url && LINKABLE.test(a.url.trim()) ? { title: a.title, url: a.url.trim() } : { title: a.title },
  );
  const fromProposal = (item.proposal?.attachments ?? []).map((title) => ({ title }));
  return [...own, ...fromProposal];
}

interface Contributions {
  /** The agenda item the announcements / questions are shown under (the first of its kind). */
  announcementsItemId?: string;
  questionsItemId?: string;
}

function contributionItems(meeting: Meeting): Contributions {
  return {
    announcementsItemId: meeting.agenda.find((i) => i.kind === 'announcements')?.id,
    questionsItemId: meeting.agenda.find((i) => i.kind === 'questionRound')?.id,
  };
}

function itemRow(series: Series, meeting: Meeting, item: AgendaItem, where: Contributions, words: Words): ItemRow {
  const blocks: Block[] = [];
  if (item.portfolioHolder) {
    blocks.push({
      kind: 'paragraph',
      role: 'portfolioHolder',
      runs: [{ text: words.w.portfolioHolder(item.portfolioHolder), italic: true }],
    });
  }
  // The secretary's choice (wijzig vergadering: tijden per punt: ja): when each item was discussed.
  const time = meeting.itemTimesInMinutes ? itemTime(item, words.lang) : '';
  if (time) blocks.push({ kind: 'paragraph', role: 'time', runs: [{ text: time, italic: true }] });
  const records: Timed[] = [
    ...item.notes.map((note): Timed => ({ at: note.at, block: { kind: 'paragraph', role: 'note', runs: [{ text: note.text }] } })),
    ...(item.id === where.announcementsItemId ? announcementBlocks(meeting.announcements) : []),
    ...(item.id === where.questionsItemId ? questionBlocks(meeting.questions) : []),
    ...decisionBlocks(meeting, item, words),
    ...actionBlocks(series, meeting, item, words),
  ];
  // In the order they were taken, as the secretary wrote them ("Het verslag wordt vastgesteld. N.a.v.
  // verslag: a) b) c)"); records of one moment keep account, contributions, decisions, actions (a stable sort).
  records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  blocks.push(...pointsInTurn(blocksOf(records.flatMap(withLists))));
  return { code: item.code, title: item.title, blocks, attachments: attachmentRefs(item) };
}

/** Rows for announcements / questions recorded while the agenda has no item of that kind. */
function insertLooseContributions(rows: ItemRow[], kinds: string[], meeting: Meeting, where: Contributions, { w }: Words): void {
  if (!where.announcementsItemId && meeting.announcements.length > 0) {
    const opening = kinds.indexOf('opening');
    rows.splice(opening + 1, 0, {
      code: '',
      title: w.announcements,
      blocks: blocksOf(announcementBlocks(meeting.announcements)),
      attachments: [],
    });
    kinds.splice(opening + 1, 0, 'announcements');
  }
  if (!where.questionsItemId && meeting.questions.length > 0) {
    const closing = kinds.indexOf('closing');
    const at = closing < 0 ? rows.length : closing;
    rows.splice(at, 0, { code: '', title: w.questions, blocks: blocksOf(questionBlocks(meeting.questions)), attachments: [] });
    kinds.splice(at, 0, 'questionRound');
  }
}

function itemRows(series: Series, meeting: Meeting, part: MinutesPart, words: Words): ItemRow[] {
  const where = contributionItems(meeting);
  // The closed flag decides everything: a public document never sees a closed item, not even its code.
  const inPart = meeting.agenda.filter((item) => item.closed === (part === 'besloten'));
  // A heading whose items are all in the other part heads nothing here: without records of its own it goes.
  const kept = inPart
    .map((item, i) => ({ item, row: itemRow(series, meeting, item, where, words), i }))
    .filter(
      ({ item, row, i }) =>
        !isHeading(meeting.agenda, meeting.agenda.indexOf(item)) ||
        isHeading(inPart, i) ||
        row.blocks.length > 0 ||
        row.attachments.length > 0,
    );
  const items = kept.map((k) => k.item);
  const rows = kept.map((k) => k.row);
  if (part === 'openbaar') {
    insertLooseContributions(
      rows,
      items.map((i) => i.kind),
      meeting,
      where,
      words,
    );
  }
  return rows;
}

/** The documents a meeting's minutes have: the public one always, the closed one only with a closed item. */
export function minutesParts(meeting: Meeting): MinutesPart[] {
  return meeting.agenda.some((item) => item.closed) ? ['openbaar', 'besloten'] : ['openbaar'];
}

const FOOTER_TITLE_LENGTH = 60;

function footerLine(meeting: Meeting, part: MinutesPart, { w, lang }: Words): string {
  const title =
    meeting.title.length > FOOTER_TITLE_LENGTH ? `${meeting.title.slice(0, FOOTER_TITLE_LENGTH - 1).trimEnd()}…` : meeting.title;
  const status = meeting.minutes.status === 'adopted' ? w.statusWords.adopted : w.statusWords.concept;
  const line = `${w.documentKind} ${title.replace(/\s+/g, ' ')} ${longDate(meeting.date, lang)} – ${w.parts[part].toLowerCase()} – ${status}`;
  return part === 'besloten' ? `${w.confidential} – ${line}` : line;
}

/** `house`: the deployment's house style (MINUTES_BODY, MINUTES_HEADER_LINE), under the chat's own. */
export function minutesModel(series: Series, meetingId: string, part: MinutesPart, house?: Omit<HouseStyleText, 'logo'>): MinutesModel {
  const meeting = findMeeting(series, meetingId);
  const words = wordsOf(meeting);
  const { w } = words;
  const moment = actionsMoment(meeting);
  return {
    title: w.title(meeting.title),
    body: meeting.title,
    part,
    partLabel: w.parts[part],
    confidentialMark: part === 'besloten' ? w.confidentialMark : undefined,
    status: statusLine(meeting),
    footer: footerLine(meeting, part, words),
    meetingDate: meeting.date,
    header: headerRows(meeting, words),
    items: itemRows(series, meeting, part, words),
    actions: listedActions(series, meetingId, part).map((action) => actionRow(series, action, moment, words)),
    labels: {
      language: w.language,
      documentKind: w.documentKind,
      confidential: w.confidential,
      grid: w.grid,
      actionList: w.actionList,
      actionColumns: w.actionColumns,
      page: w.page,
    },
    house: houseText(house, series.houseStyle),
  };
}
