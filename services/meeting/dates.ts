// Dates as the users write them (dd-mm-jjjj, hh:mm) and as the minutes show them ("10 oktober 2016").
import { DomainError } from './errors';

const MONTHS_NL = [
  'januari',
  'februari',
  'maart',
  'april',
  'mei',
  'juni',
  'juli',
  'augustus',
  'september',
  'oktober',
  'november',
  'december',
];
const MONTHS_EN = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "10-10-2016" (also 10/10/2016, 10.10.2016, 2016-10-10) → "2016-10-10"; a date that does not exist throws. */
export function parseDate(input: string): string {
  const s = input.trim();
  let d: number, m: number, y: number;
  let match = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (match) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s))) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else throw new DomainError('invalidDate', { value: s.slice(0, 40) });
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2200 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    throw new DomainError('invalidDate', { value: s.slice(0, 40) });
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** "10:30-12:00" (also 10.30 – 12.00) → { start: "10:30", end: "12:00" }; a single time gives only start. */
export function parseTimeRange(input: string): { start: string; end?: string } {
  const parts = input
    .trim()
    .replace(/\s*uur$/i, '')
    .split(/\s*[-–—]\s*|\s+tot\s+/i)
    .filter(Boolean);
  if (parts.length < 1 || parts.length > 2) throw new DomainError('invalidTime', { value: input.trim().slice(0, 40) });
  const times = parts.map((p) => {
    const m = /^(\d{1,2})[:.](\d{2})$/.exec(p);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new DomainError('invalidTime', { value: input.trim().slice(0, 40) });
    return `${m[1]!.padStart(2, '0')}:${m[2]}`;
  });
  if (times[1] && times[1] <= times[0]!) throw new DomainError('invalidTime', { value: input.trim().slice(0, 40) });
  return { start: times[0]!, end: times[1] };
}

/** "2016-10-10" → "10 oktober 2016" (nl) or "10 October 2016" (en). */
export function longDate(iso: string, lang: 'nl' | 'en' = 'nl'): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  if (!y || !m || !d) return iso;
  return `${d} ${(lang === 'en' ? MONTHS_EN : MONTHS_NL)[m - 1]} ${y}`;
}

/** "2016-10-10" → "10-10-2016", the way users type dates. */
export function shortDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}-${m}-${y}`;
}

/** The time zone meetings are held in: actual times (ISO, UTC) are shown in it. */
export const MEETING_TIME_ZONE = 'Europe/Amsterdam';

/** "10:30" → "10.30" (nl, as the minutes write it) or "10:30" (en). */
export function clockText(hhmm: string, lang: 'nl' | 'en' = 'nl'): string {
  const t = hhmm.trim();
  return lang === 'nl' ? t.replace(':', '.') : t;
}

/** "10.30 – 12.00 uur" (nl) / "10:30 – 12:00" (en); one end only: "10.30 uur" / "tot 12.00 uur". */
export function clockRange(start: string | undefined, end: string | undefined, lang: 'nl' | 'en' = 'nl'): string {
  const suffix = lang === 'nl' ? ' uur' : '';
  if (start && end) return `${clockText(start, lang)} – ${clockText(end, lang)}${suffix}`;
  if (start) return `${clockText(start, lang)}${suffix}`;
  if (end) return `${lang === 'nl' ? 'tot' : 'until'} ${clockText(end, lang)}${suffix}`;
  return '';
}

// Made once: building an Intl.DateTimeFormat costs a third of a millisecond, a card edit's worth.
const CLOCK = new Intl.DateTimeFormat('nl-NL', { timeZone: MEETING_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: MEETING_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** An actual moment (ISO) as hh:mm in the meeting's time zone. */
export function localClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return CLOCK.format(d);
}

/** An actual moment (ISO) as the date (yyyy-mm-dd) it falls on in the meeting's time zone. */
function localDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return DAY.format(d);
}

/**
 * The meeting's actual start and end as hh:mm, each only when it falls on the meeting's own date: a
 * meeting recorded afterwards (the secretary typing it in later) keeps its planned time.
 */
export function actualClock(meeting: { date: string; startedAt?: string; endedAt?: string }): { start?: string; end?: string } {
  const onDay = (iso?: string) => (iso && localDate(iso) === meeting.date ? localClock(iso) : undefined);
  return { start: onDay(meeting.startedAt), end: onDay(meeting.endedAt) };
}

/** Minutes between two "hh:mm" times of one day, or undefined. */
export function plannedMinutes(start?: string, end?: string): number | undefined {
  if (!start || !end) return undefined;
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const d = m(end) - m(start);
  return d > 0 ? d : undefined;
}
