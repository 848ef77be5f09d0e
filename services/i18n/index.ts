// One catalogue per language; Dutch unless the activity's locale starts with "en".
//
// The reply groups (errors, input, done) are Teams markdown, and their arguments are often user text:
// every string argument is escaped here, once, so no catalogue entry can forget it. Cards show the
// same sentences in a TextRun (verbatim) and take the escapes out again (unescapeMarkdownText).
import { en } from './en';
import { escapeMarkdownText } from './escape';
import { nl, Strings } from './nl';

export type { Strings };
export type Lang = 'nl' | 'en';
export { plainText, unescapeMarkdownText } from './escape';

const REPLY_GROUPS = ['errors', 'input', 'done'] as const;
/** Arguments that are markup we made ourselves: a mention's "<at>Name</at>". */
const RAW_ARGUMENTS = new Set(['done.meetingEnded']);

function escapeArgument(arg: unknown): unknown {
  if (typeof arg === 'string') return escapeMarkdownText(arg);
  if (arg && typeof arg === 'object' && !Array.isArray(arg))
    return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, typeof v === 'string' ? escapeMarkdownText(v) : v]));
  return arg;
}

function escapingArguments(catalogue: Strings): Strings {
  const out: Record<string, unknown> = { ...catalogue };
  for (const group of REPLY_GROUPS) {
    const entries = Object.entries(catalogue[group] as Record<string, unknown>).map(([name, value]) => {
      if (typeof value !== 'function' || RAW_ARGUMENTS.has(`${group}.${name}`)) return [name, value];
      const fn = value as (...args: unknown[]) => string;
      return [name, (...args: unknown[]) => fn(...args.map(escapeArgument))];
    });
    out[group] = Object.fromEntries(entries);
  }
  return out as Strings;
}

const catalogues = { nl: escapingArguments(nl), en: escapingArguments(en) };

export function langOf(locale: string | undefined): Lang {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

export function strings(locale: string | undefined): Strings {
  return catalogues[langOf(locale)];
}
