// One parser for everything a user can ask: typed text (after the bot's @mention is stripped) and card
// data (Action.Execute / Action.Submit) both become one typed Command, so a card button does exactly
// what its command does. Each card verb is declared once, in CARD_VERBS: its schema and its command.
import { z } from 'zod';
import { CARD_KINDS, Verb, type CardKind, type VerbName } from '../cards/verbs';
import { outcomeOfTag } from '../services/meeting/outcomes';
import type { Outcome, Person, RecordKind } from '../services/meeting/types';

export type Command =
  | { kind: 'help' }
  | { kind: 'refresh' }
  | { kind: 'plan'; fields: Record<string, string> }
  | { kind: 'editMeeting'; fields: Record<string, string>; date?: string }
  | { kind: 'cancel'; date?: string; confirmed: boolean }
  | { kind: 'setChair'; chair?: Person }
  | { kind: 'memberName'; person: Person; name: string }
  | { kind: 'showAgenda'; page?: number }
  | { kind: 'setAgenda'; lines: string[] }
  | { kind: 'proposal'; code: string; text: string }
  | { kind: 'start' }
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'goTo'; code?: string; itemId?: string }
  | { kind: 'showItem'; itemId?: string }
  | { kind: 'attendance'; which: 'present' | 'absent'; names: string[] }
  | { kind: 'apologies' }
  | { kind: 'selfPresent' }
  | { kind: 'announcement' | 'question'; text: string; onBehalfOf?: string }
  | { kind: 'note'; text: string; code?: string; itemId?: string }
  | { kind: 'decision'; text: string; outcome?: Outcome; code?: string; itemId?: string }
  | { kind: 'action'; owner: string; ownerUser?: Person; text: string; due?: string; code?: string; itemId?: string }
  | { kind: 'correct'; record: RecordKind; label: string; remove: boolean; body: string; ownerUser?: Person }
  | { kind: 'actions'; page?: number }
  | { kind: 'done'; label: string }
  | { kind: 'close' }
  | { kind: 'reopen' }
  | { kind: 'minutes'; date?: string }
  | { kind: 'publish'; date?: string }
  | {
      kind: 'invalid';
      reason:
        | 'chairNeedsMention'
        | 'memberNeedsMention'
        | 'proposalNeedsCode'
        | 'actionNeedsOwner'
        | 'doneNeedsNumber'
        | 'itemNeedsCode'
        | 'badCardData'
        | 'correctionNeedsRecord';
    }
  | { kind: 'unknown'; word: string };

/** A mention in the message other than the bot's own (Teams' mention entity). */
export interface Mention {
  text: string;
  person: Person;
}

const KEYWORDS: Record<string, string> = {
  help: 'help',
  hulp: 'help',
  '?': 'help',
  vergadering: 'plan',
  meeting: 'plan',
  wijzig: 'edit',
  edit: 'edit',
  verwijder: 'remove',
  remove: 'remove',
  annuleren: 'cancel',
  annuleer: 'cancel',
  cancel: 'cancel',
  voorzitter: 'setChair',
  chair: 'setChair',
  lid: 'memberName',
  member: 'memberName',
  agenda: 'agenda',
  voorstel: 'proposal',
  proposal: 'proposal',
  start: 'start',
  volgende: 'next',
  next: 'next',
  vorige: 'previous',
  previous: 'previous',
  punt: 'goTo',
  item: 'goTo',
  aanwezig: 'present',
  present: 'present',
  afwezig: 'absent',
  absent: 'absent',
  afmelden: 'apologies',
  apologies: 'apologies',
  mededeling: 'announcement',
  announcement: 'announcement',
  verslag: 'note',
  note: 'note',
  besluit: 'decision',
  decision: 'decision',
  actie: 'action',
  action: 'action',
  acties: 'actions',
  actions: 'actions',
  gereed: 'done',
  done: 'done',
  rondvraag: 'question',
  question: 'question',
  sluiten: 'close',
  close: 'close',
  heropenen: 'reopen',
  reopen: 'reopen',
  besluitenlijst: 'minutes',
  minutes: 'minutes',
  publiceren: 'publish',
  publish: 'publish',
};

/** The record kinds `wijzig` and `verwijder` name, in both languages. */
const RECORD_WORDS: Record<string, RecordKind> = {
  besluit: 'decision',
  decision: 'decision',
  actie: 'action',
  action: 'action',
  mededeling: 'announcement',
  announcement: 'announcement',
  rondvraag: 'question',
  question: 'question',
  verslag: 'note',
  note: 'note',
};

const own = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

const stripMentionTags = (s: string) => s.replace(/<at>(.*?)<\/at>/gi, '$1');

/** Splits "[tag]" groups off the end of a text; returns the text and the tags in order. */
function trailingTags(text: string): { rest: string; tags: string[] } {
  let rest = text.trimEnd();
  const tags: string[] = [];
  for (let m = /\[([^[\]]*)\]\s*$/.exec(rest); m; m = /\[([^[\]]*)\]\s*$/.exec(rest)) {
    tags.unshift(m[1]!.trim());
    rest = rest.slice(0, m.index).trimEnd();
  }
  return { rest, tags };
}

/** "namens Naam: tekst" / "on behalf of Name: text" → { onBehalfOf, text }. */
export function onBehalf(body: string): { text: string; onBehalfOf?: string } {
  const m = /^(?:namens|on behalf of)\s+([^:\n]+?)\s*:\s*([\s\S]*)$/i.exec(body);
  if (m) return { onBehalfOf: stripMentionTags(m[1]!).trim(), text: stripMentionTags(m[2]!) };
  return { text: stripMentionTags(body.replace(/^:\s*/, '')) };
}

/** "D1: tekst" → { code: 'D1', text }, ": tekst" → { text }. */
function codeAndText(body: string): { code?: string; text: string } {
  const m = /^([^\s:]{1,12})\s*:\s*([\s\S]*)$/.exec(body);
  if (m) return { code: m[1], text: m[2]! };
  return { text: body.replace(/^:\s*/, '') };
}

/** A decision's text and outcome: "Tekst. [akkoord]"; unknown bracketed text at the end stays in the text. */
export function decisionText(body: string): { text: string; outcome?: Outcome } {
  const { rest, tags } = trailingTags(body);
  const known = tags.map((tag) => outcomeOfTag(tag));
  const outcome = [...known].reverse().find(Boolean);
  const kept = tags.filter((_, i) => !known[i]).map((tag) => `[${tag}]`);
  return { outcome, text: stripMentionTags([rest, ...kept].join(' ').trim()) };
}

/** An action's "Naam: tekst [voor dd-mm-jjjj]"; without "Naam:" only the text (for a correction). */
export function actionText(body: string, mentions: Mention[] = []): { owner?: string; ownerUser?: Person; text: string; due?: string } {
  const a = /^([^:\n]{1,120}?)\s*:\s*([\s\S]*)$/.exec(body);
  const ownerRaw = a?.[1]!.trim();
  const { rest, tags } = trailingTags(a ? a[2]! : body);
  let due: string | undefined;
  const kept: string[] = [];
  for (const tag of tags) {
    const d = /^(?:voor|uiterlijk|due|before|by)\s+(.+)$/i.exec(tag);
    if (d) due = d[1]!.trim();
    else kept.push(`[${tag}]`);
  }
  const mention = ownerRaw ? mentions.find((mm) => ownerRaw.includes(mm.text)) : undefined;
  return {
    owner: ownerRaw === undefined ? undefined : stripMentionTags(ownerRaw).trim(),
    ownerUser: mention?.person,
    text: stripMentionTags([rest, ...kept].join(' ').trim()),
    due,
  };
}

function splitNames(text: string): string[] {
  return stripMentionTags(text)
    .split(/\s*[,;\n]\s*|\s+en\s+(?=[^,]*$)|\s+and\s+(?=[^,]*$)/i)
    .map((n) => n.trim())
    .filter(Boolean);
}

/** The "veld: waarde" lines of `vergadering` and `wijzig vergadering`. */
function fieldLines(lines: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of lines) {
    const f = /^\s*([a-zA-Z][a-zA-Z ]{0,30}?)\s*:\s*(.*)$/.exec(line);
    if (f) fields[f[1]!.toLowerCase().replace(/\s+/g, ' ')] = stripMentionTags(f[2]!).trim();
  }
  return fields;
}

/** An optional date after a command word: "besluitenlijst 10-10-2016". */
const DATE_ARG = /^(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}-\d{2}-\d{2})$/;

export function parseText(raw: string, mentions: Mention[] = []): Command {
  const text = raw
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .trim();
  const [firstLine = '', ...more] = text.split('\n');
  const m = /^([^\s:]+)\s*(.*)$/.exec(firstLine.trim());
  if (!m) return { kind: 'help' };
  const word = m[1]!.toLowerCase();
  let rest = m[2]!;
  // "ik ben aanwezig" / "i am present": the sender marks themselves present.
  if (/^(ik ben aanwezig|i am present)$/i.test(firstLine.trim())) return { kind: 'selfPresent' };
  const keyword = own(KEYWORDS, word);
  const body = [rest, ...more].join('\n').trim();
  const colonBody = body.replace(/^:\s*/, '');
  const dateArg = DATE_ARG.exec(rest.trim())?.[1];
  switch (keyword) {
    case 'help':
      return { kind: 'help' };
    case 'plan':
      return { kind: 'plan', fields: fieldLines([rest, ...more]) };
    case 'edit':
    case 'remove': {
      // "wijzig vergadering [datum]" + lines; "wijzig besluit 3: …"; "verwijder mededeling 2".
      const what = /^(\S+)\s*(.*)$/.exec(rest.trim());
      const target = what?.[1]?.toLowerCase() ?? '';
      if (keyword === 'edit' && (target === 'vergadering' || target === 'meeting')) {
        const after = what![2]!.trim();
        const date = DATE_ARG.exec(after)?.[1];
        return { kind: 'editMeeting', fields: fieldLines(date || !after ? more : [after, ...more]), date };
      }
      const record = own(RECORD_WORDS, target);
      const r = /^(v?#?\d{1,6})\s*(?::\s*([\s\S]*))?$/i.exec([what?.[2] ?? '', ...more].join('\n').trim());
      if (!record || !r) return { kind: 'invalid', reason: 'correctionNeedsRecord' };
      const body = (r[2] ?? '').trim();
      const ownerUser = record === 'action' ? actionText(body, mentions).ownerUser : undefined;
      return { kind: 'correct', record, label: r[1]!.replace('#', ''), remove: keyword === 'remove', body, ownerUser };
    }
    case 'cancel':
      return { kind: 'cancel', date: dateArg, confirmed: false };
    case 'setChair': {
      const mention = mentions[0];
      return mention ? { kind: 'setChair', chair: mention.person } : { kind: 'invalid', reason: 'chairNeedsMention' };
    }
    case 'memberName': {
      // "lid @Hans: H. Meuleman": which name of the member list that Teams user has.
      const mention = mentions[0];
      const name = /:\s*([\s\S]*)$/.exec(stripMentionTags(body))?.[1]?.trim();
      return mention && name ? { kind: 'memberName', person: mention.person, name } : { kind: 'invalid', reason: 'memberNeedsMention' };
    }
    case 'agenda': {
      const lines = more.map((l) => l.trim()).filter(Boolean);
      rest = rest.replace(/^:\s*/, '').trim();
      if (rest) lines.unshift(rest);
      return lines.length ? { kind: 'setAgenda', lines } : { kind: 'showAgenda' };
    }
    case 'proposal': {
      const code = rest.replace(/:$/, '').trim().split(/\s+/)[0];
      if (!code) return { kind: 'invalid', reason: 'proposalNeedsCode' };
      const inline = rest
        .trim()
        .slice(code.length)
        .replace(/^\s*:?\s*/, '');
      return { kind: 'proposal', code, text: [inline, ...more].join('\n').trim() };
    }
    case 'start':
      return { kind: 'start' };
    case 'next':
      return { kind: 'next' };
    case 'previous':
      return { kind: 'previous' };
    case 'goTo': {
      const code = colonBody.split(/\s+/)[0];
      return code ? { kind: 'goTo', code } : { kind: 'invalid', reason: 'itemNeedsCode' };
    }
    case 'present':
    case 'absent':
      return { kind: 'attendance', which: keyword, names: splitNames(colonBody) };
    case 'apologies':
      return { kind: 'apologies' };
    case 'announcement':
    case 'question': {
      const { text: t, onBehalfOf } = onBehalf(body);
      return { kind: keyword, text: t, onBehalfOf };
    }
    case 'note': {
      const { code, text: t } = codeAndText(body);
      return { kind: 'note', code, text: stripMentionTags(t) };
    }
    case 'decision': {
      const { code, text: t } = codeAndText(body);
      return { kind: 'decision', code, ...decisionText(t) };
    }
    case 'action': {
      const a = actionText(body, mentions);
      if (a.owner === undefined) return { kind: 'invalid', reason: 'actionNeedsOwner' };
      return { kind: 'action', owner: a.owner, ownerUser: a.ownerUser, text: a.text, due: a.due };
    }
    case 'actions':
      return { kind: 'actions' };
    case 'done': {
      const n = /^(v?#?\d{1,6})$/i.exec(colonBody.trim());
      return n ? { kind: 'done', label: n[1]!.replace('#', '') } : { kind: 'invalid', reason: 'doneNeedsNumber' };
    }
    case 'close':
      return { kind: 'close' };
    case 'reopen':
      return { kind: 'reopen' };
    case 'minutes':
      return { kind: 'minutes', date: dateArg };
    case 'publish':
      return { kind: 'publish', date: dateArg };
    default:
      return { kind: 'unknown', word: firstLine.trim().slice(0, 30) };
  }
}

// ---- card data ----

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w:.@-]+$/);
const userText = z.string().max(20000);
const shortText = z.string().max(200);
const base = {
  verb: z.string(),
  meetingId: id.optional(),
  card: z.enum(CARD_KINDS).optional(),
};
const page = z.coerce.number().int().min(0).max(1000);
const outcome = z.enum(['agreed', 'agreedWithChanges', 'deferred', 'rejected', 'adopted', 'noted', '']).optional();

type Data = Record<string, unknown>;
const str = (d: Data, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);

interface CardVerb {
  fields: z.ZodRawShape;
  command(d: Data): Command;
}

/** The meeting form's inputs as the lines `vergadering` reads (one rule for typed and clicked plans). */
function meetingFields(d: Data): Record<string, string> {
  const f: Record<string, string> = {};
  const set = (k: string, v: string | undefined) => {
    if (v !== undefined && (v.trim() || k !== 'tijd')) f[k] = v.trim();
  };
  set('titel', str(d, 'title'));
  set('datum', str(d, 'date'));
  const from = str(d, 'startTime')?.trim();
  const to = str(d, 'endTime')?.trim();
  if (from || to) f.tijd = [from, to].filter(Boolean).join('-');
  set('locatie', str(d, 'location'));
  set('voorzitter', str(d, 'chairName'));
  set('leden', str(d, 'members'));
  if (str(d, 'itemTimes')) f['tijden per punt'] = str(d, 'itemTimes')!;
  for (const k of Object.keys(f)) if (f[k] === '' && k !== 'locatie' && k !== 'voorzitter' && k !== 'leden') delete f[k];
  return f;
}

const meetingFormFields = {
  title: shortText.optional(),
  date: z.string().max(40).optional(),
  startTime: z.string().max(10).optional(),
  endTime: z.string().max(10).optional(),
  location: shortText.optional(),
  chairName: shortText.optional(),
  members: userText.optional(),
  itemTimes: z.enum(['ja', 'nee', '']).optional(),
};

const CARD_VERBS: Record<VerbName, CardVerb> = {
  [Verb.help]: { fields: {}, command: () => ({ kind: 'help' }) },
  [Verb.refresh]: { fields: { itemId: id.optional(), page: page.optional() }, command: () => ({ kind: 'refresh' }) },
  [Verb.plan]: { fields: meetingFormFields, command: (d) => ({ kind: 'plan', fields: meetingFields(d) }) },
  [Verb.editMeeting]: { fields: meetingFormFields, command: (d) => ({ kind: 'editMeeting', fields: meetingFields(d) }) },
  [Verb.cancelMeeting]: { fields: {}, command: () => ({ kind: 'cancel', confirmed: true }) },
  [Verb.agenda]: { fields: {}, command: () => ({ kind: 'showAgenda' }) },
  [Verb.agendaPage]: { fields: { page }, command: (d) => ({ kind: 'showAgenda', page: d.page as number }) },
  [Verb.setAgenda]: {
    fields: { agenda: userText },
    command: (d) => ({
      kind: 'setAgenda',
      lines: (str(d, 'agenda') ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    }),
  },
  [Verb.start]: { fields: {}, command: () => ({ kind: 'start' }) },
  [Verb.goTo]: {
    fields: { itemId: id.optional(), targetItem: id.optional() },
    command: (d) => ({ kind: 'goTo', itemId: str(d, 'targetItem') ?? str(d, 'itemId') }),
  },
  [Verb.showItem]: { fields: { itemId: id.optional() }, command: (d) => ({ kind: 'showItem', itemId: str(d, 'itemId') }) },
  [Verb.announcement]: {
    fields: { announcementText: userText, announcementOnBehalfOf: userText.optional() },
    command: (d) => ({
      kind: 'announcement',
      text: str(d, 'announcementText') ?? '',
      onBehalfOf: str(d, 'announcementOnBehalfOf')?.trim() || undefined,
    }),
  },
  [Verb.question]: {
    fields: { questionText: userText, questionOnBehalfOf: userText.optional() },
    command: (d) => ({
      kind: 'question',
      text: str(d, 'questionText') ?? '',
      onBehalfOf: str(d, 'questionOnBehalfOf')?.trim() || undefined,
    }),
  },
  [Verb.apologies]: { fields: {}, command: () => ({ kind: 'apologies' }) },
  [Verb.present]: { fields: {}, command: () => ({ kind: 'selfPresent' }) },
  [Verb.attendance]: {
    fields: { which: z.enum(['present', 'absent']), names: userText },
    command: (d) => ({ kind: 'attendance', which: d.which as 'present' | 'absent', names: splitNames(str(d, 'names') ?? '') }),
  },
  [Verb.note]: {
    fields: { itemId: id, noteText: userText },
    command: (d) => ({ kind: 'note', text: str(d, 'noteText') ?? '', itemId: str(d, 'itemId') }),
  },
  [Verb.decision]: {
    fields: { itemId: id, decisionText: userText, outcome },
    command: (d) => ({
      kind: 'decision',
      text: str(d, 'decisionText') ?? '',
      outcome: (str(d, 'outcome') || undefined) as Outcome | undefined,
      itemId: str(d, 'itemId'),
    }),
  },
  [Verb.action]: {
    fields: { itemId: id, owner: userText, actionText: userText, due: z.string().max(40).optional() },
    command: (d) => ({
      kind: 'action',
      owner: str(d, 'owner') ?? '',
      text: str(d, 'actionText') ?? '',
      due: str(d, 'due') || undefined,
      itemId: str(d, 'itemId'),
    }),
  },
  [Verb.correct]: {
    // The correction form: which record ("decision:3"), what to do, and the new text as it would be typed.
    fields: { record: z.string().max(40), change: z.enum(['edit', 'remove']), correctionText: userText.optional() },
    command: (d) => {
      const [kind, label] = String(d.record).split(':') as [string, string | undefined];
      // Every RecordKind is also a word for itself ("decision:3").
      const record = own(RECORD_WORDS, kind);
      if (!record || !label || !/^v?\d{1,6}$/i.test(label)) return { kind: 'invalid', reason: 'badCardData' };
      return { kind: 'correct', record, label, remove: d.change === 'remove', body: (str(d, 'correctionText') ?? '').trim() };
    },
  },
  [Verb.actions]: { fields: {}, command: () => ({ kind: 'actions' }) },
  [Verb.actionsPage]: { fields: { page }, command: (d) => ({ kind: 'actions', page: d.page as number }) },
  [Verb.done]: {
    fields: { number: z.union([z.coerce.number().int().min(1).max(999999), z.string().regex(/^v?\d{1,6}$/i)]) },
    command: (d) => ({ kind: 'done', label: String(d.number) }),
  },
  [Verb.close]: { fields: {}, command: () => ({ kind: 'close' }) },
  [Verb.reopen]: { fields: {}, command: () => ({ kind: 'reopen' }) },
  [Verb.minutes]: { fields: {}, command: () => ({ kind: 'minutes' }) },
  [Verb.publish]: { fields: {}, command: () => ({ kind: 'publish' }) },
};

/** Every verb with its schema: a verb a template uses without one here is a bug the tests catch. */
export const CARD_VERB_NAMES: readonly string[] = Object.keys(CARD_VERBS);

const schemas: Record<string, z.ZodType> = Object.fromEntries(
  Object.entries(CARD_VERBS).map(([verb, v]) => [verb, z.object({ ...base, ...v.fields }).strict()]),
);

export interface CardRequest {
  command: Command;
  /** The meeting the card was made for: it must be this conversation's meeting. */
  meetingId?: string;
  card?: CardKind;
  /** For a refresh or a paged card: which item or page the card shows. */
  itemId?: string;
  page?: number;
}

/** Reads Action.Execute data or an Action.Submit value. Anything malformed or forged → badCardData. */
export function parseCardData(data: unknown, fallbackVerb?: string): CardRequest {
  const bad: CardRequest = { command: { kind: 'invalid', reason: 'badCardData' } };
  if (!data || typeof data !== 'object' || Array.isArray(data)) return bad;
  const raw = { ...(data as Record<string, unknown>) };
  delete raw.msteams; // Action.Submit's Teams routing hints, not ours
  if (typeof raw.verb !== 'string' && fallbackVerb) raw.verb = fallbackVerb;
  const verb = typeof raw.verb === 'string' ? raw.verb : '';
  const entry = own(CARD_VERBS as Record<string, CardVerb>, verb);
  if (!entry) return bad;
  const parsed = own(schemas, verb)!.safeParse(raw);
  if (!parsed.success) return bad;
  const d = parsed.data as Data & { meetingId?: string; card?: CardKind; itemId?: string; page?: number };
  return { command: entry.command(d), meetingId: d.meetingId, card: d.card, itemId: d.itemId, page: d.page };
}
