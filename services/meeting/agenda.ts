// The agenda as the secretary types it: one line per item, "<code> <title>" with optional trailing
// tags in square brackets. Codes are kept as written (A, B, D1, E01a, C02A).
import { DomainError } from './errors';
import type { AgendaItem, Attachment, ItemKind } from './types';

export interface AgendaLine {
  code: string;
  title: string;
  kind: ItemKind;
  closed: boolean;
  portfolioHolder?: string;
  attachments: Attachment[];
}

export const MAX_AGENDA_ITEMS = 100;
export const MAX_TITLE_LENGTH = 300;

const KIND_TAGS: Record<string, ItemKind> = {
  'ter besluitvorming': 'decision',
  'for decision': 'decision',
  'ter bespreking': 'discussion',
  'for discussion': 'discussion',
  'ter kennisgeving': 'information',
  'for information': 'information',
};

/** The kind an item has when the secretary gave no tag, read from its title. */
export function kindFromTitle(title: string): ItemKind {
  const t = title.toLowerCase();
  if (/^(opening|welkom)\b/.test(t)) return 'opening';
  if (/^(mededelingen|announcements)\b/.test(t)) return 'announcements';
  if (/^(besluitenlijst|verslag|notulen|minutes)\b/.test(t)) return 'previousMinutes';
  if (/^(rondvraag|any other business|questions)\b/.test(t)) return 'questionRound';
  if (/^(sluiting|closing|close)\b/.test(t)) return 'closing';
  return 'discussion';
}

export function checkUrl(raw: string): string {
  const value = raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new DomainError('invalidUrl', { value: value.slice(0, 80) });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new DomainError('invalidUrl', { value: value.slice(0, 80) });
  return parsed.toString();
}

function parseTag(tag: string, line: AgendaLine): boolean {
  const t = tag.trim();
  const lower = t.toLowerCase();
  if (lower === 'besloten' || lower === 'closed') return (line.closed = true);
  if (KIND_TAGS[lower]) {
    line.kind = KIND_TAGS[lower];
    return true;
  }
  const holder = /^(portefeuillehouder|portfolio ?holder)\s*:\s*(.+)$/i.exec(t);
  if (holder) {
    line.portfolioHolder = holder[2]!.trim();
    return true;
  }
  const attachment = /^(bijlage|attachment)\s*:\s*(.+)$/i.exec(t);
  if (attachment) {
    const [title, url] = attachment[2]!.split('|').map((s) => s.trim());
    if (!title) return false;
    line.attachments.push(url ? { title, url: checkUrl(url) } : { title });
    return true;
  }
  return false;
}

/** Parses one agenda line; unknown bracketed text stays part of the title. */
export function parseAgendaLine(raw: string): AgendaLine {
  const text = raw.trim().replace(/^[-*•]\s+/, '');
  const m = /^(\S{1,12})\s+(.+)$/.exec(text);
  if (!m) throw new DomainError('missingField', { field: 'title', value: text.slice(0, 40) });
  const code = m[1]!.replace(/[.:)]$/, '');
  if (!code) throw new DomainError('missingField', { field: 'code', value: text.slice(0, 40) });
  const line: AgendaLine = { code, title: '', kind: 'discussion', closed: false, attachments: [] };
  let rest = m[2]!.trim();
  const tags: string[] = [];
  // Tags are read from the end so a title may itself contain brackets.
  for (let tm = /\[([^[\]]*)\]\s*$/.exec(rest); tm; tm = /\[([^[\]]*)\]\s*$/.exec(rest)) {
    tags.unshift(tm[1]!);
    rest = rest.slice(0, tm.index).trimEnd();
  }
  let kindTagged = false;
  const unknown: string[] = [];
  for (const tag of tags) {
    const before = line.kind;
    if (!parseTag(tag, line)) unknown.push(`[${tag}]`);
    else if (line.kind !== before || KIND_TAGS[tag.trim().toLowerCase()]) kindTagged = true;
  }
  line.title = [rest, ...unknown].join(' ').trim();
  if (!line.title) throw new DomainError('missingField', { field: 'title', value: code });
  if (line.title.length > MAX_TITLE_LENGTH) throw new DomainError('tooLong', { field: 'title', max: MAX_TITLE_LENGTH });
  if (!kindTagged) line.kind = kindFromTitle(line.title);
  return line;
}

export function parseAgenda(lines: string[]): AgendaLine[] {
  const items = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .map(parseAgendaLine);
  if (items.length === 0) throw new DomainError('noAgenda');
  if (items.length > MAX_AGENDA_ITEMS) throw new DomainError('tooMany', { max: MAX_AGENDA_ITEMS });
  const seen = new Set<string>();
  for (const item of items) {
    const key = item.code.toLowerCase();
    if (seen.has(key)) throw new DomainError('duplicateCode', { code: item.code });
    seen.add(key);
  }
  return items;
}

/** What tells a heading from an item: its code, and whether it carries anything of an item's own. */
type HeadingCandidate = Pick<AgendaItem, 'code'> & Partial<Pick<AgendaItem, 'kind' | 'proposal' | 'attachments' | 'portfolioHolder'>>;

/**
 * Whether the item at `index` heads the items after it, as "D Ter bespreking" heads D1 and D2: the next
 * item's code extends its code with a digit after a letter, a letter after a digit, or a separator
 * (D → D1, E01 → E01a, 3 → 3.1; not B → BL), and it is a bare title: no tag, proposal, attachment or
 * portfolio holder of its own. A heading is not stopped at when the chair moves on; it still takes
 * records when named.
 */
export function isHeading(agenda: readonly HeadingCandidate[], index: number): boolean {
  const item = agenda[index];
  const code = item?.code.toLowerCase();
  const next = agenda[index + 1]?.code.toLowerCase();
  if (!item || code === undefined || next === undefined || next.length <= code.length || !next.startsWith(code)) return false;
  if ((item.kind ?? 'discussion') !== 'discussion' || item.proposal || item.attachments?.length || item.portfolioHolder) return false;
  const kind = (c: string) => (/\d/.test(c) ? 'digit' : /\p{L}/u.test(c) ? 'letter' : 'separator');
  const last = kind(code.at(-1)!);
  const added = kind(next[code.length]!);
  return added === 'separator' || added !== last;
}

/** The index of the next (step 1) or previous (step -1) item the chair stops at, or -1. */
export function stepIndex(agenda: readonly HeadingCandidate[], from: number, step: 1 | -1): number {
  for (let i = from + step; i >= 0 && i < agenda.length; i += step) if (!isHeading(agenda, i)) return i;
  return -1;
}
