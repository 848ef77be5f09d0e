// Builds what a publisher writes for one meeting: the public document always, the closed (besloten)
// document only when the meeting has closed items, and the records for the decision and action lists.
import { createHash } from 'node:crypto';
import { strings } from '../i18n';
import { decisionKey, isClosedAction, recordLabel } from '../meeting/operations';
import type { ActionItem, Meeting, Series } from '../meeting/types';
import { logoFor, type HouseStyle } from './houseStyle';
import { findMeeting, listedActions, minutesModel, minutesParts, type MinutesPart } from './model';
import type { MinutesFile, MinutesPackage, PublishedAction, PublishedDecision } from './publisher';

/** A title in a name is cut to this many characters (code points), for names people can still read… */
const MAX_TITLE_CHARACTERS = 80;
/**
 * …and to this many bytes of UTF-8: a name may have 255 bytes on Linux file systems (255 UTF-16 units on
 * NTFS and in SharePoint), and the longest name made from a title, "<yyyy-mm-dd> <title> besloten.docx",
 * adds 25 bytes to it ("<yyyy-mm-dd> <title> (100)" 17). 80 characters of "会" are 240 bytes.
 */
const MAX_TITLE_BYTES = 200;

/**
 * `text` cut to at most `maxBytes` bytes of UTF-8 and `maxCodePoints` code points, never inside a code
 * point (a surrogate pair stays whole).
 */
export function cutToBytes(text: string, maxBytes: number, maxCodePoints = Infinity): string {
  let bytes = 0;
  let points = 0;
  let end = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > maxBytes || points + 1 > maxCodePoints) break;
    bytes += size;
    points += 1;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * Makes a meeting title usable in a file or folder name on Windows, on Linux and in SharePoint: no
 * reserved or control characters, no unpaired surrogates, no runs of spaces, no leading or trailing dots,
 * at most 80 characters and 200 bytes (see MAX_TITLE_BYTES). The one rule for every name made from a title.
 */
export function safeFileTitle(title: string): string {
  const cleaned = title
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|#%\u0000-\u001F\u007F]/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = cutToBytes(cleaned, MAX_TITLE_BYTES, MAX_TITLE_CHARACTERS);
  // Windows drops trailing dots and spaces, which would make two names collide.
  const trimmed = cut.replace(/[\s.]+$/, '').replace(/^[\s.]+/, '');
  return trimmed || 'Besluitenlijst';
}

/** A meeting's folder, "<yyyy-mm-dd> <title>" (a publisher adds " (2)", … when another meeting has it). */
export function meetingFolderName(meeting: Pick<Meeting, 'date' | 'title'>): string {
  return `${meeting.date} ${safeFileTitle(meeting.title)}`;
}

/** "<yyyy-mm-dd> <title> openbaar.docx" ("… public.docx" for a meeting held in English). */
export function minutesFileName(meeting: Pick<Meeting, 'date' | 'title'> & { locale?: string }, part: MinutesPart): string {
  return `${meetingFolderName(meeting)} ${strings(meeting.locale).minutes.fileParts[part]}.docx`;
}

/** The word of each part in file names, in every language: "openbaar" and "public" name the public part. */
const FILE_PART_WORDS = new Map<string, MinutesPart>(
  (['nl', 'en'] as const).flatMap((lang) =>
    (Object.entries(strings(lang).minutes.fileParts) as [MinutesPart, string][]).map(([part, word]) => [word, part]),
  ),
);

/** The part a published file holds, from its name ("… besloten.docx", "… public.pdf"), whatever the title. */
export function partOfFileName(name: string): MinutesPart | undefined {
  const word = / (\p{L}+)\.(?:docx|pdf)$/u.exec(name)?.[1];
  return word === undefined ? undefined : FILE_PART_WORDS.get(word);
}

async function minutesFile(series: Series, meeting: Meeting, part: MinutesPart, house?: HouseStyle): Promise<MinutesFile> {
  return { name: minutesFileName(meeting, part), part, content: await minutesDocx(series, meeting.id, part, house) };
}

/**
 * One part of a meeting's minutes as a .docx. The renderer (the docx library: 46 ms and 7 MB to load) is
 * loaded when first asked for, not at every start of a bot that may publish once a month.
 */
export async function minutesDocx(series: Series, meetingId: string, part: MinutesPart, house?: HouseStyle): Promise<Buffer> {
  const { renderDocx } = await import('./docx');
  return renderDocx(minutesModel(series, meetingId, part, house), logoFor(house, series.houseStyle));
}

function publishedDecisions(meeting: Meeting): PublishedDecision[] {
  const decisions: PublishedDecision[] = [];
  for (const decision of [...meeting.decisions].sort((a, b) => a.number - b.number)) {
    const item = meeting.agenda.find((i) => i.id === decision.itemId);
    // A decision whose item was removed from the agenda is in neither document, so it is not listed.
    if (!item) continue;
    decisions.push({
      key: decisionKey(meeting, decision),
      itemCode: item.code,
      itemTitle: item.title,
      text: decision.text,
      outcome: decision.outcome,
      closed: item.closed,
    });
  }
  return decisions;
}

/**
 * A series' id for published records (MinutesPackage.seriesId): stable for the chat, the same in every
 * process, and opaque. 16 base64url characters are 96 bits: no two chats collide in practice.
 */
export function seriesIdOf(tenantId: string, conversationId: string): string {
  // JSON keeps the two parts apart ("a" + "bc" is not "ab" + "c").
  return createHash('sha256')
    .update(JSON.stringify([tenantId, conversationId]))
    .digest('base64url')
    .slice(0, 16);
}

function publishedAction(series: Series, seriesId: string, action: ActionItem): PublishedAction {
  return {
    key: `${seriesId}/actie/${recordLabel(action)}`,
    number: action.number,
    label: recordLabel(action),
    itemCode: action.itemCode,
    text: action.text,
    owner: action.owner,
    due: action.due,
    status: action.status,
    closed: isClosedAction(series, action),
  };
}

/** `house`: the deployment's house style, under the chat's own texts. */
export async function buildMinutesPackage(series: Series, meetingId: string, house?: HouseStyle): Promise<MinutesPackage> {
  const meeting = findMeeting(series, meetingId);
  const parts = minutesParts(meeting);
  const files = await Promise.all(parts.map((part) => minutesFile(series, meeting, part, house)));
  const actions = parts.flatMap((part) => listedActions(series, meetingId, part)).sort((a, b) => a.number - b.number);
  const seriesId = seriesIdOf(series.tenantId, series.conversationId);
  return {
    meetingId: meeting.id,
    seriesId,
    meetingDate: meeting.date,
    body: meeting.title,
    status: meeting.minutes.status,
    adoptedOn: meeting.minutes.adoptedOn,
    files,
    decisions: publishedDecisions(meeting),
    actions: actions.map((action) => publishedAction(series, seriesId, action)),
  };
}
