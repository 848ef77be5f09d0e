// Reads a proposal document (voorstel) from the plain text a user pastes into Teams.
//
// Proposals come in several layouts, so the parser works line by line and never relies on one of them:
// - header label/value pairs on one tab-separated line: "ONDERWERP\t…\tAGENDAPUNT\tE01a";
// - one label per line with the value on the following line(s), often upper-cased;
// - "Label: value" lines, Markdown bullets/bold and Markdown tables.
// The body is cut into sections at well-known headings (Advies, Samenvatting, Bijlagen, …); an English
// proposal's labels and headings (Subject, Public, Advice, Attachments, …) are read the same way.
// Every regular expression is applied to a single line and has no nested quantifiers, so parsing stays linear
// in the size of the input. The parser never throws: what it cannot find is reported in `missing`.

import type { Proposal } from '../meeting/types';

type HeaderField = 'subject' | 'itemCode' | 'date' | 'public' | 'handledBy' | 'registrationNumber' | 'phone' | 'portfolioHolder';

type HeaderValues = Partial<Record<HeaderField, string>>;

/** Label spellings per header field, as regular expression sources (matched case-insensitively). */
const LABELS: ReadonlyArray<readonly [HeaderField, string]> = [
  ['subject', 'onderwerp|subject'],
  ['itemCode', 'agenda ?punt(?: ?(?:nummer|nr\\.?))?|agenda ?item(?: ?(?:number|no\\.?))?'],
  ['date', '(?:vergader)?datum|(?:meeting )?date'],
  ['public', 'openbaar|public'],
  ['handledBy', 'behandeld +door|behandelaar|handled +by|case officer'],
  ['registrationNumber', 'registratie ?(?:nummer|nr\\.?)|registration ?(?:number|no\\.?)'],
  ['phone', 'telefoon(?:nummer)?|tel\\. ?nr\\.?|tele?phone(?: number)?'],
  ['portfolioHolder', 'portefeuille ?houders?|portfolio ?holders?'],
];

/** One capture group per entry of LABELS, so the group that matched tells the field. */
const LABEL_PATTERN = new RegExp(`(?<![\\p{L}\\p{N}])(?:${LABELS.map(([, source]) => `(${source})`).join('|')})(?![\\p{L}\\p{N}])`, 'giu');

/** The Dutch names reported in `missing`, in document order. */
const REQUIRED_FIELDS = [
  'onderwerp',
  'agendapunt',
  'datum',
  'openbaar',
  'behandeld door',
  'portefeuillehouder',
  'advies',
  'bijlagen',
] as const;

type HeadingKind = 'advice' | 'summary' | 'attachments' | 'other' | 'weak';

interface Heading {
  kind: HeadingKind;
  /** Text after "Heading:" on the same line, if any. */
  inline: string;
}

/** The heading that starts the advice section: "Advies", "Besluit", "ADVIES AAN HET DVO", … */
const ADVICE_HEADING =
  /^(?:advies|besluit|voorgesteld besluit|ontwerp-? ?besluit|beslispunten?|besluitpunten|advice|recommendations?|proposed decision|decision)(?:\s+(?:aan|voor|to|for)(?:\s+(?:het|de|the))?(?:\s+[^\s:]+){1,3})?$/iu;

/**
 * Headings by their first word. "Weak" headings ("Voorstel positionering:") only end a section that already
 * has content: the same word is also the document title ("VOORSTEL") at the top.
 */
const SECTION_WORDS: ReadonlyMap<string, HeadingKind> = new Map<string, HeadingKind>([
  ['samenvatting', 'summary'],
  ['managementsamenvatting', 'summary'],
  ['bijlage', 'attachments'],
  ['bijlagen', 'attachments'],
  ['summary', 'summary'],
  ['attachment', 'attachments'],
  ['attachments', 'attachments'],
  ['appendix', 'attachments'],
  ['appendices', 'attachments'],
  ['enclosures', 'attachments'],
  ...[
    'toelichting',
    'vervolgprocedure',
    'procedure',
    'communicatie',
    'inleiding',
    'aanleiding',
    'vervolg',
    'vervolgstappen',
    'overwegingen',
    'achtergrond',
    'financiën',
    'financien',
    'financiële',
    'financiele',
    'financieel',
    'kosten',
    'beoogd',
    'beoogde',
    'argumenten',
    'kanttekeningen',
    'kanttekening',
    'risico',
    "risico's",
    'risicos',
    'juridische',
    'juridisch',
    'personele',
    'planning',
    'uitvoering',
    'implementatie',
    'evaluatie',
    'context',
    'probleemstelling',
    'doelstelling',
    'consequenties',
    'gevolgen',
    'draagvlak',
    'conclusie',
    'conclusies',
    'alternatieven',
    'historie',
    // English
    'explanation',
    'background',
    'introduction',
    'communication',
    'considerations',
    'finance',
    'financial',
    'costs',
    'risks',
    'legal',
    'implementation',
    'evaluation',
    'conclusion',
    'conclusions',
    'alternatives',
  ].map((word): [string, HeadingKind] => [word, 'other']),
  ['voorstel', 'weak'],
]);

/** Longer lines are text, not headings (the part before a colon counts for "Heading: text"). */
const MAX_HEADING_LENGTH = 80;
/** Words in a heading, its keyword included ("Toelichting beoogd resultaat", "Communicatie ja"). */
const MAX_HEADING_WORDS = 4;
/** A header value is a few short lines; a longer line is body text that happens to follow an empty label. */
const MAX_VALUE_LINE_LENGTH = 200;
const MAX_VALUE_LINES = 6;
const MAX_ATTACHMENTS = 100;

/** A value line ending like this continues on the next line ("ZORG EN" / "VEILIGHEID"). */
const JOINING_END = /(?:[,&/+–-]|\b(?:en|of|van|de|het|der|den|voor|op|in|met|aan|bij|te|tot|naar|over|om))$/i;

const BULLET = /^[-–•*·▪◦]\s+/u;
const NUMBERED = /^\(?\d{1,2}[.)]\s+/u;
const LETTERED = /^\(?[a-z][.)]\s+/u;

export function parseProposal(text: string): Proposal {
  const trimmed = text.trim();
  const lines = normalizeLineBreaksAndSpaces(trimmed).split('\n');
  const headings = classifyHeadings(lines);
  const header = parseHeader(lines, headings);

  const adviceStart = findHeading(headings, header.end, 'advice');
  const advice = adviceStart >= 0 ? parseAdvice(sectionAt(lines, headings, adviceStart).body) : { points: [] };
  const summaryStart = findHeading(headings, header.end, 'summary');
  const summary = summaryStart >= 0 ? joinText(sectionAt(lines, headings, summaryStart).body) : undefined;
  const attachments = findAttachments(lines, headings, header.end);

  const proposal: Proposal = {
    subject: header.values.subject,
    itemCode: toItemCode(header.values.itemCode),
    date: header.values.date,
    public: toPublic(header.values.public),
    handledBy: header.values.handledBy,
    portfolioHolder: header.values.portfolioHolder,
    registrationNumber: header.values.registrationNumber,
    phone: header.values.phone,
    adviceIntro: advice.intro,
    advice: advice.points,
    attachments,
    summary,
    text: trimmed,
    missing: [],
  };
  proposal.missing = missingFields(proposal);
  return withoutUndefined(proposal);
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

function normalizeLineBreaksAndSpaces(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\v\f]/g, '\n')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
}

/** Removes Markdown emphasis (**bold**, *italic*, __x__) and backslash escapes, keeping list bullets. */
function stripMarkdown(line: string): string {
  if (!/[*_\\]/.test(line)) return line;
  return line
    .replace(/\*\*|__/g, '')
    .replace(/(?<![\p{L}\p{N}])[*_]+(?=\S)|(?<=\S)[*_]+(?![\p{L}\p{N}])/gu, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** The non-blank lines of a section as one string, whitespace collapsed; undefined when empty. */
function joinText(lines: string[]): string | undefined {
  const text = collapseWhitespace(lines.map(stripMarkdown).join(' '));
  return text || undefined;
}

/** Template placeholders that Word leaves in an unfilled form: "[Registratienummer]", "Kies een item.", "-". */
function isPlaceholder(value: string): boolean {
  return (
    /^\[[^\]]*\]$/.test(value) ||
    /^(?:-+|–|—|\.{3}|…)$/.test(value) ||
    /^kies een item\.?$/i.test(value) ||
    /^klik (?:of tik )?(?:hier )?om tekst in te voeren\.?$/i.test(value)
  );
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------------------------
// Headings

function classifyHeadings(lines: string[]): (Heading | undefined)[] {
  return lines.map((line, i) => classifyHeading(line, i === 0 || isBlank(lines[i - 1])));
}

/**
 * Whether a line is a section heading; keyword-plus-words headings only count after a blank line. A line with
 * cells (tabs between words) is a table row, such as a header field "BIJLAGEN\t2", not a heading.
 */
function classifyHeading(rawLine: string, afterBlank: boolean): Heading | undefined {
  // Most lines are paragraphs: skip the work for a long line without an early colon.
  const colon = rawLine.indexOf(':');
  if (rawLine.length > MAX_HEADING_LENGTH * 2 && (colon < 0 || colon > MAX_HEADING_LENGTH * 2)) return undefined;
  const line = stripMarkdown(rawLine)
    .replace(/^#{1,6}\s*/, '')
    .trim();
  if (!line || /\S\t+\S/.test(line)) return undefined;

  const cleanColon = line.indexOf(':');
  if (cleanColon > 0 && cleanColon <= MAX_HEADING_LENGTH) {
    const kind = headingKind(line.slice(0, cleanColon), true);
    return kind ? { kind, inline: line.slice(cleanColon + 1).trim() } : undefined;
  }
  if (line.length > MAX_HEADING_LENGTH || /[.;,!?]$/.test(line)) return undefined;
  const kind = headingKind(line, afterBlank);
  return kind ? { kind, inline: '' } : undefined;
}

function headingKind(text: string, allowExtraWords: boolean): HeadingKind | undefined {
  const heading = collapseWhitespace(text);
  if (ADVICE_HEADING.test(heading)) return 'advice';
  const words = heading.split(' ');
  if (words.length > MAX_HEADING_WORDS || (words.length > 1 && !allowExtraWords)) return undefined;
  // "Bijlage(n)" and "Risico’s" are spelled several ways.
  const firstWord = words[0]
    .toLowerCase()
    .replace(/\(n\)$/, 'n')
    .replace(/[’‘`]/g, "'");
  return SECTION_WORDS.get(firstWord);
}

function findHeading(headings: (Heading | undefined)[], from: number, kind: HeadingKind): number {
  for (let i = from; i < headings.length; i++) if (headings[i]?.kind === kind) return i;
  return -1;
}

/**
 * The lines of the section that starts at a heading, up to the next heading (`end`, exclusive). Headings of the
 * same kind right at the start belong to the section's heading ("Besluit" directly followed by "Advies").
 */
function sectionAt(lines: string[], headings: (Heading | undefined)[], start: number): { body: string[]; end: number } {
  const kind = headings[start]?.kind;
  const body: string[] = [];
  let hasContent = false;
  const add = (line: string): void => {
    body.push(line);
    if (!isBlank(line)) hasContent = true;
  };
  add(headings[start]?.inline ?? '');
  let end = start + 1;
  for (; end < lines.length; end++) {
    const heading = headings[end];
    if (heading && !hasContent && heading.kind === kind) {
      add(heading.inline);
      continue;
    }
    if (heading && (heading.kind !== 'weak' || hasContent)) break;
    add(lines[end]);
  }
  return { body, end };
}

// ---------------------------------------------------------------------------------------------------------------
// Header

interface LabelMatch {
  field: HeaderField;
  start: number;
  /** After the label and an optional colon. */
  end: number;
}

/** A label whose value is expected on the following line(s). */
interface PendingLabel {
  field: HeaderField;
  parts: string[];
  /** A blank line came after the label or after the last line of its value. */
  blankSeen: boolean;
}

/**
 * Reads the header fields from the top of the document, up to the advice heading or another section heading.
 * The first non-empty value of a field wins.
 */
function parseHeader(lines: string[], headings: (Heading | undefined)[]): { values: HeaderValues; end: number } {
  const values: HeaderValues = {};
  let pending: PendingLabel | undefined;
  // A row holding only labels, as in a table whose values are on the next row.
  let columnFields: HeaderField[] | undefined;

  const settle = (): void => {
    if (pending) setValue(values, pending.field, pending.parts.join(' '));
    pending = undefined;
  };

  let end = 0;
  for (; end < lines.length; end++) {
    if (endsHeader(headings[end], pending)) break;
    const line = cleanHeaderLine(lines[end]);
    if (line === undefined) continue;
    if (!line) {
      if (pending) pending.blankSeen = true;
      continue;
    }
    if (columnFields) {
      setColumnValues(values, columnFields, line);
      columnFields = undefined;
      continue;
    }

    const labels = findLabels(line);
    const leadingText = collapseWhitespace(line.slice(0, labels[0]?.start ?? line.length));
    if (leadingText && pending) {
      if (continuesValue(pending, leadingText)) {
        pending.parts.push(leadingText);
        pending.blankSeen = false;
      } else {
        settle();
      }
    }
    if (!labels.length) continue;

    settle();
    const cells = labels.map((label, k) => ({
      field: label.field,
      value: collapseWhitespace(line.slice(label.end, labels[k + 1]?.start ?? line.length)),
    }));
    if (cells.length > 1 && cells.every((cell) => !cell.value)) {
      columnFields = cells.map((cell) => cell.field);
      continue;
    }
    for (const cell of cells) setValue(values, cell.field, cell.value);
    const last = cells[cells.length - 1];
    if (!last.value) pending = { field: last.field, parts: [], blankSeen: false };
  }
  settle();
  return { values, end };
}

/**
 * Whether a line under a label is (more of) its value. The first line may follow a blank line. A further line
 * continues the value unless the case changes ("BURGEMEESTER WELMAN" / "Adviesnota …"); after a blank line it
 * only does when the value so far ends in a joining word ("… ZORG EN") or both are upper case, as values in the
 * one-label-per-line layout are.
 */
function continuesValue(pending: PendingLabel, line: string): boolean {
  if (line.length > MAX_VALUE_LINE_LENGTH || pending.parts.length >= MAX_VALUE_LINES) return false;
  const previous = pending.parts[pending.parts.length - 1];
  if (previous === undefined) return true;
  const upperCase = (text: string): boolean => !/\p{Ll}/u.test(text);
  if (upperCase(previous) && !upperCase(line)) return false;
  if (!pending.blankSeen) return true;
  return JOINING_END.test(previous) || (upperCase(previous) && upperCase(line));
}

/**
 * The header ends at the advice heading or another section heading, except for a heading word directly
 * under a label: that is the label's value ("ONDERWERP" / "Toelichting").
 */
function endsHeader(heading: Heading | undefined, pending: PendingLabel | undefined): boolean {
  if (!heading || heading.kind === 'weak') return false;
  if (heading.kind === 'advice') return true;
  const valueExpectedHere = pending !== undefined && pending.parts.length === 0 && !pending.blankSeen;
  return !valueExpectedHere;
}

/**
 * A header line with Markdown removed and table pipes turned into cell separators (tabs).
 * Undefined for lines that carry nothing, such as a Markdown table rule ("|---|---|").
 */
function cleanHeaderLine(rawLine: string): string | undefined {
  if (/^[\s|:+-]+$/.test(rawLine) && rawLine.includes('-')) return undefined;
  return stripMarkdown(rawLine.replace(/\|/g, '\t'))
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(BULLET, '')
    .trim();
}

function findLabels(line: string): LabelMatch[] {
  const found: LabelMatch[] = [];
  // exec with lastIndex rather than matchAll, which copies the (large) pattern for every line.
  LABEL_PATTERN.lastIndex = 0;
  for (let match = LABEL_PATTERN.exec(line); match; match = LABEL_PATTERN.exec(line)) {
    const start = match.index;
    const groupIndex = match.slice(1).findIndex((group) => group !== undefined);
    const colon = /^\s*:/.exec(line.slice(start + match[0].length, start + match[0].length + 8));
    if (!isLabelPosition(line, start, match[0], colon !== null)) continue;
    found.push({ field: LABELS[groupIndex][0], start, end: start + match[0].length + (colon?.[0].length ?? 0) });
  }
  return found;
}

/**
 * Whether a label word found in a line is a label and not part of a value. It is when it starts the line or
 * a cell (after a tab or several spaces). After a single space, only "Label:" with a capital, or an upper-case
 * LABEL after a word that is not upper case ("… Straf. AGENDAPUNT E01a", where tabs became spaces).
 */
function isLabelPosition(line: string, start: number, label: string, hasColon: boolean): boolean {
  let j = start - 1;
  let spaces = 0;
  let tab = false;
  for (; j >= 0 && (line[j] === ' ' || line[j] === '\t'); j--) {
    if (line[j] === '\t') tab = true;
    spaces++;
  }
  if (j < 0 || tab || spaces >= 2) return true;
  if (spaces === 0) return false;
  if (hasColon && /^\p{Lu}/u.test(label)) return true;
  const previousWord =
    line
      .slice(Math.max(0, j - 40), j + 1)
      .split(' ')
      .pop() ?? '';
  return label === label.toUpperCase() && /\p{Ll}/u.test(previousWord);
}

/** Values under a row of labels: the cells of the next line, matched by position. */
function setColumnValues(values: HeaderValues, fields: HeaderField[], line: string): void {
  const cells = line.split(/\t| {2,}/).map(collapseWhitespace);
  if (cells.length !== fields.length) return;
  fields.forEach((field, k) => setValue(values, field, cells[k]));
}

function setValue(values: HeaderValues, field: HeaderField, rawValue: string): void {
  const value = collapseWhitespace(rawValue.replace(/^[:\s]+/, ''));
  if (!value || isPlaceholder(value) || values[field]) return;
  values[field] = value;
}

/** An agenda item code is short and has no spaces (A, D1, E01a, C02A, 3.2); a title is not a code. */
function toItemCode(value: string | undefined): string | undefined {
  const code = value?.replace(/[.:]$/, '');
  if (!code || code.length > 10) return undefined;
  if (/^\p{L}{1,2}$/u.test(code)) return code;
  return /^\p{L}{0,3}\d{1,3}\p{L}{0,2}(?:[.-]\d{1,3}\p{L}?)*$/u.test(code) ? code : undefined;
}

function toPublic(value: string | undefined): boolean | undefined {
  if (!value) return undefined;
  if (/^(?:ja|yes|openbaar|public)\b/i.test(value)) return true;
  if (/^(?:nee|no|niet|not|besloten|vertrouwelijk|closed|confidential|private)\b/i.test(value)) return false;
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Advice

type Marker = 'number' | 'letter' | 'bullet';

interface BodyLine {
  marker?: Marker;
  indent: number;
  /** The line without Markdown emphasis and without its list marker. */
  text: string;
  /** The line without Markdown emphasis, keeping a number or letter ("a) …") but not a bullet. */
  shown: string;
}

function toBodyLine(rawLine: string): BodyLine {
  const indent = (/^[ \t]*/.exec(rawLine)?.[0] ?? '').replace(/\t/g, '    ').length;
  const line = stripMarkdown(rawLine).trim();
  for (const [marker, pattern] of [
    ['number', NUMBERED],
    ['letter', LETTERED],
    ['bullet', BULLET],
  ] as const) {
    const match = pattern.exec(line);
    if (match) {
      const text = line.slice(match[0].length).trim();
      return { marker, indent, text, shown: marker === 'bullet' ? text : line };
    }
  }
  return { indent, text: line, shown: line };
}

/**
 * The advice: the introduction, then the points of its top-level list (numbered if there is a numbered list,
 * else bulleted). Sub-items and wrapped lines belong to the point above; text after the list is left out.
 * Without a list, the whole advice is both the introduction and the single point.
 */
function parseAdvice(section: string[]): { intro?: string; points: string[] } {
  const lines = section.map((line) => (isBlank(line) ? undefined : toBodyLine(line)));
  const present = lines.filter((line): line is BodyLine => line !== undefined);
  const topMarker = (['number', 'bullet', 'letter'] as const).find((m) => present.some((line) => line.marker === m));
  const topIndent = present.find((line) => line.marker === topMarker)?.indent ?? 0;

  const intro: string[] = [];
  const points: string[][] = [];
  let afterBlank = false;
  let afterList = false;
  for (const line of lines) {
    if (!line) {
      afterBlank = true;
      continue;
    }
    if (topMarker && line.marker === topMarker && line.indent <= topIndent + 1) {
      points.push([line.text]);
      afterList = false;
    } else if (!points.length) {
      intro.push(line.text);
    } else if (!afterList && (!afterBlank || line.marker || line.indent > topIndent)) {
      points[points.length - 1].push(line.shown);
    } else {
      afterList = true;
    }
    afterBlank = false;
  }

  const introText = collapseWhitespace(intro.join(' ')) || undefined;
  const pointTexts = points.map((parts) => collapseWhitespace(parts.join(' '))).filter(Boolean);
  if (pointTexts.length) return { intro: introText, points: pointTexts };
  return { intro: introText, points: introText ? [introText] : [] };
}

// ---------------------------------------------------------------------------------------------------------------
// Attachments

/** The items of the first attachments section (Bijlage(n), Bijlagen:) that lists any. */
function findAttachments(lines: string[], headings: (Heading | undefined)[], from: number): string[] {
  for (let i = findHeading(headings, from, 'attachments'); i >= 0;) {
    const section = sectionAt(lines, headings, i);
    const items = parseAttachments(section.body);
    if (items.length) return items;
    i = findHeading(headings, section.end, 'attachments');
  }
  return [];
}

/**
 * One attachment a line. A numbered or bulleted list may have blank lines between its items; a block of plain
 * lines ends at the first blank line (what follows is other text, such as a footer).
 */
function parseAttachments(section: string[]): string[] {
  const items: string[] = [];
  let isList: boolean | undefined;
  let afterBlank = false;
  for (const rawLine of section) {
    if (isBlank(rawLine)) {
      afterBlank = items.length > 0;
      continue;
    }
    const line = toBodyLine(rawLine);
    isList ??= line.marker !== undefined;
    if (afterBlank && (!isList || !line.marker)) break;
    // "Bijlagen: nota; advies" lists several on one line.
    const parts = line.marker ? [line.text] : line.text.split(';');
    items.push(...parts.map(cleanAttachment).filter(isAttachment));
    if (items.length >= MAX_ATTACHMENTS) break;
    afterBlank = false;
  }
  return items;
}

function cleanAttachment(text: string): string {
  return collapseWhitespace(stripMarkdown(text)).replace(/\s*[;,]$/, '');
}

function isAttachment(item: string): boolean {
  return item !== '' && !isPlaceholder(item) && !/^(?:geen|n\.?v\.?t\.?|\d+)$/i.test(item);
}

// ---------------------------------------------------------------------------------------------------------------
// Missing fields

function missingFields(proposal: Proposal): string[] {
  const found: Record<(typeof REQUIRED_FIELDS)[number], boolean> = {
    onderwerp: proposal.subject !== undefined,
    agendapunt: proposal.itemCode !== undefined,
    datum: proposal.date !== undefined,
    openbaar: proposal.public !== undefined,
    'behandeld door': proposal.handledBy !== undefined,
    portefeuillehouder: proposal.portfolioHolder !== undefined,
    advies: proposal.advice.length > 0,
    bijlagen: proposal.attachments.length > 0,
  };
  return REQUIRED_FIELDS.filter((name) => !found[name]);
}
