// One parser for everything a user can ask: typed text (after the bot's @mention is stripped) and card
// data (Action.Execute / Action.Submit) both become one typed Command, so a card button does exactly
// what its command does.
import { z } from 'zod';
import { Verb } from '../cards/verbs';
import type { CardKind } from '../cards/verbs';
import type { Outcome, Person } from '../services/meeting/types';

export type Command =
  | { kind: 'help' }
  | { kind: 'plan'; fields: Record<string, string> }
  | { kind: 'setChair'; chair?: Person }
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
  | { kind: 'actions' }
  | { kind: 'done'; number: number }
  | { kind: 'close' }
  | { kind: 'reopen' }
  | { kind: 'minutes' }
  | { kind: 'publish' }
  | { kind: 'refreshAgenda' }
  | {
      kind: 'invalid';
      reason: 'chairNeedsMention' | 'proposalNeedsCode' | 'actionNeedsOwner' | 'doneNeedsNumber' | 'itemNeedsCode' | 'badCardData';
    }
  | { kind: 'unknown'; word: string };

/** A mention in the message other than the bot's own (Teams' mention entity). */
export interface Mention {
  text: string;
  person: Person;
}

const OUTCOME_TAGS: Record<string, Outcome> = {
  akkoord: 'agreed',
  agreed: 'agreed',
  'akkoord met wijzigingen': 'agreedWithChanges',
  'agreed with changes': 'agreedWithChanges',
  aangehouden: 'deferred',
  deferred: 'deferred',
  afgewezen: 'rejected',
  rejected: 'rejected',
  vastgesteld: 'adopted',
  adopted: 'adopted',
  'ter kennisgeving': 'noted',
  noted: 'noted',
};

const KEYWORDS: Record<string, string> = {
  help: 'help',
  hulp: 'help',
  '?': 'help',
  vergadering: 'plan',
  meeting: 'plan',
  voorzitter: 'setChair',
  chair: 'setChair',
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
function onBehalf(body: string): { text: string; onBehalfOf?: string } {
  const m = /^(?:namens|on behalf of)\s+([^:\n]+?)\s*:\s*([\s\S]*)$/i.exec(body);
  if (m) return { onBehalfOf: stripMentionTags(m[1]!).trim(), text: m[2]! };
  return { text: body.replace(/^:\s*/, '') };
}

/** "D1: tekst" → { code: 'D1', text }, ": tekst" → { text }. */
function codeAndText(body: string): { code?: string; text: string } {
  const m = /^([^\s:]{1,12})\s*:\s*([\s\S]*)$/.exec(body);
  if (m) return { code: m[1], text: m[2]! };
  return { text: body.replace(/^:\s*/, '') };
}

function splitNames(text: string): string[] {
  return stripMentionTags(text)
    .split(/\s*[,;\n]\s*|\s+en\s+(?=[^,]*$)|\s+and\s+(?=[^,]*$)/i)
    .map((n) => n.trim())
    .filter(Boolean);
}

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
  // Own keys only: 'constructor' or '__proto__' is an unknown word, not something every object inherits.
  const keyword = Object.hasOwn(KEYWORDS, word) ? KEYWORDS[word] : undefined;
  const body = [rest, ...more].join('\n').trim();
  const colonBody = body.replace(/^:\s*/, '');
  switch (keyword) {
    case 'help':
      return { kind: 'help' };
    case 'plan': {
      const fields: Record<string, string> = {};
      for (const line of [rest, ...more]) {
        const f = /^\s*([a-zA-Z]+)\s*:\s*(.*)$/.exec(line);
        if (f) fields[f[1]!.toLowerCase()] = stripMentionTags(f[2]!).trim();
      }
      return { kind: 'plan', fields };
    }
    case 'setChair': {
      const mention = mentions[0];
      return mention ? { kind: 'setChair', chair: mention.person } : { kind: 'invalid', reason: 'chairNeedsMention' };
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
      return { kind: keyword, text: stripMentionTags(t), onBehalfOf };
    }
    case 'note': {
      const { code, text: t } = codeAndText(body);
      return { kind: 'note', code, text: stripMentionTags(t) };
    }
    case 'decision': {
      const { code, text: t } = codeAndText(body);
      const { rest: decisionText, tags } = trailingTags(t);
      const known = tags.map((tag) => (Object.hasOwn(OUTCOME_TAGS, tag.toLowerCase()) ? OUTCOME_TAGS[tag.toLowerCase()] : undefined));
      const outcome = [...known].reverse().find(Boolean);
      // Unknown bracketed text at the end is part of the decision, not an outcome.
      const kept = tags.filter((_, i) => !known[i]).map((tag) => `[${tag}]`);
      return { kind: 'decision', code, outcome, text: stripMentionTags([decisionText, ...kept].join(' ').trim()) };
    }
    case 'action': {
      const a = /^([^:\n]+?)\s*:\s*([\s\S]*)$/.exec(body);
      if (!a) return { kind: 'invalid', reason: 'actionNeedsOwner' };
      const ownerRaw = a[1]!.trim();
      const mention = mentions.find((mm) => ownerRaw.includes(mm.text));
      const { rest: actionText, tags } = trailingTags(a[2]!);
      let due: string | undefined;
      const kept: string[] = [];
      for (const tag of tags) {
        const d = /^(?:voor|uiterlijk|due|before|by)\s+(.+)$/i.exec(tag);
        if (d) due = d[1]!.trim();
        else kept.push(`[${tag}]`);
      }
      return {
        kind: 'action',
        owner: stripMentionTags(ownerRaw).trim(),
        ownerUser: mention?.person,
        text: stripMentionTags([actionText, ...kept].join(' ').trim()),
        due,
      };
    }
    case 'actions':
      return { kind: 'actions' };
    case 'done': {
      const n = /^#?(\d{1,6})$/.exec(colonBody.trim());
      return n ? { kind: 'done', number: Number(n[1]) } : { kind: 'invalid', reason: 'doneNeedsNumber' };
    }
    case 'close':
      return { kind: 'close' };
    case 'reopen':
      return { kind: 'reopen' };
    case 'minutes':
      return { kind: 'minutes' };
    case 'publish':
      return { kind: 'publish' };
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
const base = {
  verb: z.string(),
  meetingId: id.optional(),
  card: z.enum(['help', 'welcome', 'meeting', 'agenda', 'item', 'actions', 'minutes', 'publish']).optional(),
};

const cardSchemas = {
  [Verb.help]: z.object(base),
  [Verb.agenda]: z.object(base),
  [Verb.refreshAgenda]: z.object(base),
  [Verb.agendaPage]: z.object({ ...base, page: z.coerce.number().int().min(0).max(1000) }),
  [Verb.setAgenda]: z.object({ ...base, agenda: userText }),
  [Verb.start]: z.object(base),
  [Verb.goTo]: z.object({ ...base, itemId: id.optional(), targetItem: id.optional() }),
  [Verb.showItem]: z.object({ ...base, itemId: id }),
  [Verb.announcement]: z.object({ ...base, announcementText: userText, announcementOnBehalfOf: userText.optional() }),
  [Verb.question]: z.object({ ...base, questionText: userText, questionOnBehalfOf: userText.optional() }),
  [Verb.apologies]: z.object(base),
  [Verb.present]: z.object(base),
  [Verb.attendance]: z.object({ ...base, which: z.enum(['present', 'absent']), names: userText }),
  [Verb.note]: z.object({ ...base, itemId: id, noteText: userText }),
  [Verb.decision]: z.object({
    ...base,
    itemId: id,
    decisionText: userText,
    outcome: z.enum(['agreed', 'agreedWithChanges', 'deferred', 'rejected', 'adopted', 'noted', '']).optional(),
  }),
  [Verb.action]: z.object({ ...base, itemId: id, owner: userText, actionText: userText, due: z.string().max(40).optional() }),
  [Verb.actions]: z.object(base),
  [Verb.done]: z.object({ ...base, number: z.coerce.number().int().min(1).max(999999) }),
  [Verb.close]: z.object(base),
  [Verb.reopen]: z.object(base),
  [Verb.minutes]: z.object(base),
  [Verb.publish]: z.object(base),
} as const;

export interface CardRequest {
  command: Command;
  /** The meeting the card was made for: it must be this conversation's meeting. */
  meetingId?: string;
  card?: CardKind;
}

/** Reads Action.Execute data or an Action.Submit value. Anything malformed or forged → badCardData. */
export function parseCardData(data: unknown, fallbackVerb?: string): CardRequest {
  const bad: CardRequest = { command: { kind: 'invalid', reason: 'badCardData' } };
  if (!data || typeof data !== 'object' || Array.isArray(data)) return bad;
  const raw = { ...(data as Record<string, unknown>) };
  delete raw.msteams; // Action.Submit's Teams routing hints, not ours
  if (typeof raw.verb !== 'string' && fallbackVerb) raw.verb = fallbackVerb;
  // Own keys only: `in` is also true for 'constructor', 'toString', '__proto__' and the rest of Object.prototype.
  if (typeof raw.verb !== 'string' || !Object.hasOwn(cardSchemas, raw.verb)) return bad;
  const schema = cardSchemas[raw.verb as keyof typeof cardSchemas];
  const parsed = schema.strict().safeParse(raw);
  if (!parsed.success) return bad;
  const d = parsed.data as Record<string, unknown> & { meetingId?: string; card?: CardKind };
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const command = ((): Command => {
    switch (raw.verb) {
      case Verb.help:
        return { kind: 'help' };
      case Verb.agenda:
        return { kind: 'showAgenda' };
      case Verb.refreshAgenda:
        return { kind: 'refreshAgenda' };
      case Verb.agendaPage:
        return { kind: 'showAgenda', page: d.page as number };
      case Verb.setAgenda:
        return {
          kind: 'setAgenda',
          lines: (str('agenda') ?? '')
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter(Boolean),
        };
      case Verb.start:
        return { kind: 'start' };
      case Verb.goTo:
        return { kind: 'goTo', itemId: str('targetItem') ?? str('itemId') };
      case Verb.showItem:
        return { kind: 'showItem', itemId: str('itemId') };
      case Verb.announcement:
      case Verb.question: {
        const who = str(`${raw.verb}OnBehalfOf`)?.trim();
        return { kind: raw.verb, text: str(`${raw.verb}Text`) ?? '', onBehalfOf: who ? who : undefined };
      }
      case Verb.apologies:
        return { kind: 'apologies' };
      case Verb.present:
        return { kind: 'selfPresent' };
      case Verb.attendance:
        return { kind: 'attendance', which: d.which as 'present' | 'absent', names: splitNames(str('names') ?? '') };
      case Verb.note:
        return { kind: 'note', text: str('noteText') ?? '', itemId: str('itemId') };
      case Verb.decision:
        return {
          kind: 'decision',
          text: str('decisionText') ?? '',
          outcome: (str('outcome') || undefined) as Outcome | undefined,
          itemId: str('itemId'),
        };
      case Verb.action:
        return {
          kind: 'action',
          owner: str('owner') ?? '',
          text: str('actionText') ?? '',
          due: str('due') || undefined,
          itemId: str('itemId'),
        };
      case Verb.actions:
        return { kind: 'actions' };
      case Verb.done:
        return { kind: 'done', number: d.number as number };
      case Verb.close:
        return { kind: 'close' };
      case Verb.reopen:
        return { kind: 'reopen' };
      case Verb.minutes:
        return { kind: 'minutes' };
      default:
        return { kind: 'publish' };
    }
  })();
  return { command, meetingId: d.meetingId, card: d.card };
}
